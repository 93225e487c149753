#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "agglo/io/atomic_file.hpp"
#include "agglo/io/table_writer.hpp"

using namespace agglo;
namespace fs = std::filesystem;

namespace {
std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
std::size_t entries(const std::string& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}
}  // namespace

TEST(AtomicFile, CommitReplacesAndAbandonLeavesTheOldFile) {
  test_support::TempDir d;
  const auto target = d.write("out.csv", "old\n");
  {
    io::AtomicFile f(target);
    f.write("new, partial");
    // No commit: as if an exception or Ctrl-C unwound the stack here.
  }
  EXPECT_EQ(slurp(target), "old\n");
  EXPECT_EQ(entries(d.path()), 1u);  // the temporary file is gone
  {
    io::AtomicFile f(target);
    f.write("new\n");
    f.commit();
  }
  EXPECT_EQ(slurp(target), "new\n");
  EXPECT_EQ(entries(d.path()), 1u);
}

TEST(AtomicDirectory, AllOrNothing) {
  test_support::TempDir d;
  const auto target = d.file("result");
  {
    io::AtomicDirectory dir(target);
    std::ofstream(dir.path("a.csv")) << "x\n";
  }
  EXPECT_FALSE(fs::exists(target));
  EXPECT_EQ(entries(d.path()), 0u);
  {
    io::AtomicDirectory dir(target);
    std::ofstream(dir.path("a.csv")) << "x\n";
    dir.commit();
  }
  EXPECT_EQ(slurp(target + "/a.csv"), "x\n");
}

TEST(TableWriter, CsvEscapingAndMissingValues) {
  data::Table t;
  t.add_text("name", {"plain", "with,comma", "say \"hi\"", "two\nlines"});
  t.add_real("v", {1.5, std::nan(""), 0.1 + 0.2, 1e300});
  t.add_integer("n", {1, -2, 3, 4});
  std::string out;
  io::append_csv(t, out);
  EXPECT_EQ(out,
            "name,v,n\nplain,1.5,1\n\"with,comma\",,-2\n\"say \"\"hi\"\"\",0.30000000000000004,3\n"
            "\"two\nlines\",1e+300,4\n");
}
