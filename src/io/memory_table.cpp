#include "agglo/io/memory_table.hpp"

#include <map>
#include <mutex>

namespace agglo::io {

namespace {
constexpr std::string_view prefix = "mem://";
std::mutex g_mutex;
std::map<std::string, std::shared_ptr<const MemoryTable>, std::less<>> g_tables;
std::uint64_t g_next = 1;
}  // namespace

std::string register_memory_table(std::shared_ptr<const MemoryTable> table) {
  std::lock_guard lock(g_mutex);
  std::string handle = std::string(prefix) + std::to_string(g_next++);
  g_tables.emplace(handle, std::move(table));
  return handle;
}

void unregister_memory_table(const std::string& handle) {
  std::lock_guard lock(g_mutex);
  g_tables.erase(handle);
}

bool is_memory_source(std::string_view source) { return source.substr(0, prefix.size()) == prefix; }

std::shared_ptr<const MemoryTable> find_memory_table(const std::string& source) {
  if (!is_memory_source(source)) return nullptr;
  std::lock_guard lock(g_mutex);
  const auto it = g_tables.find(source);
  return it == g_tables.end() ? nullptr : it->second;
}

}  // namespace agglo::io
