// Energy inputs: shipped EPW, carbon and SPECpower files, Stull wet bulb, one error per bad input.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "TestFiles.hpp"
#include "energy/CarbonIntensity.hpp"
#include "energy/PowerCurve.hpp"
#include "energy/Weather.hpp"
#include "model/Error.hpp"

using suanli::energy::annual_hours_below_wet_bulb;
using suanli::energy::constant_weather;
using suanli::energy::HourlyCarbon;
using suanli::energy::HourlyWeather;
using suanli::energy::linear_fit_error;
using suanli::energy::magnus_dew_point_c;
using suanli::energy::monthly_weather;
using suanli::energy::PowerCurve;
using suanli::energy::read_carbon_csv;
using suanli::energy::read_epw;
using suanli::energy::read_specpower_file;
using suanli::energy::stull_wet_bulb_c;
using suanli::model::UserError;

namespace {

const std::string kData = SUANLI_SOURCE_DIR "/../shared/data";
const std::string kFuzhou = kData + "/weather/CHN_Fujian.Fuzhou.588470_CSWD.epw";
const std::string kXiamen = kData + "/weather/CHN_Fujian.Xiamen.591340_CSWD.epw";
const std::string kGuiyang = kData + "/weather/CHN_Guizhou.Guiyang.578160_CSWD.epw";
const std::string kGermany = kData + "/carbon/DE-LU_2023_hourly.csv";
const std::string kCalifornia = kData + "/carbon/US-CAL-CISO_2023_hourly.csv";

using suanli::test::temp_dir;
using suanli::test::temp_path;
using suanli::test::write_gzip;
using suanli::test::write_temp;

const std::string kGarbage = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe", 18);

/// Runs `read`; returns the UserError's what() ("" if nothing was thrown).
std::string error_of(const std::function<void()>& read) {
  try {
    read();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

/// Expects `read` to throw a UserError whose message starts with "PATH: LOCATION: " and contains `words`.
void expect_error(const std::function<void()>& read, const std::string& path, const std::string& location,
                  const std::string& words) {
  const std::string message = error_of(read);
  SCOPED_TRACE(message);
  ASSERT_FALSE(message.empty()) << "no UserError for " << path;
  const std::string prefix = path + ": " + (location.empty() ? "" : location + ": ");
  EXPECT_EQ(message.rfind(prefix, 0), 0u) << "expected the prefix " << prefix;
  EXPECT_NE(message.find(words), std::string::npos) << "expected the words " << words;
}

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// ---------------------------------------------------------------------------------------------
// Synthetic EPW text: 8 header lines and one row per hour of a non-leap year.

const std::string kEpwHeader =
    "LOCATION,Test,Fujian,CHN,CSWD,000000,26.08,119.28,8.0,4.0\n"
    "DESIGN CONDITIONS,0\n"
    "TYPICAL/EXTREME PERIODS,0\n"
    "GROUND TEMPERATURES,0\n"
    "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0\n"
    "COMMENTS 1,synthetic\n"
    "COMMENTS 2,synthetic\n"
    "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31\n";
const std::string kEpwTail =
    ",9999,9999,312,0,0,0,999900,999900,999900,99990,315,1.0,3,3,999.0,999,9,999999999,0,0.0000,0,88,999.000,"
    "999.0,99.0";

struct EpwRow {
  int month;
  int day;
  int hour;
  std::string dry_bulb = "20.0";
  std::string dew_point = "15.0";
  std::string humidity = "73";
  std::string pressure = "101400";
};

std::string epw_line(const EpwRow& r) {
  return "2005," + std::to_string(r.month) + "," + std::to_string(r.day) + "," + std::to_string(r.hour) +
         ",0,?9?9?9?9E0?9?9?9*9*9," + r.dry_bulb + "," + r.dew_point + "," + r.humidity + "," + r.pressure +
         kEpwTail + "\n";
}

/// The 8,760 rows of a valid year; tests edit them before joining.
std::vector<EpwRow> epw_rows() {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::vector<EpwRow> rows;
  for (int m = 1; m <= 12; ++m) {
    for (int d = 1; d <= kDays[m - 1]; ++d) {
      for (int h = 1; h <= 24; ++h) rows.push_back(EpwRow{m, d, h});
    }
  }
  return rows;
}

std::string epw_text(const std::vector<EpwRow>& rows) {
  std::string text = kEpwHeader;
  for (const auto& row : rows) text += epw_line(row);
  return text;
}

/// Line number of data row `index` (0-based) in an EPW file.
std::string epw_line_of(std::size_t index) { return "line " + std::to_string(index + 9); }

// ---------------------------------------------------------------------------------------------
// Synthetic Electricity Maps export.

const std::string kCarbonHeader =
    "Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO\u2082eq/kWh (direct),"
    "Carbon Intensity gCO\u2082eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,Data Source,"
    "Data Estimated,Data Estimation Method\r\n";

/// "YYYY-MM-DD HH:00:00" for hour `h` of year `year` (2023 or 2024).
std::string hour_text(int year, std::size_t h) {
  int days[] = {31, (year % 4 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::size_t day_of_year = h / 24;
  int month = 0;
  while (day_of_year >= static_cast<std::size_t>(days[month]))
    day_of_year -= static_cast<std::size_t>(days[month++]);
  const auto two = [](std::size_t n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  return std::to_string(year) + "-" + two(static_cast<std::size_t>(month) + 1) + "-" + two(day_of_year + 1) +
         " " + two(h % 24) + ":00:00";
}

struct CarbonRow {
  std::string datetime;
  std::string direct = "100.5";
  std::string lca = "150.25";
};

std::vector<CarbonRow> carbon_rows(int year = 2023, std::size_t hours = 8760) {
  std::vector<CarbonRow> rows;
  for (std::size_t h = 0; h < hours; ++h) rows.push_back(CarbonRow{hour_text(year, h)});
  return rows;
}

std::string carbon_text(const std::vector<CarbonRow>& rows, const std::string& header = kCarbonHeader) {
  std::string text = header;
  for (const auto& r : rows) {
    text +=
        r.datetime + ",Germany,Germany,DE," + r.direct + "," + r.lca + ",83.79,78.42,entsoe.eu,false,\r\n";
  }
  return text;
}

std::string carbon_line_of(std::size_t index) { return "line " + std::to_string(index + 2); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Weather: real CSWD typical years.

TEST(EpwReader, FuzhouTypicalYear) {
  const HourlyWeather fuzhou = read_epw(kFuzhou);
  ASSERT_EQ(fuzhou.hours(), 8760u);
  EXPECT_EQ(fuzhou.dew_point_c.size(), 8760u);
  EXPECT_EQ(fuzhou.relative_humidity.size(), 8760u);
  EXPECT_EQ(fuzhou.pressure_pa.size(), 8760u);
  EXPECT_EQ(fuzhou.wet_bulb_c.size(), 8760u);
  // First row: 2005,1,1,1,0,...,11.1,8.0,81,101400; last: 12,31,24 ... 11.4,8.8,84,101080.
  EXPECT_EQ(fuzhou.dry_bulb_c.front(), 11.1);
  EXPECT_EQ(fuzhou.dew_point_c.front(), 8.0);
  EXPECT_EQ(fuzhou.relative_humidity.front(), 81.0);
  EXPECT_EQ(fuzhou.pressure_pa.front(), 101400.0);
  EXPECT_EQ(fuzhou.dry_bulb_c.back(), 11.4);
  EXPECT_EQ(fuzhou.pressure_pa.back(), 101080.0);
  EXPECT_NEAR(fuzhou.wet_bulb_c.front(), stull_wet_bulb_c(11.1, 81.0), 1e-12);

  const double mean_c = mean(fuzhou.dry_bulb_c);
  EXPECT_NEAR(mean_c, 20.3, 0.05);  // NOTES.md: mean 20.3 °C
  const auto above_25 =
      std::count_if(fuzhou.dry_bulb_c.begin(), fuzhou.dry_bulb_c.end(), [](double t) { return t > 25.0; });
  EXPECT_EQ(above_25, 2753);  // NOTES.md: 2,753 h above 25 °C
  const double below_14 = annual_hours_below_wet_bulb(fuzhou, 14.0);
  std::printf("Fuzhou: mean dry bulb %.2f C, mean wet bulb %.2f C, %.0f h wet bulb below 14 C\n", mean_c,
              mean(fuzhou.wet_bulb_c), below_14);
  EXPECT_GE(below_14, 2400.0);  // NOTES.md: ~2,800 h
  EXPECT_LE(below_14, 3200.0);
  for (std::size_t h = 0; h < fuzhou.hours(); ++h) {
    ASSERT_LE(fuzhou.wet_bulb_c[h], fuzhou.dry_bulb_c[h]) << "hour " << h;
  }
}

TEST(EpwReader, GuiyangIsCoolerThanFuzhou) {
  const HourlyWeather fuzhou = read_epw(kFuzhou);
  const HourlyWeather guiyang = read_epw(kGuiyang);
  ASSERT_EQ(guiyang.hours(), 8760u);
  const double mean_c = mean(guiyang.dry_bulb_c);
  EXPECT_NEAR(mean_c, 15.5, 0.1);  // NOTES.md: mean 15.5 °C
  const double below_14 = annual_hours_below_wet_bulb(guiyang, 14.0);
  std::printf("Guiyang: mean dry bulb %.2f C, %.0f h wet bulb below 14 C\n", mean_c, below_14);
  EXPECT_GT(below_14, annual_hours_below_wet_bulb(fuzhou, 14.0));
  EXPECT_GE(below_14, 3800.0);  // NOTES.md: ~4,300 h
  EXPECT_LE(below_14, 4800.0);
  EXPECT_LT(mean(guiyang.pressure_pa), 90'000.0);  // Guiyang is at about 1,100 m
}

TEST(EpwReader, XiamenReads) {
  const HourlyWeather xiamen = read_epw(kXiamen);
  ASSERT_EQ(xiamen.hours(), 8760u);
  const double mean_c = mean(xiamen.dry_bulb_c);
  std::printf("Xiamen: mean dry bulb %.2f C, %.0f h wet bulb below 14 C\n", mean_c,
              annual_hours_below_wet_bulb(xiamen, 14.0));
  EXPECT_GT(mean_c, 19.0);
  EXPECT_LT(mean_c, 23.0);
}

TEST(EpwReader, SyntheticYearPlainAndGzip) {
  auto rows = epw_rows();
  rows[0].dry_bulb = "-5.5";
  rows[0].humidity = "100";
  rows.back().dry_bulb = "35";
  rows.back().humidity = "40";
  const std::string text = epw_text(rows);
  for (const auto& path : {write_temp("ok.epw", text), write_gzip("ok.epw.gz", text)}) {
    const HourlyWeather w = read_epw(path);
    ASSERT_EQ(w.hours(), 8760u);
    EXPECT_EQ(w.dry_bulb_c[0], -5.5);
    EXPECT_EQ(w.relative_humidity[0], 100.0);
    EXPECT_EQ(w.dry_bulb_c[1], 20.0);
    EXPECT_EQ(w.dry_bulb_c[8759], 35.0);
    EXPECT_EQ(w.pressure_pa[8759], 101400.0);
  }
  // Trailing blank lines and CRLF endings are accepted.
  std::string crlf;
  for (const char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(read_epw(write_temp("crlf.epw", crlf + "\r\n\r\n")).hours(), 8760u);
}

// ---------------------------------------------------------------------------------------------
// Stull's wet bulb and the synthetic years.

TEST(StullWetBulb, KnownValues) {
  // Stull (2011): T = 20 °C, RH = 50 % gives Tw = 13.7 °C.
  EXPECT_NEAR(stull_wet_bulb_c(20.0, 50.0), 13.7, 0.3);
  // Psychrometric wet bulb at 101.325 kPa (ASHRAE Fundamentals ch. 1 equations, solved numerically):
  // 30 °C / 60 % -> 23.8 °C; 10 °C / 80 % -> 8.3 °C; 35 °C / 30 % -> 21.5 °C. Stull's stated error
  // range is −1..+0.65 °C.
  EXPECT_NEAR(stull_wet_bulb_c(30.0, 60.0), 23.8, 0.65);
  EXPECT_NEAR(stull_wet_bulb_c(10.0, 80.0), 8.3, 0.65);
  EXPECT_NEAR(stull_wet_bulb_c(35.0, 30.0), 21.5, 0.65);
  // Saturated air: wet bulb equals dry bulb (within the fit's error, capped at T).
  EXPECT_NEAR(stull_wet_bulb_c(25.0, 100.0), 25.0, 0.5);
  EXPECT_LE(stull_wet_bulb_c(25.0, 100.0), 25.0);
}

TEST(StullWetBulb, NeverAboveDryBulbAndClampsHumidity) {
  for (double t = -30.0; t <= 55.0; t += 0.5) {
    for (double rh = 0.0; rh <= 110.0; rh += 1.0) {
      ASSERT_LE(stull_wet_bulb_c(t, rh), t) << t << " C, " << rh << " %";
    }
    // Monotone in humidity above 5 °C (below about 3 °C the fit's atan(T + RH) term makes small wiggles).
    for (double rh = 5.0; rh < 99.0 && t >= 5.0 && t <= 50.0; rh += 1.0) {
      ASSERT_LE(stull_wet_bulb_c(t, rh), stull_wet_bulb_c(t, rh + 1.0) + 1e-9) << t << " C, " << rh << " %";
    }
  }
  EXPECT_EQ(stull_wet_bulb_c(20.0, 1.0), stull_wet_bulb_c(20.0, 5.0));
  EXPECT_EQ(stull_wet_bulb_c(20.0, 105.0), stull_wet_bulb_c(20.0, 99.0));
  EXPECT_THROW(stull_wet_bulb_c(std::nan(""), 50.0), std::invalid_argument);
}

TEST(SyntheticWeather, ConstantAndMonthly) {
  const HourlyWeather constant = constant_weather(20.0, 50.0);
  ASSERT_EQ(constant.hours(), 8760u);
  EXPECT_EQ(constant.wet_bulb_c.size(), 8760u);
  EXPECT_EQ(constant.dry_bulb_c[4000], 20.0);
  EXPECT_EQ(constant.relative_humidity[8759], 50.0);
  EXPECT_EQ(constant.pressure_pa[0], 101'325.0);
  EXPECT_EQ(constant.wet_bulb_c[123], stull_wet_bulb_c(20.0, 50.0));
  EXPECT_NEAR(constant.dew_point_c[0], 9.3, 0.1);  // 20 °C, 50 %: dew point 9.3 °C
  EXPECT_NEAR(magnus_dew_point_c(15.0, 100.0), 15.0, 1e-9);
  EXPECT_EQ(annual_hours_below_wet_bulb(constant, 14.0), 8760.0);
  EXPECT_EQ(annual_hours_below_wet_bulb(constant, 13.0), 0.0);

  std::array<double, 12> t{};
  std::array<double, 12> rh{};
  for (std::size_t m = 0; m < 12; ++m) {
    t[m] = 5.0 + 2.0 * static_cast<double>(m);
    rh[m] = 60.0;
  }
  const HourlyWeather monthly = monthly_weather(t, rh);
  ASSERT_EQ(monthly.hours(), 8760u);
  EXPECT_EQ(monthly.dry_bulb_c[0], 5.0);
  EXPECT_EQ(monthly.dry_bulb_c[743], 5.0);   // January 31, 23:00
  EXPECT_EQ(monthly.dry_bulb_c[744], 7.0);   // February 1, 00:00
  EXPECT_EQ(monthly.dry_bulb_c[1415], 7.0);  // February 28, 23:00 (no leap day)
  EXPECT_EQ(monthly.dry_bulb_c[1416], 9.0);  // March 1
  EXPECT_EQ(monthly.dry_bulb_c[8759], 27.0);
  EXPECT_EQ(monthly.wet_bulb_c[8759], stull_wet_bulb_c(27.0, 60.0));
  // Hours of the months whose wet bulb is below 14 °C.
  double expected = 0.0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (std::size_t m = 0; m < 12; ++m) {
    if (stull_wet_bulb_c(t[m], 60.0) < 14.0) expected += 24.0 * kDays[m];
  }
  EXPECT_EQ(annual_hours_below_wet_bulb(monthly, 14.0), expected);

  EXPECT_THROW(constant_weather(20.0, 120.0), std::invalid_argument);
  EXPECT_THROW(constant_weather(std::nan(""), 50.0), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// EPW: one clear error per malformed input.

TEST(EpwReader, BadInputCatalogue) {
  const auto read = [](const std::string& path) { return [path] { read_epw(path); }; };
  const auto with = [&](const std::string& name, const std::function<void(std::vector<EpwRow>&)>& edit) {
    auto rows = epw_rows();
    edit(rows);
    return write_temp(name, epw_text(rows));
  };
  std::string p;

  p = write_temp("empty.epw", "");
  expect_error(read(p), p, "line 1", "empty file");
  p = temp_path("missing.epw");
  expect_error(read(p), p, "", "no such file");
  p = temp_dir("dir.epw");
  expect_error(read(p), p, "", "is a directory");
  p = write_temp("garbage.epw", kGarbage);
  expect_error(read(p), p, "line 1", "not a text file");
  p = write_temp("not-location.epw",
                 "CITY,Fuzhou\n" + epw_text(epw_rows()).substr(kEpwHeader.find('\n') + 1));
  expect_error(read(p), p, "line 1", "\"LOCATION,...\"");
  // Header without its DATA PERIODS line: the first data row stands where it should be.
  {
    std::string header = kEpwHeader.substr(0, kEpwHeader.find("DATA PERIODS"));
    std::string text = header;
    for (const auto& row : epw_rows()) text += epw_line(row);
    p = write_temp("short-header.epw", text);
    expect_error(read(p), p, "line 8", "\"DATA PERIODS,...\"");
  }
  p = write_temp("header-only-part.epw", kEpwHeader.substr(0, kEpwHeader.find("GROUND")));
  expect_error(read(p), p, "line 3", "file ends inside the EPW header");
  p = write_temp("header-only.epw", kEpwHeader);
  expect_error(read(p), p, "line 8", "got 0");

  // Truncated row (cut after the dew point) and a row of 5 fields.
  {
    auto text = epw_text(epw_rows());
    const auto row = epw_line(EpwRow{1, 1, 3});
    const auto at = text.find(row);
    text.replace(at, row.size(), "2005,1,1,3,0,?9?9,20.0,15.0\n");
    p = write_temp("truncated-row.epw", text);
    expect_error(read(p), p, epw_line_of(2), "expected 35 comma-separated fields");
    text.replace(at, std::string("2005,1,1,3,0,?9?9,20.0,15.0\n").size(), "2005,1,1,3,0\n");
    p = write_temp("five-fields.epw", text);
    expect_error(read(p), p, epw_line_of(2), "got 5");
  }
  // Truncated file: the last row is missing (8,759 rows), or one too many.
  p = with("8759.epw", [](auto& rows) { rows.pop_back(); });
  expect_error(read(p), p, epw_line_of(8758), "expected 8760 hourly rows");
  EXPECT_NE(error_of(read(p)).find("got 8759"), std::string::npos);
  p = with("8761.epw", [](auto& rows) { rows.push_back(EpwRow{1, 1, 1}); });
  expect_error(read(p), p, epw_line_of(8760), "got 8761");

  p = with("word.epw", [](auto& rows) { rows[100].dry_bulb = "warm"; });
  expect_error(read(p), p, epw_line_of(100), "field 7 (dry bulb [°C]): expected a number, got \"warm\"");
  p = with("nan.epw", [](auto& rows) { rows[200].humidity = "nan"; });
  expect_error(read(p), p, epw_line_of(200), "field 9 (relative humidity [%]): expected a finite number");
  p = with("empty-field.epw", [](auto& rows) { rows[201].dew_point = ""; });
  expect_error(read(p), p, epw_line_of(201), "field 8 (dew point [°C]): expected a number");
  p = with("missing-dry-bulb.epw", [](auto& rows) { rows[300].dry_bulb = "99.9"; });
  expect_error(read(p), p, epw_line_of(300), "field 7 (dry bulb [°C]): 99.9 is EPW's missing-value code");
  p = with("missing-rh.epw", [](auto& rows) { rows[301].humidity = "999"; });
  expect_error(read(p), p, epw_line_of(301),
               "field 9 (relative humidity [%]): 999 is EPW's missing-value code");
  p = with("missing-pressure.epw", [](auto& rows) { rows[302].pressure = "999999"; });
  expect_error(read(p), p, epw_line_of(302),
               "field 10 (station pressure [Pa]): 999999 is EPW's missing-value");
  p = with("hot.epw", [](auto& rows) { rows[400].dry_bulb = "75"; });
  expect_error(read(p), p, epw_line_of(400), "75 is outside the plausible range -70..70");
  p = with("humid.epw", [](auto& rows) { rows[401].humidity = "150"; });
  expect_error(read(p), p, epw_line_of(401), "150 is outside the plausible range 0..110");
  p = with("low-pressure.epw", [](auto& rows) { rows[402].pressure = "20000"; });
  expect_error(read(p), p, epw_line_of(402), "outside the plausible range 30000..120000");

  // Hours out of order, duplicated, out of range; a day with 23 hours; a leap day.
  p = with("swapped.epw", [](auto& rows) { std::swap(rows[30], rows[31]); });
  expect_error(read(p), p, epw_line_of(30), "expected month 1 day 2 hour 7");
  p = with("duplicate.epw", [](auto& rows) { rows[50] = rows[49]; });
  expect_error(read(p), p, epw_line_of(50), "expected month 1 day 3 hour 3 (hourly rows");
  p = with("hour-25.epw", [](auto& rows) { rows[23].hour = 25; });
  expect_error(read(p), p, epw_line_of(23), "field 4 (hour): 25 is outside 1..24");
  p = with("hour-0.epw", [](auto& rows) { rows[0].hour = 0; });
  expect_error(read(p), p, epw_line_of(0), "field 4 (hour): 0 is outside 1..24");
  p = with("short-day.epw", [](auto& rows) { rows.erase(rows.begin() + 47); });
  expect_error(read(p), p, epw_line_of(47), "expected month 1 day 2 hour 24");
  p = with("month-13.epw", [](auto& rows) { rows[8000].month = 13; });
  expect_error(read(p), p, epw_line_of(8000), "got month 13");
  p = with("leap.epw", [](auto& rows) {
    std::vector<EpwRow> leap;
    for (int h = 1; h <= 24; ++h) leap.push_back(EpwRow{2, 29, h});
    rows.insert(rows.begin() + 59 * 24, leap.begin(), leap.end());
  });
  expect_error(read(p), p, epw_line_of(59 * 24), "February 29: leap-year weather files are not supported");
  {
    auto text = epw_text(epw_rows());
    text.insert(text.find(epw_line(EpwRow{1, 1, 5})), "\n");
    p = write_temp("blank-line.epw", text);
    expect_error(read(p), p, epw_line_of(4), "blank line between EPW data rows");
  }
  {
    auto text = epw_text(epw_rows());
    text.insert(text.find(epw_line(EpwRow{1, 1, 5})), kGarbage + "\n");
    p = write_temp("garbage-row.epw", text);
    expect_error(read(p), p, epw_line_of(4), "not a text file");
  }
}

// ---------------------------------------------------------------------------------------------
// Carbon intensity: Electricity Maps hourly exports.

TEST(CarbonReader, GermanyDirectAndLifeCycle) {
  const HourlyCarbon direct = read_carbon_csv(kGermany, false);
  const HourlyCarbon lca = read_carbon_csv(kGermany, true);
  ASSERT_EQ(direct.g_per_kwh.size(), 8760u);
  ASSERT_EQ(lca.g_per_kwh.size(), 8760u);
  EXPECT_EQ(direct.g_per_kwh.front(), 140.51);  // 2023-01-01 00:00:00 row
  EXPECT_EQ(lca.g_per_kwh.front(), 185.8);
  EXPECT_LT(direct.g_per_kwh.front(), lca.g_per_kwh.front());
  EXPECT_EQ(direct.g_per_kwh[1], 140.44);
  EXPECT_EQ(direct.g_per_kwh.back(), 133.89);  // 2023-12-31 23:00:00 row
  EXPECT_EQ(lca.g_per_kwh.back(), 178.79);
  for (std::size_t h = 0; h < 8760; ++h) {
    ASSERT_GT(direct.g_per_kwh[h], 10.0) << h;
    ASSERT_LT(direct.g_per_kwh[h], 1000.0) << h;
    ASSERT_LE(direct.g_per_kwh[h], lca.g_per_kwh[h]) << h;
  }
  std::printf("DE-LU 2023: mean %.1f g/kWh direct, %.1f g/kWh LCA\n", mean(direct.g_per_kwh),
              mean(lca.g_per_kwh));
  EXPECT_GT(mean(direct.g_per_kwh), 200.0);
  EXPECT_LT(mean(direct.g_per_kwh), 600.0);
}

TEST(CarbonReader, California) {
  const HourlyCarbon direct = read_carbon_csv(kCalifornia, false);
  ASSERT_EQ(direct.g_per_kwh.size(), 8760u);
  EXPECT_EQ(direct.g_per_kwh.front(), 238.69);
  EXPECT_EQ(read_carbon_csv(kCalifornia, true).g_per_kwh.front(), 309.75);
  const auto [low, high] = std::minmax_element(direct.g_per_kwh.begin(), direct.g_per_kwh.end());
  std::printf("US-CAL-CISO 2023: mean %.1f g/kWh direct, range %.1f..%.1f\n", mean(direct.g_per_kwh), *low,
              *high);
  EXPECT_GE(*low, 0.0);
  EXPECT_LT(*high, 1000.0);
}

TEST(CarbonReader, SyntheticFilePicksColumnsByName) {
  auto rows = carbon_rows();
  rows[5].direct = "0";
  rows[6].lca = "1e3";
  // Columns in another order, and a "T ... Z" timestamp on one row.
  std::string text =
      "Carbon Intensity gCO2eq/kWh (LCA),Zone Id,Datetime (UTC),Carbon Intensity gCO2eq/kWh (direct)\n";
  for (std::size_t h = 0; h < rows.size(); ++h) {
    std::string when = rows[h].datetime;
    if (h == 7) when = when.substr(0, 10) + "T" + when.substr(11) + "Z";
    text += rows[h].lca + ",DE," + when + "," + rows[h].direct + "\n";
  }
  const auto path = write_temp("reordered.csv", text);
  const auto direct = read_carbon_csv(path, false);
  const auto lca = read_carbon_csv(path, true);
  ASSERT_EQ(direct.g_per_kwh.size(), 8760u);
  EXPECT_EQ(direct.g_per_kwh[0], 100.5);
  EXPECT_EQ(direct.g_per_kwh[5], 0.0);
  EXPECT_EQ(lca.g_per_kwh[6], 1000.0);
  EXPECT_EQ(lca.g_per_kwh[8759], 150.25);
  EXPECT_EQ(read_carbon_csv(write_gzip("ok.csv.gz", carbon_text(carbon_rows())), true).g_per_kwh.size(),
            8760u);
}

TEST(CarbonReader, BadInputCatalogue) {
  const auto read = [](const std::string& path, bool life_cycle = false) {
    return [path, life_cycle] { read_carbon_csv(path, life_cycle); };
  };
  const auto with = [&](const std::string& name, const std::function<void(std::vector<CarbonRow>&)>& edit) {
    auto rows = carbon_rows();
    edit(rows);
    return write_temp(name, carbon_text(rows));
  };
  std::string p;

  p = write_temp("empty.csv", "");
  expect_error(read(p), p, "line 1", "empty file");
  p = temp_path("missing.csv");
  expect_error(read(p), p, "", "no such file");
  p = temp_dir("dir.csv");
  expect_error(read(p), p, "", "is a directory");
  p = write_temp("garbage.csv", kGarbage);
  expect_error(read(p), p, "line 1", "not a text file");
  p = write_temp("header-only.csv", kCarbonHeader);
  expect_error(read(p), p, "line 1", "expected 8760 hourly data rows");

  // Header lacking the wanted intensity column, or the datetime column.
  {
    std::string header = kCarbonHeader;
    header.replace(header.find("(LCA)"), 5, "(lifecycle)");
    p = write_temp("no-lca.csv", carbon_text(carbon_rows(), header));
    expect_error(read(p, true), p, "line 1",
                 "missing column: no name contains \"Carbon Intensity\" and \"(LCA)\"");
    EXPECT_EQ(read_carbon_csv(p, false).g_per_kwh.size(), 8760u);  // the direct column is still there
    header = kCarbonHeader;
    header.replace(0, 14, "Timestamp");
    p = write_temp("no-datetime.csv", carbon_text(carbon_rows(), header));
    expect_error(read(p), p, "line 1", "missing column \"Datetime (UTC)\"");
    header = kCarbonHeader;
    header.replace(header.find("Low Carbon Percentage"), 21, "Carbon Intensity (direct)");
    p = write_temp("two-direct.csv", carbon_text(carbon_rows(), header));
    expect_error(read(p), p, "line 1", "two columns match");
  }

  // Rows with too few or too many fields.
  {
    auto text = carbon_text(carbon_rows());
    const std::string row =
        "2023-01-01 03:00:00,Germany,Germany,DE,100.5,150.25,83.79,78.42,entsoe.eu,false,\r\n";
    const auto at = text.find(row);
    auto cut = text;
    cut.replace(at, row.size(), "2023-01-01 03:00:00,Germany,Germany,DE,100.5\r\n");
    p = write_temp("truncated-row.csv", cut);
    expect_error(read(p), p, carbon_line_of(3), "expected 11 fields, got 5");
    auto extra = text;
    extra.replace(at, row.size(),
                  "2023-01-01 03:00:00,Germany,Germany,DE,100.5,150.25,83.79,78.42,x,false,,\r\n");
    p = write_temp("extra-field.csv", extra);
    expect_error(read(p), p, carbon_line_of(3), "expected 11 fields, got 12");
  }

  p = with("word.csv", [](auto& rows) { rows[10].direct = "high"; });
  expect_error(read(p), p, carbon_line_of(10),
               "field 5 (Carbon Intensity gCO\u2082eq/kWh (direct)): expected a number");
  p = with("nan.csv", [](auto& rows) { rows[11].lca = "NaN"; });
  expect_error(read(p, true), p, carbon_line_of(11), "expected a finite number, got \"NaN\"");
  p = with("inf.csv", [](auto& rows) { rows[12].direct = "inf"; });
  expect_error(read(p), p, carbon_line_of(12), "expected a finite number");
  p = with("blank-value.csv", [](auto& rows) { rows[13].direct = ""; });
  expect_error(read(p), p, carbon_line_of(13), "expected a number, got \"\"");
  p = with("negative.csv", [](auto& rows) { rows[14].direct = "-3"; });
  expect_error(read(p), p, carbon_line_of(14), "-3 gCO2eq/kWh is negative");

  // Row counts: one hour short, one too many, a leap year.
  p = with("8759.csv", [](auto& rows) { rows.pop_back(); });
  expect_error(read(p), p, carbon_line_of(8758), "expected 8760 hourly data rows (one non-leap year");
  EXPECT_NE(error_of(read(p)).find("got 8759"), std::string::npos);
  p = with("8761.csv", [](auto& rows) { rows.push_back(CarbonRow{"2024-01-01 00:00:00"}); });
  expect_error(read(p), p, carbon_line_of(8760), "got 8761");
  p = write_temp("leap.csv", carbon_text(carbon_rows(2024, 8784)));
  expect_error(read(p), p, carbon_line_of(8783), "got 8784 (a leap year)");

  // Datetimes: duplicated, out of order, a gap, wrong start, malformed, impossible.
  p = with("duplicate.csv", [](auto& rows) { rows[20].datetime = rows[19].datetime; });
  expect_error(read(p), p, carbon_line_of(20), "not one hour after the previous row (a duplicate)");
  p = with("swapped.csv", [](auto& rows) { std::swap(rows[30].datetime, rows[31].datetime); });
  expect_error(read(p), p, carbon_line_of(30), "not one hour after the previous row (7200 s later)");
  p = with("backwards.csv", [](auto& rows) { rows[40].datetime = rows[38].datetime; });
  expect_error(read(p), p, carbon_line_of(40), "(earlier)");
  p = with("late-start.csv", [](auto& rows) {
    rows.erase(rows.begin());
    rows.push_back(CarbonRow{"2024-01-01 00:00:00"});
  });
  expect_error(read(p), p, "line 2", "the first row must be January 1 at 00:00:00 UTC");
  p = with("slash.csv", [](auto& rows) { rows[50].datetime = "2023/01/03 02:00:00"; });
  expect_error(read(p), p, carbon_line_of(50), "field 1 (Datetime (UTC)): expected a UTC date and time");
  p = with("no-time.csv", [](auto& rows) { rows[51].datetime = "2023-01-03"; });
  expect_error(read(p), p, carbon_line_of(51), "expected a UTC date and time");
  p = with("feb-30.csv", [](auto& rows) { rows[52].datetime = "2023-02-30 04:00:00"; });
  expect_error(read(p), p, carbon_line_of(52), "no day 30 in that month");
  p = with("hour-24.csv", [](auto& rows) { rows[53].datetime = "2023-01-03 24:00:00"; });
  expect_error(read(p), p, carbon_line_of(53), "no such time of day");
  {
    auto text = carbon_text(carbon_rows());
    text.insert(text.find("2023-01-02 00:00:00"), kGarbage + "\n");
    p = write_temp("garbage-row.csv", text);
    expect_error(read(p), p, carbon_line_of(24), "not a text file");
  }
}

// ---------------------------------------------------------------------------------------------
// SPECpower tables.

TEST(PowerCurve, ReadsAllShippedTables) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kData + "/power")) {
    const auto name = entry.path().filename().string();
    if (name.starts_with("PowerModelSpecPower") && name.ends_with(".txt")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 7u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    const PowerCurve curve = read_specpower_file(file.string());
    for (std::size_t i = 0; i < 11; ++i) {
      EXPECT_EQ(curve.at(static_cast<double>(i) / 10.0), curve.watts[i]) << i;
    }
    EXPECT_DOUBLE_EQ(curve.at(0.05), (curve.watts[0] + curve.watts[1]) / 2.0);
    EXPECT_DOUBLE_EQ(curve.at(0.95), (curve.watts[9] + curve.watts[10]) / 2.0);
    EXPECT_EQ(curve.at(-0.5), curve.watts[0]);
    EXPECT_EQ(curve.at(1.5), curve.watts[10]);
    double previous = 0.0;
    for (int k = 0; k <= 1000; ++k) {
      const double p = curve.at(k / 1000.0);
      ASSERT_GE(p, previous) << k;
      previous = p;
    }
    const double error = linear_fit_error(curve);
    std::printf("%s: idle %.1f W, max %.1f W, linear-model error %.1f %% of max\n",
                file.stem().string().substr(19).c_str(), curve.watts[0], curve.watts[10], 100.0 * error);
    EXPECT_GE(error, 0.0);
    EXPECT_LT(error, 0.25);
  }
}

TEST(PowerCurve, IbmX3250XeonX3470Table) {
  const PowerCurve curve = read_specpower_file(kData + "/power/PowerModelSpecPowerIbmX3250XeonX3470.txt");
  const std::array<double, 11> expected = {41.6, 46.7, 52.3, 57.9, 65.4, 73, 80.7, 89.5, 99.6, 105, 113};
  EXPECT_EQ(curve.watts, expected);
  EXPECT_EQ(curve.at(0.0), 41.6);
  EXPECT_EQ(curve.at(0.1), 46.7);
  EXPECT_EQ(curve.at(1.0), 113.0);
  EXPECT_DOUBLE_EQ(curve.at(0.05), 44.15);
  EXPECT_DOUBLE_EQ(curve.at(0.55), 76.85);
  // Straight line 41.6 + 71.4·u: largest gap at 30 % (63.02 vs 57.9 W).
  EXPECT_NEAR(linear_fit_error(curve), (41.6 + 71.4 * 0.3 - 57.9) / 113.0, 1e-12);
  EXPECT_THROW(curve.at(std::nan("")), std::invalid_argument);
}

TEST(PowerCurve, LinearTableHasNoFitError) {
  PowerCurve line;
  for (std::size_t i = 0; i < 11; ++i) line.watts[i] = 100.0 + 10.0 * static_cast<double>(i);
  EXPECT_NEAR(linear_fit_error(line), 0.0, 1e-15);
  EXPECT_DOUBLE_EQ(line.at(0.33), 133.0);
}

TEST(PowerCurve, AcceptsCommentsTabsAndCrlf) {
  const auto path =
      write_temp("commented.txt",
                 "* a comment first\r\n\r\n# another\r\n 10\t20 30 40 50 60 70 80 90 100 110 \r\n"
                 "anything after the table is ignored\r\n");
  const PowerCurve curve = read_specpower_file(path);
  EXPECT_EQ(curve.watts[0], 10.0);
  EXPECT_EQ(curve.watts[10], 110.0);
  EXPECT_EQ(read_specpower_file(write_gzip("table.txt.gz", "1 2 3 4 5 6 7 8 9 10 11\n")).watts[5], 6.0);
  EXPECT_EQ(read_specpower_file(write_temp("flat.txt", "5 5 5 5 5 5 5 5 5 5 5")).at(0.37), 5.0);
}

TEST(PowerCurve, BadInputCatalogue) {
  const auto read = [](const std::string& path) { return [path] { read_specpower_file(path); }; };
  const std::string tail = "\n\n*\n* https://www.spec.org/power_ssj2008/results/\n";
  std::string p;

  p = write_temp("empty.txt", "");
  expect_error(read(p), p, "line 1", "empty file");
  p = temp_path("missing.txt");
  expect_error(read(p), p, "", "no such file");
  p = temp_dir("dir.txt");
  expect_error(read(p), p, "", "is a directory");
  p = write_temp("garbage.txt", kGarbage);
  expect_error(read(p), p, "line 1", "not a text file");
  p = write_temp("comments-only.txt", "* only\n\n# comments\n");
  expect_error(read(p), p, "line 3", "no line of power values");
  p = write_temp("ten.txt", "41.6 46.7 52.3 57.9 65.4 73 80.7 89.5 99.6 105" + tail);
  expect_error(read(p), p, "line 1",
               "expected 11 whitespace-separated power values in W (at 0, 10, ..., 100 % load), got 10");
  p = write_temp("twelve.txt", "41.6 46.7 52.3 57.9 65.4 73 80.7 89.5 99.6 105 113 120" + tail);
  expect_error(read(p), p, "line 1", "got 12");
  p = write_temp("commas.txt", "41.6,46.7,52.3,57.9,65.4,73,80.7,89.5,99.6,105,113" + tail);
  expect_error(read(p), p, "line 1", "got 1");
  p = write_temp("word.txt", "41.6 46.7 52.3 57.9 65.4 seventy 80.7 89.5 99.6 105 113" + tail);
  expect_error(read(p), p, "line 1", "value 6 (power at 50 % load): expected a number, got \"seventy\"");
  p = write_temp("nan.txt", "41.6 46.7 52.3 nan 65.4 73 80.7 89.5 99.6 105 113" + tail);
  expect_error(read(p), p, "line 1", "value 4 (power at 30 % load): expected a finite number");
  p = write_temp("inf.txt", "41.6 46.7 52.3 57.9 65.4 73 80.7 89.5 99.6 105 inf" + tail);
  expect_error(read(p), p, "line 1", "value 11 (power at 100 % load): expected a finite number");
  p = write_temp("zero.txt", "\n0 46.7 52.3 57.9 65.4 73 80.7 89.5 99.6 105 113" + tail);
  expect_error(read(p), p, "line 2", "value 1 (power at 0 % load): 0 W is not positive");
  p = write_temp("negative.txt", "-41.6 46.7 52.3 57.9 65.4 73 80.7 89.5 99.6 105 113" + tail);
  expect_error(read(p), p, "line 1", "-41.6 W is not positive");
  p = write_temp("decreasing.txt", "41.6 46.7 52.3 57.9 65.4 73 80.7 79.5 99.6 105 113" + tail);
  expect_error(
      read(p), p, "line 1",
      "value 8 (power at 70 % load): 79.5 W is below the 80.7 W at 60 % load; power must not decrease");
  p = write_temp("huge.txt", "1 2 3 4 5 6 7 8 9 10 1e999" + tail);
  expect_error(read(p), p, "line 1", "out of range");
}
