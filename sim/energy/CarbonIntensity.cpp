// Reads an Electricity Maps hourly carbon-intensity export into 8,760 hourly values.
#include "energy/CarbonIntensity.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

#include "energy/Weather.hpp"
#include "io/Format.hpp"
#include "io/LineReader.hpp"
#include "model/EnergySettings.hpp"

namespace suanli::energy {

namespace {

using io::CsvReader;
using io::LineReader;

const std::string kDatetimeColumn = "Datetime (UTC)";

std::string unquoted_trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  return std::string(text);
}

/// The name of the intensity column in the header (line 1) of `path`, found by substring.
std::string intensity_column(const std::string& path, const std::string& kind) {
  LineReader lines(path);
  const auto header = lines.next();
  if (!header) lines.fail("empty file, expected a header row starting with \"" + kDatetimeColumn + "\"");
  std::vector<std::string> names;
  std::size_t start = 0;
  for (;;) {
    const auto comma = header->find(',', start);
    names.push_back(
        unquoted_trimmed(header->substr(start, comma == std::string_view::npos ? comma : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::optional<std::string> found;
  std::string all;
  for (const auto& name : names) {
    all += (all.empty() ? "" : ", ") + name;
    if (name.find("Carbon Intensity") == std::string::npos || name.find(kind) == std::string::npos) continue;
    if (found)
      lines.fail("two columns match \"Carbon Intensity\" and \"" + kind + "\": " + *found + ", " + name);
    found = name;
  }
  if (!found) {
    lines.fail("missing column: no name contains \"Carbon Intensity\" and \"" + kind +
               "\" (the header row names: " + all + ")");
  }
  return *found;
}

bool is_digits(std::string_view text) {
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

struct Datetime {
  int month = 0;
  int day = 0;
  int hour = 0;
  std::int64_t seconds = 0;  // since 1970-01-01 00:00 UTC
};

/// Parses "YYYY-MM-DD HH:MM:SS" (or "T" between, optional trailing "Z").
Datetime parse_datetime(const LineReader& lines, const std::string& label, std::string_view text) {
  const auto bad = [&](const std::string& why) {
    lines.fail(label + ": expected a UTC date and time like \"2023-01-01 00:00:00\", got \"" +
               std::string(text) + "\"" + (why.empty() ? "" : " (" + why + ")"));
  };
  std::string_view core = text;
  if (core.ends_with('Z')) core.remove_suffix(1);
  if (core.size() != 19 || core[4] != '-' || core[7] != '-' || (core[10] != ' ' && core[10] != 'T') ||
      core[13] != ':' || core[16] != ':') {
    bad("");
  }
  const auto part = [&](std::size_t at, std::size_t n) {
    const auto digits = core.substr(at, n);
    if (!is_digits(digits)) bad("");
    return lines.to_int(digits, label);
  };
  const int year = part(0, 4);
  Datetime t;
  t.month = part(5, 2);
  t.day = part(8, 2);
  t.hour = part(11, 2);
  const int minute = part(14, 2);
  const int second = part(17, 2);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (t.month < 1 || t.month > 12) bad("no month " + std::to_string(t.month));
  const int days = kDays[t.month - 1] + (t.month == 2 && is_leap(year) ? 1 : 0);
  if (t.day < 1 || t.day > days) bad("no day " + std::to_string(t.day) + " in that month");
  if (t.hour > 23 || minute > 59 || second > 59) bad("no such time of day");
  t.seconds = days_from_civil(year, t.month, t.day) * 86400 + t.hour * 3600 + minute * 60 + second;
  return t;
}

}  // namespace

HourlyCarbon read_carbon_csv(const std::string& path, bool life_cycle) {
  const std::string kind = life_cycle ? "(LCA)" : "(direct)";
  const std::string value_column = intensity_column(path, kind);
  CsvReader csv(path, {kDatetimeColumn, value_column});
  const LineReader& lines = csv.lines();
  const std::size_t time_index = *csv.column(kDatetimeColumn);
  const std::size_t value_index = *csv.column(value_column);

  HourlyCarbon carbon;
  carbon.g_per_kwh.reserve(kHoursPerYear);
  std::size_t rows = 0;
  std::int64_t previous_s = 0;
  while (const auto* fields = csv.next()) {
    ++rows;
    const Datetime t = parse_datetime(lines, csv.describe(time_index), (*fields)[time_index]);
    if (rows == 1 && (t.month != 1 || t.day != 1 || t.hour != 0 || t.seconds % 3600 != 0)) {
      lines.fail(csv.describe(time_index) +
                 ": the first row must be January 1 at 00:00:00 UTC (hour 0 of the " + "year), got \"" +
                 (*fields)[time_index] + "\"");
    }
    if (rows > 1 && t.seconds != previous_s + 3600) {
      const std::int64_t step = t.seconds - previous_s;
      lines.fail(csv.describe(time_index) + ": \"" + (*fields)[time_index] +
                 "\" is not one hour after the previous row (" +
                 (step == 0  ? std::string("a duplicate")
                  : step < 0 ? std::string("earlier")
                             : std::to_string(step) + " s later") +
                 "); hourly rows in order are required");
    }
    previous_s = t.seconds;
    const double value = lines.to_number((*fields)[value_index], csv.describe(value_index));
    if (value < 0.0) {
      lines.fail(csv.describe(value_index) + ": " + io::format_double(value) + " gCO2eq/kWh is negative");
    }
    if (value > model::kMaxCarbonGPerKwh) {
      lines.fail(csv.describe(value_index) + ": " + io::format_double(value) + " gCO2eq/kWh is more than " +
                 io::format_double(model::kMaxCarbonGPerKwh) + " (lignite, the dirtiest, is about 1,200)");
    }
    if (rows <= kHoursPerYear) carbon.g_per_kwh.push_back(value);
  }
  if (rows != kHoursPerYear) {
    lines.fail(
        "expected 8760 hourly data rows (one non-leap year, January 1 00:00 to December 31 23:00 UTC), got " +
        std::to_string(rows) + (rows == 8784 ? " (a leap year)" : ""));
  }
  return carbon;
}

}  // namespace suanli::energy
