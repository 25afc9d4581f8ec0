// Facility power of a site at one instant.
#include "energy/Facility.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace suanli::energy {

double FacilityPower::pue() const {
  return it_w > 0 ? facility_w() / it_w : std::numeric_limits<double>::quiet_NaN();
}

SiteFacility site_facility(const model::Scenario& s, const model::Site& site) {
  SiteFacility f;
  f.rated_it_w = static_cast<double>(site.racks) * model::kStandardRackW;
  f.air_share = site.cooling.air_share;
  f.liquid_share = site.cooling.liquid_share;
  f.chiller_cop = site.cooling.chiller_cop;
  f.liquid_cop = site.cooling.liquid_cop;
  f.free_cooling_wet_bulb_max_c = site.cooling.free_cooling_wet_bulb_max_c;
  f.wue_l_per_kwh = site.cooling.wue_l_per_kwh.value_or(s.energy.facility.wue_l_per_kwh);
  return f;
}

double chiller_cop_at(const SiteFacility& site, const model::FacilityConstants& k, double wet_bulb_c) {
  const double factor = 1 + k.chiller_cop_gain_per_c * (k.chiller_design_wet_bulb_c - wet_bulb_c);
  return site.chiller_cop * std::clamp(factor, 0.5, 2.0);
}

double free_cooling_share(const SiteFacility& site, const model::FacilityConstants& k, double wet_bulb_c) {
  const double over = wet_bulb_c - site.free_cooling_wet_bulb_max_c;
  if (over <= 0) return 1;
  if (k.free_cooling_band_c <= 0 || over >= k.free_cooling_band_c) return 0;
  return 1 - over / k.free_cooling_band_c;
}

FacilityPower facility_power(const SiteFacility& site, const model::FacilityConstants& k, double it_w,
                             double wet_bulb_c) {
  FacilityPower p;
  p.it_w = std::max(0.0, it_w);
  const double rated = std::max(site.rated_it_w, p.it_w);
  const double load = rated > 0 ? p.it_w / rated : 0;
  p.loss_w = rated * (k.ups_loss_fixed + k.ups_loss_linear * load + k.ups_loss_quadratic * load * load);
  p.free_cooling = free_cooling_share(site, k, wet_bulb_c);
  const double air_heat = site.air_share * p.it_w + p.loss_w;
  const double chiller = (1 - p.free_cooling) / chiller_cop_at(site, k, wet_bulb_c);
  p.air_cooling_w = air_heat * (k.air_fan_fraction + k.plant_pump_fraction + chiller);
  p.liquid_cooling_w = site.liquid_share * p.it_w / site.liquid_cop;
  p.overhead_w = k.overhead_fraction * rated;
  return p;
}

}  // namespace suanli::energy
