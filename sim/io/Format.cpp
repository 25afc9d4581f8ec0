// Number and CSV-cell formatting through std::to_chars (locale-independent, exact).
#include "io/Format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace suanli::io {

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

std::string format_fixed_or_dash(double x, int decimals) {
  return std::isfinite(x) ? format_fixed(x, decimals) : std::string("-");
}

std::string format_general(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

std::string group_thousands(std::string_view plain) {
  const std::size_t sign = !plain.empty() && (plain.front() == '-' || plain.front() == '+') ? 1 : 0;
  const std::size_t point = std::min(plain.find('.'), plain.size());
  std::string out(plain.substr(0, sign));
  for (std::size_t i = sign; i < point; ++i) {
    out += plain[i];
    const std::size_t left = point - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  out += plain.substr(point);
  return out;
}

std::string grouped(double x, int decimals) {
  if (!std::isfinite(x)) return "-";
  std::string plain = format_fixed(x, std::max(decimals, 0));
  // "-0.00": the value rounded to zero; drop the sign.
  if (plain.front() == '-' && plain.find_first_not_of("-0.") == std::string::npos) plain.erase(0, 1);
  return group_thousands(plain);
}

std::string significant(double x, int digits) {
  if (!std::isfinite(x)) return "-";
  if (x == 0) return "0";
  const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(x))));
  return grouped(x, std::clamp(digits - 1 - magnitude, 0, 12));
}

std::string percent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "-";
  return grouped(fraction * 100, decimals) + " %";
}

std::string whole(double x) { return grouped(std::round(x), 0); }

std::string signed_grouped(double x, int decimals) {
  const std::string s = grouped(x, decimals);
  if (s == "-" || s.front() == '-' || s.find_first_not_of("0.,") == std::string::npos) return s;
  return "+" + s;
}

std::string duration_words(double seconds) {
  if (!std::isfinite(seconds)) return "-";
  if (seconds < 3600) return grouped(seconds / 60, 1) + " min";
  if (seconds < 72 * 3600) return grouped(seconds / 3600, 2) + " h";
  return grouped(seconds / 86400, 2) + " d";
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

std::string spreadsheet_cell(std::string_view text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@'))
    return csv_escape("'" + std::string(text));
  return csv_escape(text);
}

std::string markup_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace suanli::io
