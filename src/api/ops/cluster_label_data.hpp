// Private to `agglo define-clusters`: reads the benchmark cluster taxonomy and a user's
// industry names file (--names) that label the clusters it finds (clusters/cluster_labels.hpp).
// The default names come from the shared io/code_names.hpp.
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "agglo/clusters/cluster_labels.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/core/data_dir.hpp"

namespace agglo::api::detail {

inline io::ColumnSpec label_column(std::string name, io::ColumnKind kind) {
  io::ColumnSpec c;
  c.name = std::move(name);
  c.kind = kind;
  c.allow_empty = kind == io::ColumnKind::text;
  return c;
}

// cluster_id,cluster,…,naics2007 (data/taxonomy/us_benchmark_clusters_naics2007.csv). An
// industry listed twice keeps its first cluster.
inline clusters::BenchmarkClusters load_benchmark_clusters(const std::string& path) {
  io::TableSpec spec{"benchmark clusters",
                     {label_column("cluster_id", io::ColumnKind::integer), label_column("cluster", io::ColumnKind::text),
                      label_column("naics2007", io::ColumnKind::code)},
                     {}};
  const auto t = io::read_table(path, spec);
  clusters::BenchmarkClusters b;
  const auto& code = t.col("naics2007");
  for (std::size_t k = 0; k < t.rows; ++k)
    b.of.emplace(std::string(code.dictionary.name(code.codes[k])),
                 std::make_pair(t.col("cluster_id").integers[k], t.col("cluster").texts[k]));
  return b;
}

// code,name[,…] tables (data/names/naics2007.csv …); the first file naming a code wins.
inline std::unordered_map<std::string, std::string> load_code_names(const std::vector<std::string>& paths) {
  std::unordered_map<std::string, std::string> names;
  for (const auto& path : paths) {
    io::TableSpec spec{"industry names", {label_column("code", io::ColumnKind::code), label_column("name", io::ColumnKind::text)}, {}};
    const auto t = io::read_table(path, spec);
    const auto& code = t.col("code");
    for (std::size_t k = 0; k < t.rows; ++k)
      names.emplace(std::string(code.dictionary.name(code.codes[k])), t.col("name").texts[k]);
  }
  return names;
}

// The bundled default: the US benchmark clusters (names come from io/code_names.hpp).
inline std::string bundled_benchmark() {
  return core::data_dir() + "/taxonomy/us_benchmark_clusters_naics2007.csv";
}

}  // namespace agglo::api::detail
