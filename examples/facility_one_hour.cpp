// The facility model for one site and one hour: what a 1,000-rack site draws around 1.2 MW of IT
// load on a cool night and on a hot, humid afternoon. The energy layer alone, default constants.
//
// By hand (docs/model.md): load L = 1.2 / 2.5 = 0.48; losses = 2.5 MW x (0.010 + 0.020 L + 0.010 L^2)
// = 54.8 kW; air-cooled heat = 0.65 x 1,200 + 54.8 = 834.8 kW; at night (free cooling) air cooling =
// 834.8 x (0.12 fans + 0.08 pumps) = 167.0 kW; in the afternoon at the design wet bulb the chillers run
// at COP 5: 834.8 x (0.20 + 1 / 5) = 333.9 kW; liquid = 0.35 x 1,200 / 20 = 21.0 kW; overheads = 1 % of
// 2.5 MW = 25.0 kW. PUE = 1,467.7 / 1,200 = 1.223 and 1,634.7 / 1,200 = 1.362.
#include <cstdio>

#include "energy/Facility.hpp"

using namespace suanli;

int main() {
  energy::SiteFacility site;
  site.rated_it_w = 1000 * 2500.0;  // 1,000 standard racks of 2.5 kW
  site.air_share = 0.65;
  site.liquid_share = 0.35;
  const model::FacilityConstants k;  // the documented defaults (docs/model.md)
  const double it_w = 1.2e6;

  std::printf("%-26s %10s %10s\n", "", "night", "afternoon");
  const double wet_bulb[] = {8.0, 27.0};
  energy::FacilityPower p[2];
  for (int i = 0; i < 2; ++i) p[i] = energy::facility_power(site, k, it_w, wet_bulb[i]);
  const auto row = [&](const char* what, double a, double b) {
    std::printf("%-26s %10.1f %10.1f\n", what, a, b);
  };
  row("outdoor wet bulb, degC", wet_bulb[0], wet_bulb[1]);
  row("IT, kW", p[0].it_w / 1e3, p[1].it_w / 1e3);
  row("UPS and distribution, kW", p[0].loss_w / 1e3, p[1].loss_w / 1e3);
  row("air cooling, kW", p[0].air_cooling_w / 1e3, p[1].air_cooling_w / 1e3);
  row("liquid cooling, kW", p[0].liquid_cooling_w / 1e3, p[1].liquid_cooling_w / 1e3);
  row("overheads, kW", p[0].overhead_w / 1e3, p[1].overhead_w / 1e3);
  row("facility, kW", p[0].facility_w() / 1e3, p[1].facility_w() / 1e3);
  row("free-cooling share, %", 100 * p[0].free_cooling, 100 * p[1].free_cooling);
  std::printf("%-26s %10.3f %10.3f\n", "PUE", p[0].pue(), p[1].pue());
}
