// HTML escaping and the readable, locale-independent number formats of the HTML report.
#pragma once

#include <string>
#include <string_view>

namespace suanli::report {

/// `text` with & < > " ' replaced by entities (&amp; &lt; &gt; &quot; &#39;): safe in element
/// content and in quoted attribute values.
std::string html_escape(std::string_view text);

/// `x` with exactly `decimals` digits after the point and commas between thousands:
/// fixed(1234567.891, 2) == "1,234,567.89". "-" for NaN and infinities; a negative value that
/// rounds to zero loses its sign ("0.00", not "-0.00"). Locale-independent (std::to_chars).
std::string fixed(double x, int decimals);

/// `x` with `digits` significant digits (at least; never an exponent), thousands grouped:
/// sig(0.000117, 3) == "0.000117", sig(3.0368, 3) == "3.04", sig(1234567, 3) == "1,234,567".
std::string sig(double x, int digits = 3);

/// A fraction as a percentage: percent(0.11521, 1) == "11.5 %"; "-" for NaN.
std::string percent(double fraction, int decimals = 1);

/// A count, rounded to a whole number: count(380032) == "380,032".
std::string count(double x);

/// A signed difference for comparison tables: "+1.23", "-0.5", "0" (the same rules as fixed()).
std::string signed_fixed(double x, int decimals);

/// An SVG coordinate: one decimal, no grouping ("123.4"); 0 for NaN.
std::string coord(double x);

/// A duration in simulated time, e.g. "1.00 h", "45.0 min", "3.50 d".
std::string duration(double seconds);

}  // namespace suanli::report
