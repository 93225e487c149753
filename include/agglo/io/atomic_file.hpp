// agglo::io — all-or-nothing file writes.
//
// AtomicFile writes to a hidden temporary file beside the target ("dir/.NAME.tmp-PID-N-RANDOM",
// created exclusively with O_CREAT|O_EXCL|O_NOFOLLOW, so a link planted at that name is never
// followed) and renames it over the target on commit(). rename(2) within one directory is
// atomic on POSIX, so a reader sees the old file or the complete new one, never a truncated
// one. If commit() is never reached (an exception, Ctrl-C) the destructor removes the
// temporary. A run killed outright (SIGKILL, power loss) leaves its temporary behind; the next
// write of the same target removes temporaries whose process is provably dead.
// AtomicDirectory does the same for a command that writes several files into a directory, and
// AtomicStage for writers that create their own files (GDAL).
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agglo::io {

class AtomicFile {
 public:
  explicit AtomicFile(std::string target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::string& temp_path() const { return temp_; }
  const std::string& target() const { return target_; }
  // Buffered writes through stdio (throws cannot_write on failure).
  void write(std::string_view bytes);
  std::FILE* stream() { return file_; }
  // Flushes, fsyncs, closes and renames over the target.
  void commit();
  // For writers that create the temp file themselves (GDAL): close our handle, keep the path.
  void release_handle();

 private:
  std::string target_;
  std::string temp_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<char[]> buffer_;  // stdio buffer of this file (one per file: several may be open)
  bool committed_ = false;
};

// Writes several files into `target_dir` through a temporary sibling directory (mkdtemp) that
// switches places with the target in one step on commit (renameat2 RENAME_EXCHANGE): readers
// and killed runs see the old directory or the new one, never a mix. With `merge`, entries of
// the old directory that the run did not write are kept (hard-linked into the new one before
// the switch); without it the old directory is replaced as a whole.
class AtomicDirectory {
 public:
  explicit AtomicDirectory(std::string target_dir, bool merge = true);
  ~AtomicDirectory();
  AtomicDirectory(const AtomicDirectory&) = delete;
  AtomicDirectory& operator=(const AtomicDirectory&) = delete;
  // Path inside the temporary directory for a file named `name`.
  std::string path(const std::string& name) const;
  const std::string& temp_dir() const { return temp_; }
  void commit();

 private:
  std::string target_;
  std::string temp_;
  bool merge_;
  bool committed_ = false;
};

// For writers that create their files themselves (GDAL): a private directory beside `target`
// (created exclusively, mode 0700) in which the writer creates path() — the target's own file
// name, so drivers that go by the extension (.shp, .fgb, .geojson) work — and any sidecar
// files it makes (a Shapefile's .shx/.dbf/.prj). commit() fsyncs every file and renames each
// into the target's directory; the destructor removes the stage when commit() was not reached.
// Nothing is ever written through a predictable name or a link.
class AtomicStage {
 public:
  explicit AtomicStage(std::string target);
  ~AtomicStage();
  AtomicStage(const AtomicStage&) = delete;
  AtomicStage& operator=(const AtomicStage&) = delete;
  const std::string& path() const { return path_; }
  const std::string& target() const { return target_; }
  void commit();

 private:
  std::string target_, dir_, path_;
  bool committed_ = false;
};

// Creates a directory and its parents (throws cannot_write).
void make_directories(const std::string& dir);
bool file_exists(const std::string& path);

}  // namespace agglo::io
