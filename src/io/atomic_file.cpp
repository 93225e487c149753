#include "agglo/io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"

namespace agglo::io {

namespace fs = std::filesystem;

namespace {
std::atomic<unsigned> g_counter{0};

std::string temp_sibling(const std::string& target) {
  const fs::path p(target);
  const auto dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  return (dir / fmt::format(".{}.tmp-{}-{}", p.filename().string(), ::getpid(), g_counter++)).string();
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
  const fs::path p(target_);
  if (p.has_parent_path() && !fs::exists(p.parent_path()))
    make_directories(p.parent_path().string());
  temp_ = temp_sibling(target_);
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_)
    throw_io(ErrorCode::cannot_write, fmt::format("cannot create file: {}", std::strerror(errno)),
             target_, "check that the directory exists and is writable");
  static thread_local char buf[1 << 16];
  std::setvbuf(file_, buf, _IOFBF, sizeof buf);
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::write(std::string_view bytes) {
  if (!file_) throw_io(ErrorCode::cannot_write, "file already closed", target_);
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw_io(ErrorCode::cannot_write, fmt::format("write failed: {}", std::strerror(errno)), target_);
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
      throw_io(ErrorCode::cannot_write, fmt::format("write failed: {}", std::strerror(errno)), target_,
               "is the disk full?");
    }
    std::fclose(file_);
    file_ = nullptr;
  }
  if (std::rename(temp_.c_str(), target_.c_str()) != 0)
    throw_io(ErrorCode::cannot_write, fmt::format("cannot rename into place: {}", std::strerror(errno)), target_);
  committed_ = true;
}

AtomicDirectory::AtomicDirectory(std::string target_dir, bool merge)
    : target_(std::move(target_dir)), merge_(merge) {
  while (target_.size() > 1 && target_.back() == '/') target_.pop_back();
  const fs::path p(target_);
  if (p.has_parent_path() && !fs::exists(p.parent_path())) make_directories(p.parent_path().string());
  temp_ = temp_sibling(target_);
  make_directories(temp_);
}

AtomicDirectory::~AtomicDirectory() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(temp_, ec);
  }
}

std::string AtomicDirectory::path(const std::string& name) const { return temp_ + "/" + name; }

void AtomicDirectory::commit() {
  parallel::check_cancelled();
  std::error_code ec;
  if (merge_ && fs::is_directory(target_, ec)) {
    // Each file is renamed in atomically; a reader may see a mix of old and new files only
    // for the instant between two renames, never a truncated file.
    for (const auto& entry : fs::directory_iterator(temp_)) {
      const auto dst = fs::path(target_) / entry.path().filename();
      if (fs::is_directory(dst, ec)) fs::remove_all(dst, ec);
      fs::rename(entry.path(), dst, ec);
      if (ec) throw_io(ErrorCode::cannot_write, fmt::format("cannot move into place: {}", ec.message()), dst.string());
    }
    fs::remove_all(temp_, ec);
  } else {
    if (fs::exists(target_, ec)) fs::remove_all(target_, ec);
    fs::rename(temp_, target_, ec);
    if (ec) throw_io(ErrorCode::cannot_write, fmt::format("cannot move into place: {}", ec.message()), target_);
  }
  committed_ = true;
}

}  // namespace agglo::io
