// HTML escaping and SVG coordinates of the HTML report (its number formats are io/Format.hpp's).
#pragma once

#include <string>
#include <string_view>

namespace suanli::report {

/// `text` with & < > " ' replaced by entities (&amp; &lt; &gt; &quot; &#39;): safe in element
/// content and in quoted attribute values.
std::string html_escape(std::string_view text);

/// An SVG coordinate: one decimal, no grouping ("123.4"); 0 for NaN.
std::string coord(double x);

}  // namespace suanli::report
