// Weather, carbon and tariff lookups by hour.
#include "energy/Conditions.hpp"

#include <cmath>

namespace suanli::energy {

std::size_t hour_of_year(const model::EnergySettings& energy, double t_s) {
  const double h = std::floor(energy.start_hour_of_year + t_s / 3600.0);
  const auto n = static_cast<long long>(h) % static_cast<long long>(kHoursPerYear);
  return static_cast<std::size_t>(n < 0 ? n + static_cast<long long>(kHoursPerYear) : n);
}

SiteWeather::SiteWeather(const model::Scenario& s) {
  const auto& dw = s.energy.default_weather;
  std::shared_ptr<const HourlyWeather> fallback;
  if (dw.monthly_dry_bulb_c || dw.monthly_relative_humidity) {
    std::array<double, 12> t{}, rh{};
    t.fill(dw.dry_bulb_c);
    rh.fill(dw.relative_humidity);
    if (dw.monthly_dry_bulb_c) t = *dw.monthly_dry_bulb_c;
    if (dw.monthly_relative_humidity) rh = *dw.monthly_relative_humidity;
    fallback = std::make_shared<HourlyWeather>(monthly_weather(t, rh));
  } else {
    fallback = std::make_shared<HourlyWeather>(constant_weather(dw.dry_bulb_c, dw.relative_humidity));
  }
  for (const auto& site : s.sites) {
    std::string file = site.weather_file;
    if (file.empty())
      if (const auto* city = s.find_city(site.city)) file = city->weather_file;
    if (file.empty()) {
      by_site_.push_back(fallback);
      sources_.push_back("default");
      continue;
    }
    const std::string path = s.resolve_path(file);
    auto it = files_.find(path);
    if (it == files_.end()) it = files_.emplace(path, std::make_shared<HourlyWeather>(read_epw(path))).first;
    by_site_.push_back(it->second);
    sources_.push_back(path);
  }
}

GridCarbon::GridCarbon(const model::Scenario& s) : constant_kg_per_kwh_(s.energy.grid.carbon_kg_per_kwh) {
  if (s.energy.grid.carbon_file.empty()) return;
  const auto series =
      read_carbon_csv(s.resolve_path(s.energy.grid.carbon_file), s.energy.grid.carbon_life_cycle);
  hourly_.reserve(series.g_per_kwh.size());
  for (double g : series.g_per_kwh) hourly_.push_back(g / 1000.0);
}

double GridCarbon::kg_per_kwh(std::size_t hour) const {
  return hourly_.empty() ? constant_kg_per_kwh_ : hourly_[hour % hourly_.size()];
}

double tariff_price(const model::Tariff& tariff, double hour_of_day) {
  for (const auto& p : tariff.periods) {
    const bool inside = p.start_hour <= p.end_hour
                            ? (hour_of_day >= p.start_hour && hour_of_day < p.end_hour)
                            : (hour_of_day >= p.start_hour || hour_of_day < p.end_hour);
    if (inside) return p.price_per_kwh;
  }
  return tariff.price_per_kwh;
}

}  // namespace suanli::energy
