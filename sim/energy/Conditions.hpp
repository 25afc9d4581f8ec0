// What each site's facility sees over time: its weather (EPW file, or the scenario's default), the
// grid's carbon intensity and the electricity price, indexed by hour of the year.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "energy/CarbonIntensity.hpp"
#include "energy/Weather.hpp"
#include "model/Scenario.hpp"

namespace suanli::energy {

/// Hour of the weather/carbon year at simulated time t (energy.start_hour_of_year + t, wrapping).
std::size_t hour_of_year(const model::EnergySettings& energy, double t_s);

/// Hourly weather per site: the site's weather_file, else its city's, else energy.default_weather.
/// Each EPW file is read once.
class SiteWeather {
 public:
  explicit SiteWeather(const model::Scenario& scenario);
  const HourlyWeather& of(std::size_t site) const { return *by_site_[site]; }
  /// The file the site's weather comes from, or "default".
  const std::string& source(std::size_t site) const { return sources_[site]; }

 private:
  std::map<std::string, std::shared_ptr<const HourlyWeather>> files_;
  std::vector<std::shared_ptr<const HourlyWeather>> by_site_;
  std::vector<std::string> sources_;
};

/// Grid carbon intensity, kg CO2 per kWh: hourly from energy.grid.carbon_file, else the constant.
class GridCarbon {
 public:
  explicit GridCarbon(const model::Scenario& scenario);
  double kg_per_kwh(std::size_t hour_of_year) const;
  bool hourly() const { return !hourly_.empty(); }

 private:
  double constant_kg_per_kwh_;
  std::vector<double> hourly_;  ///< kg per kWh
};

/// Price per kWh at an hour of the day (the first time-of-use period containing it, else the base).
double tariff_price(const model::Tariff& tariff, double hour_of_day);

}  // namespace suanli::energy
