// User-input error types, and the quoting that keeps user text in them short and printable.
#include "io/Error.hpp"

namespace suanli::io {

namespace {
std::string join(const std::string& file, const std::string& location, const std::string& message) {
  std::string out = file.empty() ? std::string("<input>") : printable(file, kMaxQuotedChars);
  if (!location.empty()) out += ": " + printable(location, kMaxQuotedChars);
  out += ": " + printable(message, kMaxMessageChars);
  return out;
}

/// Length of the UTF-8 sequence starting at `text[i]` if it is a whole, valid one, else 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}
}  // namespace

std::string printable(std::string_view text, std::size_t max_chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  std::size_t chars = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (chars >= max_chars) {
      out += "... (" + std::to_string(text.size()) + " bytes)";
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
    } else if (c == '\n') {
      out += "\\n";
      ++i;
    } else if (c == '\t') {
      out += "\\t";
      ++i;
    } else if (c == '\r') {
      out += "\\r";
      ++i;
    } else if (const std::size_t n = c >= 0x80 ? utf8_length(text, i) : 0; n > 0) {
      // C1 controls (U+0080..U+009F) are escaped like the C0 ones.
      const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
      if (c1) {
        out += "\\u00";
        out += kHex[static_cast<unsigned char>(text[i + 1]) >> 4];
        out += kHex[static_cast<unsigned char>(text[i + 1]) & 0xF];
      } else {
        out.append(text.substr(i, n));
      }
      i += n;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
    }
    ++chars;
  }
  return out;
}

std::string quoted(std::string_view text) { return "\"" + printable(text, kMaxQuotedChars) + "\""; }

UserError::UserError(std::string file, std::string location, std::string message)
    : std::runtime_error(join(file, location, message)),
      file_(std::move(file)),
      location_(std::move(location)),
      message_(std::move(message)) {}

UserErrors::UserErrors(std::vector<UserError> errors)
    : std::runtime_error(errors.empty() ? std::string("no errors") : std::string(errors.front().what())),
      errors_(std::move(errors)) {}

}  // namespace suanli::io
