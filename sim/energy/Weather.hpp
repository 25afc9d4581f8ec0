// Hourly weather of a typical year: EnergyPlus EPW reading, synthetic years, Stull's wet-bulb formula.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace suanli::energy {

/// Hours in the (non-leap) weather year every hourly series here covers.
inline constexpr std::size_t kHoursPerYear = 8760;

/// One typical year of hourly weather, 8,760 hours; index h is hour h of the year (hour 0 =
/// January 1, 00:00–01:00 local standard time, EPW's "hour 1"). All vectors have the same length.
struct HourlyWeather {
  std::vector<double> dry_bulb_c;         ///< dry-bulb air temperature [°C]
  std::vector<double> dew_point_c;        ///< dew-point temperature [°C]
  std::vector<double> relative_humidity;  ///< relative humidity [%], 0..100 (EPW allows up to 110)
  std::vector<double> pressure_pa;        ///< station pressure [Pa]
  std::vector<double> wet_bulb_c;         ///< wet-bulb temperature [°C], stull_wet_bulb_c(dry bulb, RH)

  std::size_t hours() const { return dry_bulb_c.size(); }
};

/// Reads an EnergyPlus weather file (EPW, https://bigladdersoftware.com/epx/docs/ "Auxiliary
/// programs", weather file format): 8 header lines (LOCATION, DESIGN CONDITIONS, TYPICAL/EXTREME
/// PERIODS, GROUND TEMPERATURES, HOLIDAYS/DAYLIGHT SAVINGS, COMMENTS 1, COMMENTS 2, DATA PERIODS),
/// then 8,760 rows of comma-separated fields (35 in the format; the first 10 are read):
/// 1 year, 2 month, 3 day, 4 hour (1..24, hour ending), 5 minute, 6 data source flags,
/// 7 dry bulb [°C], 8 dew point [°C], 9 relative humidity [%], 10 station pressure [Pa].
/// Checks: the header lines in order; exactly 8,760 rows of a non-leap year, January 1 hour 1 to
/// December 31 hour 24 in order (the year field is not checked: typical years mix years by month);
/// every number finite and plausible (temperatures −70..70 °C, RH 0..110 %, pressure
/// 30,000..120,000 Pa); EPW's missing-value codes (99.9 °C, 999 %, 999999 Pa) refused by name.
/// Wet bulb is derived with stull_wet_bulb_c. Throws model::UserError(path, "line N", message).
HourlyWeather read_epw(const std::string& path);

/// Wet-bulb temperature [°C] from dry-bulb temperature [°C] and relative humidity [%], by
/// R. Stull (2011), "Wet-bulb temperature from relative humidity and air temperature",
/// J. Appl. Meteor. Climatol. 50:2267–2269, at standard sea-level pressure:
///   Tw = T·atan(0.151977·(RH + 8.313659)^0.5) + atan(T + RH) − atan(RH − 1.676331)
///        + 0.00391838·RH^1.5·atan(0.023101·RH) − 4.686035   (angles in radians).
/// The fit is valid for RH 5..99 % and T −20..50 °C (error −1..+0.65 °C); RH is clamped into
/// [5, 99] % before use, and the result is capped at T (near saturation the fit can exceed T by a
/// few tenths, which is physically impossible). T is not clamped.
/// Example: T = 20 °C, RH = 50 % gives 13.7 °C. Throws std::invalid_argument on non-finite input.
double stull_wet_bulb_c(double dry_bulb_c, double rh_percent);

/// Dew point [°C] from dry bulb [°C] and relative humidity [%] by the Magnus formula with
/// Alduchov & Eskridge (1996) coefficients: γ = ln(RH/100) + 17.625·T/(243.04 + T),
/// Td = 243.04·γ/(17.625 − γ). RH is clamped to at least 1 %. Used for synthetic years.
double magnus_dew_point_c(double dry_bulb_c, double rh_percent);

/// A year of 8,760 identical hours: this dry bulb [°C] and relative humidity [%], dew point by
/// magnus_dew_point_c, wet bulb by stull_wet_bulb_c, pressure 101,325 Pa.
/// Throws std::invalid_argument unless T is finite in −70..70 °C and RH in 0..100 %.
HourlyWeather constant_weather(double dry_bulb_c, double relative_humidity);

/// A year of 8,760 hours where each hour takes its month's dry bulb [°C] and relative humidity [%]
/// (index 0 = January; non-leap month lengths), derived like constant_weather.
HourlyWeather monthly_weather(const std::array<double, 12>& dry_bulb_c,
                              const std::array<double, 12>& relative_humidity);

/// Number of hours of `weather` whose wet bulb is strictly below `threshold_c` [°C] (e.g. the
/// hours a cooling tower alone can supply 14 °C-approach water), in hours.
double annual_hours_below_wet_bulb(const HourlyWeather& weather, double threshold_c);

}  // namespace suanli::energy
