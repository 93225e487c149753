#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

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

// Issue 20: links planted at the temporary names an earlier version used (".NAME.tmp-PID-N")
// must never be followed; exclusive creation writes beside them and leaves their targets alone.
TEST(AtomicFile, PlantedLinksAtTemporaryNamesAreNeverFollowed) {
  test_support::TempDir d;
  const auto victim = d.write("victim.txt", "precious\n");
  fs::create_directory(d.file("victim_dir"));
  for (int n = 0; n < 50; ++n) {
    fs::create_symlink(victim, d.file(".out.csv.tmp-" + std::to_string(::getpid()) + "-" + std::to_string(n)));
    fs::create_directory_symlink(d.file("victim_dir"),
                                 d.file(".res.tmp-" + std::to_string(::getpid()) + "-" + std::to_string(n)));
  }
  {
    io::AtomicFile f(d.file("out.csv"));
    EXPECT_FALSE(fs::is_symlink(fs::symlink_status(f.temp_path())));
    f.write("new\n");
    f.commit();
  }
  {
    io::AtomicDirectory dir(d.file("res"));
    EXPECT_FALSE(fs::is_symlink(fs::symlink_status(dir.temp_dir())));
    std::ofstream(dir.path("a.csv")) << "x\n";
    dir.commit();
  }
  EXPECT_EQ(slurp(victim), "precious\n");
  EXPECT_TRUE(fs::is_empty(d.file("victim_dir")));
  EXPECT_EQ(slurp(d.file("out.csv")), "new\n");
  EXPECT_EQ(slurp(d.file("res/a.csv")), "x\n");
}

// Two files open at once on one thread each keep their own bytes (one stdio buffer per file).
TEST(AtomicFile, SeveralOpenAtOnceKeepTheirOwnBytes) {
  test_support::TempDir d;
  io::AtomicFile a(d.file("a.csv")), b(d.file("b.csv"));
  for (int i = 0; i < 20000; ++i) {
    a.write("aaaa\n");
    b.write("bb\n");
  }
  a.commit();
  b.commit();
  EXPECT_EQ(slurp(d.file("a.csv")), [] { std::string s; for (int i = 0; i < 20000; ++i) s += "aaaa\n"; return s; }());
  EXPECT_EQ(slurp(d.file("b.csv")), [] { std::string s; for (int i = 0; i < 20000; ++i) s += "bb\n"; return s; }());
}

// A directory result switches as a whole: with merge, files the run did not write are kept;
// without, the old directory is replaced entirely.
TEST(AtomicDirectory, SwitchesAsAWholeAndMergeKeepsOtherFiles) {
  test_support::TempDir d;
  const auto target = d.file("result");
  fs::create_directory(target);
  d.write("result/a.csv", "old a\n");
  d.write("result/notes.txt", "mine\n");
  {
    io::AtomicDirectory dir(target, /*merge=*/true);
    std::ofstream(dir.path("a.csv")) << "new a\n";
    // Before commit the old directory is untouched.
    EXPECT_EQ(slurp(target + "/a.csv"), "old a\n");
    dir.commit();
  }
  EXPECT_EQ(slurp(target + "/a.csv"), "new a\n");
  EXPECT_EQ(slurp(target + "/notes.txt"), "mine\n");
  {
    io::AtomicDirectory dir(target, /*merge=*/false);
    std::ofstream(dir.path("b.csv")) << "b\n";
    dir.commit();
  }
  EXPECT_FALSE(fs::exists(target + "/a.csv"));
  EXPECT_FALSE(fs::exists(target + "/notes.txt"));
  EXPECT_EQ(slurp(target + "/b.csv"), "b\n");
  EXPECT_EQ(entries(d.path()), 1u);  // no temporary or old copy left beside it
}

// Temporaries of a killed run (a dead PID) are removed by the next write of the same target;
// those of a live process (here: PID 1) and unrelated hidden files are left alone.
TEST(AtomicFile, StaleTemporariesOfDeadRunsAreRemoved) {
  test_support::TempDir d;
  // A PID that is not running: the child of a fork that has exited and been reaped.
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  int status = 0;
  ::waitpid(dead, &status, 0);
  const auto stale_file = d.write(".out.csv.tmp-" + std::to_string(dead) + "-0-abcdef", "half");
  const auto stale_dir = d.file(".out.csv.tmp-" + std::to_string(dead) + "-1-ghijkl");
  fs::create_directory(stale_dir);
  d.write(".out.csv.tmp-" + std::to_string(dead) + "-1-ghijkl/x.csv", "half");
  const auto live = d.write(".out.csv.tmp-1-0-mnopqr", "someone else's");
  const auto other = d.write(".other.csv.tmp-" + std::to_string(dead) + "-0-stuvwx", "not this target's");
  {
    io::AtomicFile f(d.file("out.csv"));
    f.write("new\n");
    f.commit();
  }
  EXPECT_FALSE(fs::exists(stale_file));
  EXPECT_FALSE(fs::exists(stale_dir));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(other));
}

// AtomicStage: a writer's main file and its sidecars appear together on commit, nothing before.
TEST(AtomicStage, MovesTheFileAndItsSidecarsOnCommitOnly) {
  test_support::TempDir d;
  {
    io::AtomicStage stage(d.file("map.shp"));
    std::ofstream(stage.path()) << "shp";
    std::ofstream(fs::path(stage.path()).replace_extension(".dbf")) << "dbf";
  }
  EXPECT_EQ(entries(d.path()), 0u);
  {
    io::AtomicStage stage(d.file("map.shp"));
    std::ofstream(stage.path()) << "shp";
    std::ofstream(fs::path(stage.path()).replace_extension(".dbf")) << "dbf";
    EXPECT_FALSE(fs::exists(d.file("map.shp")));
    stage.commit();
  }
  EXPECT_EQ(slurp(d.file("map.shp")), "shp");
  EXPECT_EQ(slurp(d.file("map.dbf")), "dbf");
  EXPECT_EQ(entries(d.path()), 2u);
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
