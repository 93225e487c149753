#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "agglo/api/operation.hpp"
#include "agglo/io/atomic_file.hpp"
#include "agglo/io/table_writer.hpp"

namespace agglo::api {

namespace fs = std::filesystem;

std::vector<std::string> write_result(const Result& result, const std::string& output) {
  std::vector<io::NamedTable> named;
  for (const auto& [name, table] : result.tables) named.push_back({name, &table});
  std::vector<std::string> written;

  if (output.empty() || output == "-") {
    if (!named.empty()) {
      std::string text;
      io::append_csv(*named.front().table, text);
      std::fwrite(text.data(), 1, text.size(), stdout);
    }
    return written;
  }
  const auto ext = fs::path(output).extension().string();
  if (ext == ".csv") {
    if (named.empty()) return written;
    io::write_csv(*named.front().table, output);
    written.push_back(output);
    const auto stem = (fs::path(output).parent_path() / fs::path(output).stem()).string();
    for (std::size_t i = 1; i < named.size(); ++i) {
      const auto p = fmt::format("{}.{}.csv", stem, named[i].name);
      io::write_csv(*named[i].table, p);
      written.push_back(p);
    }
    if (!result.summary_json.empty()) {
      const auto p = fmt::format("{}.summary.json", stem);
      io::AtomicFile f(p);
      f.write(result.summary_json);
      f.write("\n");
      f.commit();
      written.push_back(p);
    }
  } else if (ext == ".json") {
    io::write_json(named, result.summary_json, output);
    written.push_back(output);
  } else if (ext == ".gpkg" || ext == ".geojson" || ext == ".shp" || ext == ".fgb") {
    // A GeoPackage is a workspace: results are added to it (same-named layers replaced).
    if (ext == ".gpkg") io::write_vector(named, output, /*update=*/true);
    else if (!named.empty()) io::write_vector({named.front()}, output);
    written.push_back(output);
  } else if (ext.empty() || fs::is_directory(output)) {
    io::AtomicDirectory dir(output);
    for (const auto& nt : named) io::write_csv(*nt.table, dir.path(nt.name + ".csv"));
    if (!result.summary_json.empty()) {
      io::AtomicFile f(dir.path("summary.json"));
      f.write(result.summary_json);
      f.write("\n");
      f.commit();
    }
    dir.commit();
    written.push_back(output);
  } else {
    throw_usage(ErrorCode::unsupported_format, fmt::format("unknown output format '{}'", ext),
                "use .csv, .json, .gpkg, .geojson, or a directory name without extension");
  }
  return written;
}

}  // namespace agglo::api
