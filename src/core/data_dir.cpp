#include "agglo/core/data_dir.hpp"

#include <cstdlib>
#include <mutex>

namespace agglo::core {

namespace {
std::mutex g_mutex;
std::string g_dir;
}  // namespace

void set_data_dir(std::string dir) {
  std::lock_guard lock(g_mutex);
  g_dir = std::move(dir);
}

std::string data_dir() {
  if (const char* env = std::getenv("AGGLO_DATA_DIR"); env && *env) return env;
  {
    std::lock_guard lock(g_mutex);
    if (!g_dir.empty()) return g_dir;
  }
#ifdef AGGLO_DATA_DIR
  return AGGLO_DATA_DIR;
#else
  return "data";
#endif
}

}  // namespace agglo::core
