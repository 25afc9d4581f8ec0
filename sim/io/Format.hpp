// Number and CSV-cell formatting: exact, locale-independent, the same on every run.
#pragma once

#include <string>
#include <string_view>

namespace suanli::io {

// Exact forms, for output files (CSV, JSON side files, SimGrid properties, error messages).

/// The shortest decimal text that reads back (strtod) as exactly `x` (std::to_chars): 0.1, 1e-300,
/// 123456789.125; "nan", "inf", "-inf" for the non-finite values. Locale-independent and the same on
/// every run, so outputs are byte-identical.
std::string format_double(double x);
/// format_double(x), or "" when x is not finite (an empty CSV cell for a missing value).
std::string format_double_or_empty(double x);
/// `x` with exactly `decimals` digits after the point (no exponent), correctly rounded from the
/// binary value (std::to_chars fixed): format_fixed(2.5, 0) == "2", format_fixed(0.125, 2) == "0.12".
/// Throws std::invalid_argument if decimals < 0.
std::string format_fixed(double x, int decimals);
/// format_fixed(x, decimals), or "-" when x is not finite (a missing value in a terminal table).
std::string format_fixed_or_dash(double x, int decimals);
/// At most six significant digits, as `std::ostream << x` writes them (1e+18, 0.333333): for the
/// numbers quoted back in validation messages.
std::string format_general(double x);

// Readable forms, for terminal tables and the HTML report.

/// "1234567.89" -> "1,234,567.89": commas between thousands of the integer part; a leading sign stays.
std::string group_thousands(std::string_view plain);
/// `x` with exactly `decimals` digits after the point and commas between thousands:
/// grouped(1234567.891, 2) == "1,234,567.89". "-" for NaN and infinities; a negative value that
/// rounds to zero loses its sign ("0.00", not "-0.00").
std::string grouped(double x, int decimals);
/// `x` with `digits` significant digits (at least; never an exponent), thousands grouped:
/// significant(0.000117, 3) == "0.000117", significant(3.0368, 3) == "3.04",
/// significant(1234567, 3) == "1,234,567".
std::string significant(double x, int digits = 3);
/// A fraction as a percentage: percent(0.11521, 1) == "11.5 %"; "-" for NaN and infinities.
std::string percent(double fraction, int decimals = 1);
/// A count, rounded to a whole number: whole(380032) == "380,032".
std::string whole(double x);
/// A signed difference for comparison tables: "+1.23", "-0.5", "0" (the same rules as grouped()).
std::string signed_grouped(double x, int decimals);
/// A duration in simulated time, e.g. "1.00 h", "45.0 min", "3.50 d".
std::string duration_words(double seconds);

// CSV cells.

/// One CSV field per RFC 4180: returned unchanged unless it contains a comma, a double quote, CR or
/// LF; then enclosed in double quotes with each inner quote doubled (a"b -> "a""b").
std::string csv_escape(std::string_view field);
/// A text cell of a CSV meant for spreadsheets (capacity --csv, --costs-csv): csv_escape(text), with
/// an apostrophe put before text that starts with =, +, - or @, so a spreadsheet shows it as text
/// instead of evaluating it as a formula ("=1+1" -> "'=1+1"). Numbers are not text cells.
std::string spreadsheet_cell(std::string_view text);

/// `text` with & < > " ' replaced by entities (&amp; &lt; &gt; &quot; &#39;): safe in HTML and XML
/// element content and quoted attribute values (the report, the SimGrid platform file).
std::string markup_escape(std::string_view text);
/// The UTF-8 byte order mark: a CSV that starts with it opens in Excel with its non-ASCII text intact.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace suanli::io
