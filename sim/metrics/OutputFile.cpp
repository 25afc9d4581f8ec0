// Atomic, buffered, optionally gzip-compressed text outputs; CSV escaping and exact number formatting.
#include "metrics/OutputFile.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "model/Error.hpp"

namespace suanli::metrics {

namespace {

/// zlib's description of the last error on `gz` (the system's when zlib reports Z_ERRNO).
std::string gz_reason(gzFile gz, int saved_errno) {
  int code = Z_OK;
  const char* message = gzerror(gz, &code);
  if (code == Z_ERRNO || message == nullptr || *message == '\0') return std::strerror(saved_errno);
  return message;
}

}  // namespace

OutputFile::OutputFile(std::string final_path, bool gzip)
    : final_path_(std::move(final_path)), partial_path_(final_path_ + ".partial") {
  buffer_.reserve(kBufferBytes);
  errno = 0;
  if (gzip) {
    gz_ = gzopen(partial_path_.c_str(), "wb");
    if (gz_ == nullptr) fail("cannot create " + partial_path_, errno != 0 ? errno : ENOMEM);
    // Let zlib compress large chunks; our own buffer batches the small writes.
    gzbuffer(gz_, static_cast<unsigned>(kBufferBytes));
  } else {
    file_ = std::fopen(partial_path_.c_str(), "wb");
    if (file_ == nullptr) fail("cannot create " + partial_path_, errno);
    // Our buffer batches the writes; stdio's would only copy them again.
    std::setvbuf(file_, nullptr, _IONBF, 0);
  }
}

OutputFile::~OutputFile() {
  if (committed_) return;
  if (file_ != nullptr) std::fclose(file_);
  if (gz_ != nullptr) gzclose(gz_);
  std::remove(partial_path_.c_str());
}

void OutputFile::fail(const std::string& what, int saved_errno) const {
  throw model::UserError(final_path_, "", what + ": " + std::strerror(saved_errno));
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
      throw model::UserError(final_path_, "", "cannot write " + partial_path_ + ": " + gz_reason(gz_, errno));
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
      throw model::UserError(final_path_, "", "cannot write " + partial_path_ + ": " + reason);
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
  if (std::rename(partial_path_.c_str(), final_path_.c_str()) != 0) {
    fail("cannot rename " + partial_path_ + " to " + final_path_, errno);
  }
  committed_ = true;
}

std::string csv_escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string format_double(double x) {
  // The shortest round-trip form never needs more than 24 characters (-2.2250738585072014e-308).
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, x);
  if (result.ec != std::errc()) throw std::logic_error("format_double: buffer too small");
  return std::string(buf, result.ptr);
}

std::string format_double_or_empty(double x) { return std::isfinite(x) ? format_double(x) : std::string(); }

std::string format_fixed(double x, int decimals) {
  if (decimals < 0)
    throw std::invalid_argument("format_fixed: decimals must be >= 0, got " + std::to_string(decimals));
  // Sign, up to 309 integer digits, the point and the decimals.
  std::string out(std::numeric_limits<double>::max_exponent10 + 4 + static_cast<std::size_t>(decimals), '\0');
  const auto result =
      std::to_chars(out.data(), out.data() + out.size(), x, std::chars_format::fixed, decimals);
  if (result.ec != std::errc()) throw std::logic_error("format_fixed: buffer too small");
  out.resize(static_cast<std::size_t>(result.ptr - out.data()));
  return out;
}

}  // namespace suanli::metrics
