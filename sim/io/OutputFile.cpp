// Atomic, buffered, optionally gzip-compressed text outputs.
#include "io/OutputFile.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "io/Error.hpp"

namespace suanli::io {

namespace {

/// zlib's description of the last error on `gz` (the system's when zlib reports Z_ERRNO).
std::string gz_reason(gzFile gz, int saved_errno) {
  int code = Z_OK;
  const char* message = gzerror(gz, &code);
  if (code == Z_ERRNO || message == nullptr || *message == '\0') return std::strerror(saved_errno);
  return message;
}

/// Partial files of this process, for the signal handler: fixed storage, written before a slot is
/// marked ready, so the handler reads only complete paths (async-signal-safe: no allocation).
constexpr std::size_t kSlots = 256;
constexpr std::size_t kSlotPathBytes = 4096;
struct Slot {
  std::atomic<int> state{0};  ///< 0 free, 1 being filled, 2 ready
  char path[kSlotPathBytes];
};
Slot g_slots[kSlots];

void on_interrupt(int signal) {
  for (auto& slot : g_slots)
    if (slot.state.load() == 2) ::unlink(slot.path);
  static constexpr char kMessage[] = "suanli: interrupted; partial outputs removed\n";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(signal == SIGINT || signal == SIGTERM ? kExitInterrupted : 128 + signal);
}

/// A random name part: 16 hex digits from the system's random source.
std::string random_hex() {
  std::random_device device;
  const std::uint64_t value = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (std::size_t i = 0; i < 16; ++i) out[i] = kHex[(value >> (4 * i)) & 0xF];
  return out;
}

}  // namespace

int create_partial_file(const std::string& final_path, std::string& partial_path) {
  namespace fs = std::filesystem;
  const fs::path target(final_path);
  struct stat st {};
  if (::lstat(final_path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
    throw UserError(final_path, "",
                    S_ISDIR(st.st_mode) ? "is a directory; give a file name for the output"
                                        : "exists and is not a regular file (a device, pipe or socket); "
                                          "refusing to replace it");
  }
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string base = target.filename().string();
  for (int attempt = 0; attempt < 16; ++attempt) {
    partial_path = (folder / ("." + base + "." + random_hex() + ".partial")).string();
    errno = 0;
    const int fd = ::open(partial_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) {
      const int error = errno;
      throw UserError(final_path, "",
                      "cannot create a file in " + folder.string() + ": " + std::strerror(error));
    }
  }
  throw UserError(final_path, "", "cannot create a unique temporary file in " + folder.string());
}

int register_partial_file(const std::string& path) {
  if (path.size() >= kSlotPathBytes) return -1;
  for (std::size_t i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!g_slots[i].state.compare_exchange_strong(expected, 1)) continue;
    std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
    g_slots[i].state.store(2);
    return static_cast<int>(i);
  }
  return -1;  // more than kSlots at once: this one is not removed on a signal
}

void unregister_partial_file(int slot) {
  if (slot >= 0) g_slots[static_cast<std::size_t>(slot)].state.store(0);
}

void install_interrupt_cleanup() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  for (const int signal : {SIGINT, SIGTERM}) ::sigaction(signal, &action, nullptr);
}

OutputFile::OutputFile(std::string final_path, bool gzip) : final_path_(std::move(final_path)) {
  buffer_.reserve(kBufferBytes);
  const int fd = create_partial_file(final_path_, partial_path_);
  slot_ = register_partial_file(partial_path_);
  errno = 0;
  if (gzip) {
    gz_ = gzdopen(fd, "wb");
    if (gz_ == nullptr) {
      const int error = errno != 0 ? errno : ENOMEM;
      ::close(fd);
      discard();
      fail("cannot create " + partial_path_, error);
    }
    // Let zlib compress large chunks; our own buffer batches the small writes.
    gzbuffer(gz_, static_cast<unsigned>(kBufferBytes));
  } else {
    file_ = ::fdopen(fd, "wb");
    if (file_ == nullptr) {
      const int error = errno;
      ::close(fd);
      discard();
      fail("cannot create " + partial_path_, error);
    }
    // Our buffer batches the writes; stdio's would only copy them again.
    std::setvbuf(file_, nullptr, _IONBF, 0);
  }
}

void OutputFile::discard() {
  unregister_partial_file(slot_);
  slot_ = -1;
  ::unlink(partial_path_.c_str());
}

OutputFile::~OutputFile() {
  if (committed_) return;
  if (file_ != nullptr) std::fclose(file_);
  if (gz_ != nullptr) gzclose(gz_);
  discard();
}

void OutputFile::fail(const std::string& what, int saved_errno) const {
  throw UserError(final_path_, "", what + ": " + std::strerror(saved_errno));
}

void OutputFile::write(std::string_view text) {
  if (file_ == nullptr && gz_ == nullptr)
    throw std::logic_error("OutputFile::write after commit: " + final_path_);
  if (buffer_.size() + text.size() > kBufferBytes) {
    flush_buffer();
    if (text.size() >= kBufferBytes) {
      write_through(text);
      return;
    }
  }
  buffer_.append(text);
}

void OutputFile::flush_buffer() {
  write_through(buffer_);
  buffer_.clear();
}

void OutputFile::write_through(std::string_view bytes) {
  if (bytes.empty()) return;
  if (file_ != nullptr) {
    errno = 0;
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
      fail("cannot write " + partial_path_, errno != 0 ? errno : EIO);
    }
    return;
  }
  // gzwrite takes an unsigned length: write in chunks of at most the buffer size.
  while (!bytes.empty()) {
    const std::size_t chunk = std::min(bytes.size(), kBufferBytes);
    errno = 0;
    const int written = gzwrite(gz_, bytes.data(), static_cast<unsigned>(chunk));
    if (written <= 0) {
      throw UserError(final_path_, "", "cannot write " + partial_path_ + ": " + gz_reason(gz_, errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

void OutputFile::close() {
  if (file_ != nullptr) {
    std::FILE* f = std::exchange(file_, nullptr);
    errno = 0;
    const bool bad = std::ferror(f) != 0;
    if (std::fclose(f) != 0 || bad) fail("cannot write " + partial_path_, errno != 0 ? errno : EIO);
  }
  if (gz_ != nullptr) {
    gzFile g = std::exchange(gz_, nullptr);
    errno = 0;
    const int code = gzclose(g);
    if (code != Z_OK) {
      const std::string reason =
          code == Z_ERRNO && errno != 0 ? std::strerror(errno) : "zlib error " + std::to_string(code);
      throw UserError(final_path_, "", "cannot write " + partial_path_ + ": " + reason);
    }
  }
}

void OutputFile::commit() {
  if (committed_ || (file_ == nullptr && gz_ == nullptr)) {
    throw std::logic_error("OutputFile::commit called twice: " + final_path_);
  }
  flush_buffer();
  close();
  errno = 0;
  // rename() replaces a symbolic link planted at the final name; it never writes through it.
  if (std::rename(partial_path_.c_str(), final_path_.c_str()) != 0) {
    fail("cannot rename " + partial_path_ + " to " + final_path_, errno);
  }
  unregister_partial_file(slot_);
  slot_ = -1;
  committed_ = true;
}

}  // namespace suanli::io
