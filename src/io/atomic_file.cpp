#include "agglo/io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"

namespace agglo::io {

namespace fs = std::filesystem;

namespace {

std::atomic<unsigned> g_counter{0};

// Six unpredictable characters for temporary names (never the only protection: temporaries
// are also created exclusively, so a planted name makes the creation fail, never follow).
std::string random_suffix() {
  static thread_local std::mt19937_64 rng(std::random_device{}() ^
                                          static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                                          (static_cast<std::uint64_t>(::getpid()) << 32));
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(6, 'x');
  for (auto& c : s) c = alphabet[rng() % 36];
  return s;
}

fs::path parent_of(const std::string& target) {
  const fs::path p(target);
  return p.has_parent_path() ? p.parent_path() : fs::path(".");
}

// ".NAME.tmp-PID-COUNTER-RANDOM": the pid lets a later run prove the writer dead.
std::string temp_name(const std::string& target) {
  const fs::path p(target);
  return (parent_of(target) / fmt::format(".{}.tmp-{}-{}-{}", p.filename().string(), ::getpid(), g_counter++,
                                           random_suffix()))
      .string();
}

// Removes temporaries of `target` left by runs that were killed (SIGKILL, power loss): entries
// named ".NAME.tmp-PID-…" in the same directory, owned by us, whose PID no longer exists.
// A live PID (ours, or another run writing now) is never touched; nor is anything else.
void remove_stale_temporaries(const std::string& target) {
  const fs::path p(target);
  const std::string prefix = "." + p.filename().string() + ".tmp-";
  std::error_code ec;
  for (fs::directory_iterator it(parent_of(target), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const auto rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0) continue;
    pid_t pid = 0;
    try {
      pid = static_cast<pid_t>(std::stol(rest.substr(0, dash)));
    } catch (...) {
      continue;
    }
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || st.st_uid != ::getuid()) continue;
    std::error_code rm;
    if (S_ISDIR(st.st_mode)) fs::remove_all(it->path(), rm);
    else fs::remove(it->path(), rm);  // a symlink is removed itself, never its target
  }
}

// A private (0700) directory ".NAME.tmp-PID-N-XXXXXX" beside `target`. mkdtemp creates it
// exclusively: mkdir fails on an existing name or link, so nothing planted is ever followed.
std::string make_temporary_directory(const std::string& target) {
  std::string tmpl = (parent_of(target) / fmt::format(".{}.tmp-{}-{}-XXXXXX", fs::path(target).filename().string(),
                                                      ::getpid(), g_counter++))
                         .string();
  if (!::mkdtemp(tmpl.data()))
    throw_io(ErrorCode::cannot_write, fmt::format("cannot create a directory beside it: {}", std::strerror(errno)),
             target, "check that the parent directory exists and is writable");
  return tmpl;
}

// Before writing beside `target`: its directory exists, and temporaries of dead runs are gone.
void prepare_beside(const std::string& target) {
  const fs::path p(target);
  std::error_code ec;
  if (p.has_parent_path() && !fs::exists(p.parent_path(), ec)) make_directories(p.parent_path().string());
  remove_stale_temporaries(target);
}

}  // namespace

void make_directories(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw_io(ErrorCode::cannot_write, fmt::format("cannot create directory: {}", ec.message()), dir);
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

AtomicFile::AtomicFile(std::string target) : target_(std::move(target)) {
  prepare_beside(target_);
  // Exclusive creation: O_EXCL fails on any existing name, symlinks included (O_NOFOLLOW for
  // good measure), so a link planted at a guessed temporary name is never followed.
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp_ = temp_name(target_);
    fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0)
    throw_io(ErrorCode::cannot_write, fmt::format("cannot create file: {}", std::strerror(errno)), target_,
             "check that the directory exists and is writable");
  file_ = ::fdopen(fd, "wb");
  if (!file_) {
    ::close(fd);
    std::remove(temp_.c_str());
    throw_io(ErrorCode::cannot_write, fmt::format("cannot open file: {}", std::strerror(errno)), target_);
  }
  constexpr std::size_t buffer_size = 1 << 16;
  buffer_ = std::make_unique<char[]>(buffer_size);
  std::setvbuf(file_, buffer_.get(), _IOFBF, buffer_size);
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::write(std::string_view bytes) {
  if (!file_) throw_io(ErrorCode::cannot_write, "file already closed", target_);
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw_io(ErrorCode::cannot_write, fmt::format("write failed: {}", std::strerror(errno)), target_,
             "is the disk full?");
}

void AtomicFile::release_handle() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

void AtomicFile::commit() {
  // Last chance to honour Ctrl-C: after the rename the result is complete and kept.
  parallel::check_cancelled();
  if (file_) {
    if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) {
      const int err = errno;
      throw_io(ErrorCode::cannot_write, fmt::format("write failed: {}", std::strerror(err)), target_,
               "is the disk full?");
    }
    const int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0)
      throw_io(ErrorCode::cannot_write, fmt::format("write failed: {}", std::strerror(errno)), target_,
               "is the disk full?");
  }
  if (std::rename(temp_.c_str(), target_.c_str()) != 0)
    throw_io(ErrorCode::cannot_write, fmt::format("cannot rename into place: {}", std::strerror(errno)), target_);
  committed_ = true;
}

AtomicDirectory::AtomicDirectory(std::string target_dir, bool merge)
    : target_(std::move(target_dir)), merge_(merge) {
  while (target_.size() > 1 && target_.back() == '/') target_.pop_back();
  prepare_beside(target_);
  temp_ = make_temporary_directory(target_);
  // mkdtemp makes it private (0700); give it the mode a plain mkdir would have.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(temp_.c_str(), 0777 & ~mask);
}

AtomicDirectory::~AtomicDirectory() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(temp_, ec);
  }
}

std::string AtomicDirectory::path(const std::string& name) const { return temp_ + "/" + name; }

namespace {

// Hard links of `from`'s tree into `to` (cp -al): the files the run did not write stay in the
// new directory without being copied. Falls back to a copy across file systems.
void link_tree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
    const auto dst = to / it->path().filename();
    if (fs::exists(fs::symlink_status(dst, ec))) continue;  // the run wrote this one
    const auto st = it->symlink_status(ec);
    if (fs::is_directory(st)) {
      fs::create_directory(dst, ec);
      link_tree(it->path(), dst);
    } else if (fs::is_symlink(st)) {
      fs::copy_symlink(it->path(), dst, ec);
    } else {
      fs::create_hard_link(it->path(), dst, ec);
      if (ec) fs::copy_file(it->path(), dst, ec);
    }
    if (ec) throw_io(ErrorCode::cannot_write, fmt::format("cannot keep {}: {}", it->path().string(), ec.message()), dst.string());
  }
}

}  // namespace

AtomicStage::AtomicStage(std::string target) : target_(std::move(target)) {
  const fs::path p(target_);
  prepare_beside(target_);
  dir_ = make_temporary_directory(target_);
  path_ = (fs::path(dir_) / p.filename()).string();
}

AtomicStage::~AtomicStage() {
  std::error_code ec;
  if (!committed_) fs::remove_all(dir_, ec);
}

void AtomicStage::commit() {
  parallel::check_cancelled();
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) files.push_back(it->path());
  if (files.empty()) throw_io(ErrorCode::cannot_write, "the writer produced no file", target_);
  // Durable before visible: fsync each file, then rename it beside its siblings; the main
  // file last, so a reader that finds it finds its sidecars too.
  std::sort(files.begin(), files.end(), [&](const fs::path& a, const fs::path& b) {
    const bool am = a.filename() == fs::path(path_).filename(), bm = b.filename() == fs::path(path_).filename();
    return am != bm ? bm : a < b;
  });
  for (const auto& f : files) {
    const int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || ::fsync(fd) != 0) {
      const int err = errno;
      if (fd >= 0) ::close(fd);
      throw_io(ErrorCode::cannot_write, fmt::format("write failed: {}", std::strerror(err)), target_, "is the disk full?");
    }
    ::close(fd);
  }
  for (const auto& f : files) {
    const auto dst = parent_of(target_) / f.filename();
    if (fs::is_directory(fs::symlink_status(dst, ec)))
      throw_io(ErrorCode::cannot_write, "is a directory", dst.string(), "choose another output path");
    if (std::rename(f.c_str(), dst.c_str()) != 0)
      throw_io(ErrorCode::cannot_write, fmt::format("cannot rename into place: {}", std::strerror(errno)), dst.string());
  }
  committed_ = true;
  fs::remove_all(dir_, ec);
}

void AtomicDirectory::commit() {
  parallel::check_cancelled();
  std::error_code ec;
  const bool exists = fs::is_directory(fs::symlink_status(target_, ec));
  if (!exists) {
    if (fs::exists(fs::symlink_status(target_, ec)))
      throw_io(ErrorCode::cannot_write, "exists and is not a directory", target_, "choose another output path");
    fs::rename(temp_, target_, ec);
    if (ec) throw_io(ErrorCode::cannot_write, fmt::format("cannot move into place: {}", ec.message()), target_);
    committed_ = true;
    return;
  }
  // The new directory is complete beside the old one; with `merge`, the old one's other
  // entries join it as hard links. Then one renameat2(RENAME_EXCHANGE) switches them: a reader
  // (or a killed run) sees the old directory or the new one, never a mix.
  if (merge_) link_tree(target_, temp_);
  if (::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
    committed_ = true;  // temp_ now holds the old directory
    fs::remove_all(temp_, ec);
    return;
  }
  // File systems without RENAME_EXCHANGE: move the old one aside, then the new one in (a
  // crash in between leaves the old one at its aside name, which a later run removes).
  const std::string aside = temp_name(target_);
  fs::rename(target_, aside, ec);
  if (ec) throw_io(ErrorCode::cannot_write, fmt::format("cannot replace: {}", ec.message()), target_);
  fs::rename(temp_, target_, ec);
  if (ec) {
    std::error_code back;
    fs::rename(aside, target_, back);
    throw_io(ErrorCode::cannot_write, fmt::format("cannot move into place: {}", ec.message()), target_);
  }
  committed_ = true;
  fs::remove_all(aside, ec);
}

}  // namespace agglo::io
