// 8,760 hours x sites of the facility model (parallel over sites with oneTBB; each site is
// independent, so the result does not depend on the schedule).
#include "energy/AnnualPue.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "energy/Facility.hpp"

namespace suanli::energy {

double ItLoadProfile::at(std::size_t hour) const {
  const double h = static_cast<double>(hour % 24);
  const double v =
      it_load * (1 + diurnal_amplitude * std::cos(2 * std::numbers::pi * (h - peak_hour) / 24.0));
  return std::clamp(v, 0.0, 1.0);
}

double ItLoadProfile::site_w(std::size_t site, double rated_w, std::size_t hour) const {
  if (site_mean_w.empty()) return at(hour) * rated_w;
  const double h = static_cast<double>(hour % 24);
  const double v = site_mean_w.at(site) *
                   (1 + diurnal_amplitude * std::cos(2 * std::numbers::pi * (h - peak_hour) / 24.0));
  return std::clamp(v, 0.0, rated_w);
}

Year annual_pue(const model::Scenario& s, const SiteWeather& weather, const GridCarbon& carbon,
                const ItLoadProfile& profile, const PuePeriod& period) {
  Year y;
  y.period = period;
  const auto first = static_cast<std::size_t>(std::floor(std::max(0.0, period.first_hour)));
  const std::size_t hours = std::min(period.hours, kHoursPerYear);
  y.sites.resize(s.sites.size());
  const auto& k = s.energy.facility;
  tbb::parallel_for(std::size_t{0}, s.sites.size(), [&](std::size_t i) {
    const auto site = site_facility(s, s.sites[i]);
    const auto& w = weather.of(i);
    auto& r = y.sites[i];
    for (std::size_t n = 0; n < hours; ++n) {
      const std::size_t h = (first + n) % kHoursPerYear;
      const double it_w = profile.site_w(i, site.rated_it_w, h);
      const auto p = facility_power(site, k, it_w, w.wet_bulb_c[h]);
      r.it_kwh += p.it_w / 1000;
      r.loss_kwh += p.loss_w / 1000;
      r.air_cooling_kwh += p.air_cooling_w / 1000;
      r.liquid_cooling_kwh += p.liquid_cooling_w / 1000;
      r.overhead_kwh += p.overhead_w / 1000;
      r.facility_kwh += p.facility_w() / 1000;
      if (p.free_cooling >= 1) r.free_cooling_hours += 1;
      if (p.it_w > 0) r.max_hourly_pue = std::max(r.max_hourly_pue, p.pue());
      r.water_l += p.it_w / 1000 * site.wue_l_per_kwh;
      r.carbon_kg += p.facility_w() / 1000 * carbon.kg_per_kwh(h);
      r.cost += p.facility_w() / 1000 * tariff_price(s.energy.tariff, static_cast<double>(h % 24) + 0.5);
    }
    r.pue = r.it_kwh > 0 ? r.facility_kwh / r.it_kwh : std::numeric_limits<double>::quiet_NaN();
    r.targets = evaluate_site(s, s.sites[i], r.pue);
    if (!period.annual()) r.targets.pue = Status::kNotApplicable;
  });
  for (const auto& r : y.sites) {
    y.total.it_kwh += r.it_kwh;
    y.total.loss_kwh += r.loss_kwh;
    y.total.air_cooling_kwh += r.air_cooling_kwh;
    y.total.liquid_cooling_kwh += r.liquid_cooling_kwh;
    y.total.overhead_kwh += r.overhead_kwh;
    y.total.facility_kwh += r.facility_kwh;
    y.total.water_l += r.water_l;
    y.total.carbon_kg += r.carbon_kg;
    y.total.cost += r.cost;
  }
  y.total.pue =
      y.total.it_kwh > 0 ? y.total.facility_kwh / y.total.it_kwh : std::numeric_limits<double>::quiet_NaN();
  y.targets = evaluate_overall(s, y.total.pue);
  if (!period.annual()) y.targets.pue = Status::kNotApplicable;
  return y;
}

}  // namespace suanli::energy
