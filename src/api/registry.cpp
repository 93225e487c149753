#include <fmt/format.h>

#include "agglo/api/operation.hpp"
#include "builtin.hpp"

namespace agglo::api {

Registry& Registry::global() {
  // Registration is explicit (not through static initialisers), so operations living in a
  // static library are never dropped by the linker and the order is deterministic.
  static Registry r = [] {
    Registry reg;
    register_builtin_operations(reg);
    return reg;
  }();
  return r;
}

void Registry::add(Operation op) {
  AGGLO_ASSERT(find(op.name) == nullptr);
  ops_.push_back(std::move(op));
}

const Operation* Registry::find(const std::string& name) const {
  for (const auto& op : ops_)
    if (op.name == name) return &op;
  return nullptr;
}

}  // namespace agglo::api
