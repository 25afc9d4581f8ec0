// The facility around the IT load: electrical losses, cooling (free cooling, chiller, liquid loop),
// fixed overheads -> facility power and PUE at one instant. Formulas and sources: docs/model.md.
#pragma once

#include "model/Scenario.hpp"

namespace suanli::energy {

/// A site's power at one instant, W. facility = it + loss + air cooling + liquid cooling + overhead.
struct FacilityPower {
  double it_w = 0;
  double loss_w = 0;            ///< UPS and distribution
  double air_cooling_w = 0;     ///< fans, pumps and towers, chillers of the air-cooled share
  double liquid_cooling_w = 0;  ///< pumps and dry coolers of the liquid loop
  double overhead_w = 0;        ///< lighting, offices
  double free_cooling = 0;      ///< share of the air-cooled heat removed without chillers, [0, 1]
  double cooling_w() const { return air_cooling_w + liquid_cooling_w; }
  double facility_w() const { return it_w + loss_w + cooling_w() + overhead_w; }
  /// facility / IT; NaN when the IT power is 0.
  double pue() const;
};

/// What the model needs to know of a site.
struct SiteFacility {
  double rated_it_w = 0;  ///< racks x 2.5 kW (the UPS and cooling are sized for it)
  double air_share = 1;
  double liquid_share = 0;
  double chiller_cop = 5;  ///< at the design wet bulb
  double liquid_cop = 20;
  double free_cooling_wet_bulb_max_c = 14;
  double wue_l_per_kwh = 1.8;
};

SiteFacility site_facility(const model::Scenario& scenario, const model::Site& site);

/// Chiller COP at an outdoor wet bulb: cop x (1 + gain x (design - wet bulb)), within [0.5, 2] x cop.
double chiller_cop_at(const SiteFacility& site, const model::FacilityConstants& k, double wet_bulb_c);

/// Share of the air-cooled heat removed by free cooling: 1 at or below the site's wet-bulb threshold,
/// 0 at threshold + band and above, linear in between.
double free_cooling_share(const SiteFacility& site, const model::FacilityConstants& k, double wet_bulb_c);

/// Power of the site for an IT load (W) and an outdoor wet bulb (degC):
///   load L = it / rated;  loss = rated x (c0 + c1 L + c2 L^2)
///   air heat = air_share x it + loss   (UPS rooms and white space are air cooled)
///   air cooling = air heat x (fans + pumps + (1 - f) / COP_chiller(wet bulb)),  f = free-cooling share
///   liquid cooling = liquid_share x it / liquid_cop;  overhead = overhead_fraction x rated
FacilityPower facility_power(const SiteFacility& site, const model::FacilityConstants& k, double it_w,
                             double wet_bulb_c);

}  // namespace suanli::energy
