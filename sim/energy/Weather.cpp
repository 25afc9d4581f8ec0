// Reads EPW weather files and builds synthetic weather years, with wet bulb by Stull (2011).
#include "energy/Weather.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string_view>

#include "io/Format.hpp"
#include "io/LineReader.hpp"
#include "model/Error.hpp"

namespace suanli::energy {

namespace {

using io::LineReader;

constexpr std::array<int, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
constexpr std::array<std::string_view, 8> kEpwHeaders = {"LOCATION",
                                                         "DESIGN CONDITIONS",
                                                         "TYPICAL/EXTREME PERIODS",
                                                         "GROUND TEMPERATURES",
                                                         "HOLIDAYS/DAYLIGHT SAVINGS",
                                                         "COMMENTS 1",
                                                         "COMMENTS 2",
                                                         "DATA PERIODS"};
constexpr std::size_t kEpwFields = 35;  // an EPW data row (EnergyPlus Auxiliary Programs, "EPW")
constexpr double kStandardPressurePa = 101'325.0;

std::vector<std::string_view> split_commas(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (;;) {
    const auto comma = text.find(',', start);
    fields.push_back(
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 40;
  return "\"" + std::string(text.substr(0, kMax)) + (text.size() > kMax ? "...\"" : "\"");
}

/// One EPW weather field: its 1-based number, name, plausible range and missing-value code.
struct EpwField {
  std::size_t index;  // 0-based
  const char* name;
  double min;
  double max;
  double missing;
};

constexpr EpwField kDryBulb{6, "dry bulb [°C]", -70.0, 70.0, 99.9};
constexpr EpwField kDewPoint{7, "dew point [°C]", -70.0, 70.0, 99.9};
constexpr EpwField kHumidity{8, "relative humidity [%]", 0.0, 110.0, 999.0};
constexpr EpwField kPressure{9, "station pressure [Pa]", 30'000.0, 120'000.0, 999'999.0};

double read_field(const LineReader& lines, const std::vector<std::string_view>& fields, const EpwField& f) {
  const std::string label = "field " + std::to_string(f.index + 1) + " (" + f.name + ")";
  const double value = lines.to_number(trim(fields[f.index]), label);
  if (value == f.missing) {
    lines.fail(label + ": " + io::format_double(value) +
               " is EPW's missing-value code; a complete weather year is required");
  }
  if (value < f.min || value > f.max) {
    lines.fail(label + ": " + io::format_double(value) + " is outside the plausible range " +
               io::format_double(f.min) + ".." + io::format_double(f.max));
  }
  return value;
}

std::string month_day_hour(int month, int day, int hour) {
  return "month " + std::to_string(month) + " day " + std::to_string(day) + " hour " + std::to_string(hour);
}

void require_finite(double value, const char* what) {
  if (!std::isfinite(value)) throw std::invalid_argument(std::string(what) + " must be finite");
}

void check_synthetic(double dry_bulb_c, double rh_percent) {
  require_finite(dry_bulb_c, "dry bulb");
  require_finite(rh_percent, "relative humidity");
  if (dry_bulb_c < -70.0 || dry_bulb_c > 70.0) {
    throw std::invalid_argument("dry bulb " + io::format_double(dry_bulb_c) + " °C is outside -70..70");
  }
  if (rh_percent < 0.0 || rh_percent > 100.0) {
    throw std::invalid_argument("relative humidity " + io::format_double(rh_percent) +
                                " % is outside 0..100");
  }
}

void push_hour(HourlyWeather& weather, double dry_bulb_c, double rh_percent) {
  weather.dry_bulb_c.push_back(dry_bulb_c);
  weather.dew_point_c.push_back(magnus_dew_point_c(dry_bulb_c, rh_percent));
  weather.relative_humidity.push_back(rh_percent);
  weather.pressure_pa.push_back(kStandardPressurePa);
  weather.wet_bulb_c.push_back(stull_wet_bulb_c(dry_bulb_c, rh_percent));
}

void reserve_year(HourlyWeather& weather) {
  for (auto* series : {&weather.dry_bulb_c, &weather.dew_point_c, &weather.relative_humidity,
                       &weather.pressure_pa, &weather.wet_bulb_c}) {
    series->reserve(kHoursPerYear);
  }
}

}  // namespace

double stull_wet_bulb_c(double dry_bulb_c, double rh_percent) {
  require_finite(dry_bulb_c, "dry bulb");
  require_finite(rh_percent, "relative humidity");
  const double t = dry_bulb_c;
  const double rh = std::clamp(rh_percent, 5.0, 99.0);
  const double tw = t * std::atan(0.151977 * std::sqrt(rh + 8.313659)) + std::atan(t + rh) -
                    std::atan(rh - 1.676331) + 0.00391838 * std::pow(rh, 1.5) * std::atan(0.023101 * rh) -
                    4.686035;
  return std::min(tw, t);
}

double magnus_dew_point_c(double dry_bulb_c, double rh_percent) {
  require_finite(dry_bulb_c, "dry bulb");
  require_finite(rh_percent, "relative humidity");
  constexpr double a = 17.625;
  constexpr double b = 243.04;
  const double gamma = std::log(std::max(rh_percent, 1.0) / 100.0) + a * dry_bulb_c / (b + dry_bulb_c);
  return b * gamma / (a - gamma);
}

HourlyWeather read_epw(const std::string& path) {
  LineReader lines(path);
  for (const auto expected : kEpwHeaders) {
    const auto text = lines.next();
    if (!text) {
      lines.fail(lines.line() == 0
                     ? std::string("empty file, expected an EPW weather file starting with LOCATION")
                     : "file ends inside the EPW header, expected the line \"" + std::string(expected) +
                           ",...\"");
    }
    if (!text->starts_with(expected)) {
      lines.fail("expected the EPW header line \"" + std::string(expected) +
                 ",...\" (EPW files have 8 header " + "lines), got " + shown(*text));
    }
  }

  HourlyWeather weather;
  reserve_year(weather);
  std::size_t rows = 0;
  std::size_t blank_line = 0;  // a blank line seen after the data; only more blank lines may follow
  int month = 1;
  int day = 1;
  int hour = 1;  // the row expected next
  while (const auto text = lines.next()) {
    if (trim(*text).empty()) {
      if (blank_line == 0) blank_line = lines.line();
      continue;
    }
    if (blank_line != 0) {
      throw model::UserError(path, "line " + std::to_string(blank_line), "blank line between EPW data rows");
    }
    ++rows;
    if (rows > kHoursPerYear) continue;  // counted, reported at the end
    const auto fields = split_commas(*text);
    if (fields.size() != kEpwFields) {
      lines.fail("expected " + std::to_string(kEpwFields) +
                 " comma-separated fields (an EPW data row), got " + std::to_string(fields.size()));
    }
    lines.to_int(trim(fields[0]), "field 1 (year)");
    const int got_month = lines.to_int(trim(fields[1]), "field 2 (month)");
    const int got_day = lines.to_int(trim(fields[2]), "field 3 (day)");
    const int got_hour = lines.to_int(trim(fields[3]), "field 4 (hour)");
    const int minute = lines.to_int(trim(fields[4]), "field 5 (minute)");
    if (got_hour < 1 || got_hour > 24) {
      lines.fail("field 4 (hour): " + std::to_string(got_hour) +
                 " is outside 1..24 (EPW hours end the hour)");
    }
    if (minute < 0 || minute > 60)
      lines.fail("field 5 (minute): " + std::to_string(minute) + " is outside 0..60");
    if (got_month == 2 && got_day == 29) {
      lines.fail(
          "February 29: leap-year weather files are not supported, expected the 8760 hours of a "
          "non-leap year");
    }
    if (got_month != month || got_day != day || got_hour != hour) {
      lines.fail("expected " + month_day_hour(month, day, hour) + " (hourly rows from January 1 hour 1 to " +
                 "December 31 hour 24, in order), got " + month_day_hour(got_month, got_day, got_hour));
    }
    const double dry_bulb = read_field(lines, fields, kDryBulb);
    const double dew_point = read_field(lines, fields, kDewPoint);
    const double humidity = read_field(lines, fields, kHumidity);
    const double pressure = read_field(lines, fields, kPressure);
    weather.dry_bulb_c.push_back(dry_bulb);
    weather.dew_point_c.push_back(dew_point);
    weather.relative_humidity.push_back(humidity);
    weather.pressure_pa.push_back(pressure);
    weather.wet_bulb_c.push_back(stull_wet_bulb_c(dry_bulb, humidity));

    if (++hour > 24) {
      hour = 1;
      if (++day > kDaysInMonth[static_cast<std::size_t>(month - 1)]) {
        day = 1;
        ++month;
      }
    }
  }
  if (rows != kHoursPerYear) {
    lines.fail(
        "expected 8760 hourly rows (January 1 hour 1 to December 31 hour 24 of a non-leap year), got " +
        std::to_string(rows));
  }
  return weather;
}

HourlyWeather constant_weather(double dry_bulb_c, double relative_humidity) {
  check_synthetic(dry_bulb_c, relative_humidity);
  HourlyWeather weather;
  reserve_year(weather);
  for (std::size_t h = 0; h < kHoursPerYear; ++h) push_hour(weather, dry_bulb_c, relative_humidity);
  return weather;
}

HourlyWeather monthly_weather(const std::array<double, 12>& dry_bulb_c,
                              const std::array<double, 12>& relative_humidity) {
  for (std::size_t m = 0; m < 12; ++m) check_synthetic(dry_bulb_c[m], relative_humidity[m]);
  HourlyWeather weather;
  reserve_year(weather);
  for (std::size_t m = 0; m < 12; ++m) {
    const auto hours = static_cast<std::size_t>(kDaysInMonth[m]) * 24;
    for (std::size_t h = 0; h < hours; ++h) push_hour(weather, dry_bulb_c[m], relative_humidity[m]);
  }
  return weather;
}

double annual_hours_below_wet_bulb(const HourlyWeather& weather, double threshold_c) {
  return static_cast<double>(std::count_if(weather.wet_bulb_c.begin(), weather.wet_bulb_c.end(),
                                           [threshold_c](double tw) { return tw < threshold_c; }));
}

}  // namespace suanli::energy
