// HTML escaping and SVG coordinates for the report.
#include "report/Format.hpp"

#include <cmath>

#include "io/Format.hpp"

namespace suanli::report {

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

std::string coord(double x) { return std::isfinite(x) ? io::format_fixed(x, 1) : "0"; }

}  // namespace suanli::report
