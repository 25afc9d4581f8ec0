// Hourly grid carbon intensity of a year, read from an Electricity Maps hourly export.
#pragma once

#include <string>
#include <vector>

namespace suanli::energy {

/// Grid carbon intensity for each of the 8,760 hours of a non-leap year [gCO2eq/kWh]; index h is
/// hour h of the year in UTC (hour 0 = January 1, 00:00–01:00 UTC). Source: Electricity Maps
/// (https://www.electricitymaps.com/data-portal), either direct (combustion) or life-cycle (LCA)
/// emission factors. Energy × intensity gives emissions: kWh × g/kWh = gCO2eq.
struct HourlyCarbon {
  std::vector<double> g_per_kwh;  ///< carbon intensity [gCO2eq/kWh], >= 0
};

/// Reads an Electricity Maps hourly CSV export, header
/// `Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),
///  Carbon Intensity gCO₂eq/kWh (LCA),Low Carbon Percentage,...` (columns found by name; the
/// intensity column is the one whose name contains "Carbon Intensity" and "(LCA)" if `life_cycle`,
/// else "(direct)"). Checks: exactly 8,760 data rows (a leap year's 8,784 is refused), datetimes
/// `YYYY-MM-DD HH:MM:SS` (or with a `T`, optionally ending in `Z`) starting on January 1 at 00:00
/// and each one hour after the previous, intensities finite and >= 0.
/// Throws model::UserError(path, "line N", message); header problems are reported at line 1.
HourlyCarbon read_carbon_csv(const std::string& path, bool life_cycle);

}  // namespace suanli::energy
