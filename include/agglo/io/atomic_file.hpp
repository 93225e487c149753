// agglo::io — all-or-nothing file writes.
//
// AtomicFile writes to a hidden temporary file beside the target ("dir/.name.tmp-PID-N") and
// renames it over the target on commit(). rename(2) within one directory is atomic on POSIX,
// so a reader sees the old file or the complete new one, never a truncated one. If commit()
// is never reached — an exception, Ctrl-C — the destructor removes the temporary file.
// AtomicDirectory does the same for a command that writes several files into a directory.
#pragma once

#include <cstdio>
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
  bool committed_ = false;
};

// Writes several files into `target_dir` through a temporary sibling directory that is
// renamed into place on commit (an existing target directory is replaced as a whole; files
// in it are kept only when `merge` is true, in which case each file is renamed in one by one).
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

// Creates a directory and its parents (throws cannot_write).
void make_directories(const std::string& dir);
bool file_exists(const std::string& path);

}  // namespace agglo::io
