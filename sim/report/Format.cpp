// HTML escaping and number formats for the report (grouped thousands, significant digits).
#include "report/Format.hpp"

#include <algorithm>
#include <cmath>

#include "metrics/OutputFile.hpp"

namespace suanli::report {

namespace {

/// "1234567.89" -> "1,234,567.89"; the sign, if any, stays in front.
std::string group_thousands(const std::string& plain) {
  const std::size_t sign = !plain.empty() && plain.front() == '-' ? 1 : 0;
  const std::size_t point = std::min(plain.find('.'), plain.size());
  std::string out = plain.substr(0, sign);
  for (std::size_t i = sign; i < point; ++i) {
    out += plain[i];
    const std::size_t left = point - i - 1;
    if (left > 0 && left % 3 == 0) out += ',';
  }
  out += plain.substr(point);
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
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

std::string fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "-";
  std::string plain = metrics::format_fixed(x, std::max(decimals, 0));
  // "-0.00": the value rounded to zero; drop the sign.
  if (plain.front() == '-' && plain.find_first_not_of("-0.") == std::string::npos) plain.erase(0, 1);
  return group_thousands(plain);
}

std::string sig(double x, int digits) {
  if (!std::isfinite(x)) return "-";
  if (x == 0) return "0";
  const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(x))));
  return fixed(x, std::clamp(digits - 1 - magnitude, 0, 12));
}

std::string percent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "-";
  return fixed(fraction * 100, decimals) + " %";
}

std::string count(double x) { return fixed(std::round(x), 0); }

std::string signed_fixed(double x, int decimals) {
  const std::string s = fixed(x, decimals);
  if (s == "-" || s.front() == '-' || s.find_first_not_of("0.,") == std::string::npos) return s;
  return "+" + s;
}

std::string coord(double x) { return std::isfinite(x) ? metrics::format_fixed(x, 1) : "0"; }

std::string duration(double seconds) {
  if (!std::isfinite(seconds)) return "-";
  if (seconds < 3600) return fixed(seconds / 60, 1) + " min";
  if (seconds < 72 * 3600) return fixed(seconds / 3600, 2) + " h";
  return fixed(seconds / 86400, 2) + " d";
}

}  // namespace suanli::report
