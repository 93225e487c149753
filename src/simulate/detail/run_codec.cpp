// Byte encoding of simulation runs for the MPI gather; see run_codec.hpp.
#include "run_codec.hpp"

#include <cstring>
#include <variant>
#include <string>
#include <type_traits>

#include "agglo/core/error.hpp"

namespace agglo::simulate::detail {

namespace {

template <class T>
void put(std::vector<std::uint8_t>& out, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}

void put_string(std::vector<std::uint8_t>& out, const std::string& s) {
  put<std::uint64_t>(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

void put_table(std::vector<std::uint8_t>& out, const data::Table& table) {
  put<std::uint32_t>(out, static_cast<std::uint32_t>(table.cols()));
  for (const auto& col : table.columns()) {
    put_string(out, col.name);
    put<std::uint8_t>(out, static_cast<std::uint8_t>(col.values.index()));
    std::visit([&](const auto& values) {
      put<std::uint64_t>(out, values.size());
      using V = typename std::decay_t<decltype(values)>::value_type;
      if constexpr (std::is_same_v<V, std::string>) {
        for (const auto& s : values) put_string(out, s);
      } else {
        const auto* p = reinterpret_cast<const std::uint8_t*>(values.data());
        out.insert(out.end(), p, p + values.size() * sizeof(V));
      }
    }, col.values);
  }
}

// A cursor over the buffer; every read checks that the bytes are there.
struct Reader {
  const std::vector<std::uint8_t>& b;
  std::size_t pos = 0;

  void need(std::size_t n) const {
    AGGLO_ASSERT(n <= b.size() - pos);  // a truncated buffer is a bug in the sender
  }
  template <class T>
  T get() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, b.data() + pos, sizeof(T));
    pos += sizeof(T);
    return v;
  }
  std::string get_string() {
    const auto n = get<std::uint64_t>();
    need(n);
    std::string s(reinterpret_cast<const char*>(b.data() + pos), n);
    pos += n;
    return s;
  }
  template <class T>
  void get_array(std::vector<T>& v, std::uint64_t n) {
    need(n * sizeof(T));
    v.resize(n);
    if (n) std::memcpy(v.data(), b.data() + pos, n * sizeof(T));
    pos += n * sizeof(T);
  }
};

void get_table(Reader& r, data::Table& table) {
  const auto nc = r.get<std::uint32_t>();
  for (std::uint32_t c = 0; c < nc; ++c) {
    auto name = r.get_string();
    const auto kind = r.get<std::uint8_t>();
    const auto n = r.get<std::uint64_t>();
    if (kind == 0) {
      r.get_array(table.add_real(std::move(name)), n);
    } else if (kind == 1) {
      r.get_array(table.add_integer(std::move(name)), n);
    } else {
      AGGLO_ASSERT(kind == 2);
      auto& t = table.add_text(std::move(name));
      t.reserve(n);
      for (std::uint64_t i = 0; i < n; ++i) t.push_back(r.get_string());
    }
  }
}

}  // namespace

void encode_run(std::vector<std::uint8_t>& out, std::uint64_t index, const RunResult& run) {
  put(out, index);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(run.metrics.size()));
  for (const auto& [name, v] : run.metrics) {
    put_string(out, name);
    put(out, v);
  }
  put_table(out, run.steps);
  put_table(out, run.regions);
  put<std::uint64_t>(out, run.final_state.size());
  const auto* p = reinterpret_cast<const std::uint8_t*>(run.final_state.data());
  out.insert(out.end(), p, p + run.final_state.size() * sizeof(double));
}

std::vector<std::pair<std::uint64_t, RunResult>> decode_runs(const std::vector<std::uint8_t>& bytes) {
  std::vector<std::pair<std::uint64_t, RunResult>> out;
  Reader r{bytes};
  while (r.pos < bytes.size()) {
    const auto index = r.get<std::uint64_t>();
    RunResult run;
    const auto nm = r.get<std::uint32_t>();
    for (std::uint32_t i = 0; i < nm; ++i) {
      auto name = r.get_string();
      run.metrics.emplace_back(std::move(name), r.get<double>());
    }
    get_table(r, run.steps);
    get_table(r, run.regions);
    r.get_array(run.final_state, r.get<std::uint64_t>());
    out.emplace_back(index, std::move(run));
  }
  return out;
}

}  // namespace agglo::simulate::detail
