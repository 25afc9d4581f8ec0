// HTML escaping (io::markup_escape) and SVG coordinates of the HTML report (its number formats are
// io/Format.hpp's).
#pragma once

#include <string>
#include <string_view>

#include "io/Format.hpp"

namespace suanli::report {

/// HTML escaping: io::markup_escape.
inline std::string html_escape(std::string_view text) { return io::markup_escape(text); }

/// An SVG coordinate: one decimal, no grouping ("123.4"); 0 for NaN.
std::string coord(double x);

}  // namespace suanli::report
