// Line-by-line reading of plain or gzip text traces through zlib, with text and number checks.
#include "io/LineReader.hpp"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <system_error>

#include "io/Error.hpp"
#include "io/JsonReader.hpp"

namespace suanli::io {

namespace {

constexpr std::size_t kBufferBytes = 64 * 1024;
constexpr std::size_t kMaxLineBytes = 1024 * 1024;

gzFile as_gz(void* file) { return static_cast<gzFile>(file); }

std::string hex_byte(unsigned char byte) {
  constexpr char kDigits[] = "0123456789abcdef";
  return std::string("0x") + kDigits[byte >> 4] + kDigits[byte & 0xF];
}

/// Why `text` is not a line of UTF-8 text (control bytes other than tab included), or "".
std::string text_problem(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = bytes[i];
    // Built only for an error message (this runs on every byte of every line read).
    const auto where = [i] { return " at column " + std::to_string(i + 1); };
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        return "not a text file: control byte " + hex_byte(c) + where();
      }
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // no overlong forms
      if (c == 0xED) high = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
      return "not a text file: byte " + hex_byte(c) + where() + " is not valid UTF-8";
    }
    bool valid = i + length <= n;
    for (std::size_t k = 1; valid && k < length; ++k) {
      const unsigned char next = bytes[i + k];
      valid = k == 1 ? (next >= low && next <= high) : (next >= 0x80 && next <= 0xBF);
    }
    if (!valid) return "not a text file: byte " + hex_byte(c) + where() + " starts an invalid UTF-8 sequence";
    i += length;
  }
  return "";
}

/// `text` quoted for an error message, cut after 40 bytes.
std::string quote_text(std::string_view text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax) return "\"" + std::string(text) + "\"";
  return "\"" + std::string(text.substr(0, kMax)) + "...\"";
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

void LineReader::GzClose::operator()(void* file) const { gzclose(as_gz(file)); }

LineReader::LineReader(std::string path) : path_(std::move(path)), buffer_(kBufferBytes) {
  const int fd = open_input_file(path_);
  try {
    check_expansion(fd);
  } catch (...) {
    ::close(fd);
    throw;
  }
  errno = 0;
  gzFile file = gzdopen(fd, "rb");
  if (file == nullptr) {
    const int error = errno;
    ::close(fd);
    throw UserError(path_, "",
                    std::string("cannot open: ") + (error != 0 ? std::strerror(error) : "out of memory"));
  }
  file_.reset(file);
  gzbuffer(file, 128 * 1024);
}

void LineReader::check_expansion(int fd) {
  unsigned char magic[2] = {0, 0};
  if (::pread(fd, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b) return;  // not gzip
  const int copy = ::dup(fd);
  if (copy < 0) throw UserError(path_, "", std::string("cannot read: ") + std::strerror(errno));
  gzFile file = gzdopen(copy, "rb");
  if (file == nullptr) {
    ::close(copy);
    throw UserError(path_, "", "cannot read: out of memory");
  }
  const std::unique_ptr<void, GzClose> owned(file);
  gzbuffer(file, 128 * 1024);
  // Inflate once, counting bytes only, before any line is parsed: a bomb is refused here.
  std::uint64_t expanded = 0;
  for (;;) {
    const int n = gzread(file, buffer_.data(), static_cast<unsigned>(buffer_.size()));
    if (n <= 0) break;  // the end, or corrupt data: reported with its line by refill()
    expanded += static_cast<std::uint64_t>(n);
    const auto compressed = static_cast<std::uint64_t>(std::max<z_off_t>(gzoffset(file), 1));
    if (expanded > kRatioCheckBytes && expanded > kMaxCompressionRatio * compressed) {
      throw UserError(path_, "",
                      "gzip data expand more than " + std::to_string(kMaxCompressionRatio) +
                          " times (a decompression bomb?); traces compress about 10 times");
    }
    if (expanded > kMaxExpandedBytes) {
      throw UserError(path_, "",
                      "more than " + std::to_string(kMaxExpandedBytes >> 20) +
                          " MiB of text once decompressed; the limit is " +
                          std::to_string(kMaxExpandedBytes >> 20) + " MiB");
    }
  }
  ::lseek(fd, 0, SEEK_SET);
}

bool LineReader::refill() {
  gzFile file = as_gz(file_.get());
  const int n = gzread(file, buffer_.data(), static_cast<unsigned>(buffer_.size()));
  int code = Z_OK;
  const char* reason = gzerror(file, &code);
  // gzread reports a gzip stream cut short as the end of the file, with Z_BUF_ERROR set.
  if (n < 0 || (n == 0 && code == Z_BUF_ERROR)) {
    std::string text = reason;
    // zlib names the file too: "<fd:N>: " (opened by descriptor)
    if (const auto end = text.find(">: "); text.starts_with("<fd:") && end != std::string::npos)
      text.erase(0, end + 3);
    throw UserError(path_, "line " + std::to_string(line_ + 1),
                    "cannot read: corrupt gzip data (" + text + ")");
  }
  begin_ = 0;
  end_ = static_cast<std::size_t>(n);
  read_bytes_ += end_;
  if (read_bytes_ > kMaxExpandedBytes) {
    throw UserError(path_, "line " + std::to_string(line_ + 1),
                    "more than " + std::to_string(kMaxExpandedBytes >> 20) +
                        " MiB of text (decompressed); the limit is " +
                        std::to_string(kMaxExpandedBytes >> 20) + " MiB");
  }
  return n > 0;
}

std::optional<std::string_view> LineReader::next() {
  line_text_.clear();
  bool any = false;
  for (;;) {
    if (begin_ == end_ && !refill()) {
      if (!any) return std::nullopt;
      break;
    }
    any = true;
    const char* start = buffer_.data() + begin_;
    const std::size_t available = end_ - begin_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', available));
    const std::size_t length = newline != nullptr ? static_cast<std::size_t>(newline - start) : available;
    line_text_.append(start, length);
    begin_ += newline != nullptr ? length + 1 : length;
    if (line_text_.size() > kMaxLineBytes) {
      throw UserError(path_, "line " + std::to_string(line_ + 1),
                      "not a text file: line longer than " + std::to_string(kMaxLineBytes) + " bytes");
    }
    if (newline != nullptr) break;
  }
  ++line_;
  if (!line_text_.empty() && line_text_.back() == '\r') line_text_.pop_back();
  if (line_ == 1 && line_text_.starts_with("\xEF\xBB\xBF")) line_text_.erase(0, 3);
  if (const auto problem = text_problem(line_text_); !problem.empty()) fail(problem);
  return std::string_view(line_text_);
}

void LineReader::fail(const std::string& message) const {
  throw UserError(path_, "line " + std::to_string(std::max<std::size_t>(line_, 1)), message);
}

double LineReader::to_number(std::string_view text, const std::string& field) const {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) fail(field + ": number " + quote_text(text) + " out of range");
  if (ec != std::errc() || end != text.data() + text.size()) {
    fail(field + ": expected a number, got " + quote_text(text));
  }
  if (!std::isfinite(value)) fail(field + ": expected a finite number, got " + quote_text(text));
  return value;
}

std::int64_t LineReader::to_int64(std::string_view text, const std::string& field) const {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  if (ec == std::errc::result_out_of_range) fail(field + ": number " + quote_text(text) + " out of range");
  to_number(text, field);  // throws if not a number at all
  fail(field + ": expected a whole number, got " + quote_text(text));
}

int LineReader::to_int(std::string_view text, const std::string& field) const {
  const std::int64_t value = to_int64(text, field);
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    fail(field + ": number " + quote_text(text) + " out of range");
  }
  return static_cast<int>(value);
}

CsvReader::CsvReader(std::string path, const std::vector<std::string>& required) : lines_(std::move(path)) {
  const auto header = lines_.next();
  if (!header) lines_.fail("empty file, expected a header row naming the columns");
  split(*header);
  for (auto& name : fields_) {
    names_.push_back(trimmed(name));
    labels_.push_back("field " + std::to_string(names_.size()) + " (" + names_.back() + ")");
  }
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (std::find(names_.begin(), names_.begin() + static_cast<std::ptrdiff_t>(i), names_[i]) !=
        names_.begin() + static_cast<std::ptrdiff_t>(i)) {
      lines_.fail("column " + quote_text(names_[i]) + " appears twice in the header");
    }
  }
  for (const auto& name : required) {
    if (!column(name)) {
      std::string has;
      for (const auto& present : names_) has += (has.empty() ? "" : ", ") + present;
      lines_.fail("missing column " + quote_text(name) + " (the header row names: " + has + ")");
    }
  }
}

std::optional<std::size_t> CsvReader::column(const std::string& name) const {
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it == names_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - names_.begin());
}

const std::vector<std::string>* CsvReader::next() {
  for (;;) {
    const auto text = lines_.next();
    if (!text) return nullptr;
    if (text->find_first_not_of(" \t") == std::string_view::npos) continue;
    split(*text);
    if (fields_.size() != names_.size()) {
      lines_.fail("expected " + std::to_string(names_.size()) + " fields, got " +
                  std::to_string(fields_.size()));
    }
    return &fields_;
  }
}

void CsvReader::split(std::string_view text) {
  fields_.clear();
  const std::size_t n = text.size();
  std::size_t i = 0;
  for (;;) {
    std::string field;
    if (i < n && text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= n)
          lines_.fail("field " + std::to_string(fields_.size() + 1) + ": unterminated quoted field");
        if (text[i] != '"') {
          field += text[i++];
        } else if (i + 1 < n && text[i + 1] == '"') {
          field += '"';
          i += 2;
        } else {
          ++i;
          break;
        }
      }
      if (i < n && text[i] != ',') {
        lines_.fail("field " + std::to_string(fields_.size() + 1) + ": text after the closing quote");
      }
    } else {
      const std::size_t comma = std::min(text.find(',', i), n);
      field.assign(text.substr(i, comma - i));
      i = comma;
    }
    fields_.push_back(std::move(field));
    if (i >= n) break;
    ++i;  // the comma
  }
}

}  // namespace suanli::io
