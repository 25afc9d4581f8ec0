// The annual fast path (`suanli pue`): the facility model over the 8,760 hours of each site's weather
// year for a given IT load profile, without simulating jobs.
#pragma once

#include <string>
#include <vector>

#include "energy/Conditions.hpp"
#include "energy/Targets.hpp"
#include "model/Scenario.hpp"

namespace suanli::energy {

/// IT load of each site over the year: a mean times the daily swing (1 + amplitude x cos(2 pi (hour -
/// peak_hour) / 24)), at most the site's rated IT power (racks x 2.5 kW). The mean is `site_mean_w`
/// when given (the load the workload implies, per site), else `it_load` x the site's rated power.
struct ItLoadProfile {
  double it_load = 0.6;
  double diurnal_amplitude = 0;
  double peak_hour = 15;
  std::vector<double> site_mean_w;  ///< per site, W; empty: it_load x rated
  /// Where the load comes from: "workload" (what the scenario's workload implies), "option"
  /// (--it-load), "assumed" (no workload and no option); and in words, for reports.
  std::string source = "option";
  std::string description;
  /// The share of rated power at that hour (it_load form), clamped to [0, 1].
  double at(std::size_t hour_of_year) const;
  /// Site i's IT power at that hour, W.
  double site_w(std::size_t site, double rated_w, std::size_t hour_of_year) const;
};

/// One site's year.
struct SiteYear {
  double it_kwh = 0, loss_kwh = 0, air_cooling_kwh = 0, liquid_cooling_kwh = 0, overhead_kwh = 0;
  double facility_kwh = 0;
  double pue = 0;                 ///< annual: facility energy / IT energy (NaN without IT)
  double free_cooling_hours = 0;  ///< hours of full free cooling of the air-cooled share
  double max_hourly_pue = 0;
  double water_l = 0;
  double carbon_kg = 0;
  double cost = 0;
  SiteTargets targets;
};

/// Hours of the weather year a figure covers: `hours` from hour `first_hour` (wrapping at the year's
/// end). Targets are annual: they are evaluated only over the whole year.
struct PuePeriod {
  double first_hour = 0;
  std::size_t hours = kHoursPerYear;
  bool annual() const { return hours >= kHoursPerYear; }
};

struct Year {
  PuePeriod period;
  std::vector<SiteYear> sites;
  SiteYear total;  ///< sums; pue = total facility / total IT
  OverallTargets targets;
};

/// The facility model hour by hour over `period` (default: the whole year). Over a part of the year
/// the targets are not evaluated (status not applicable).
Year annual_pue(const model::Scenario& scenario, const SiteWeather& weather, const GridCarbon& carbon,
                const ItLoadProfile& profile, const PuePeriod& period = {});

}  // namespace suanli::energy
