// Derived figures of a scenario: size classes, installed occupancy, compute and IT power.
#pragma once

#include <array>
#include <cstdint>

#include "model/Scenario.hpp"

namespace suanli::model {

/// What a site's declared servers and racks amount to.
struct SiteFigures {
  SizeClass size_class = SizeClass::kEdge;
  std::int64_t servers = 0;
  std::int64_t gpus = 0;
  double occupied_racks = 0;   ///< standard racks the servers occupy at full-load power
  double occupancy = 0;        ///< occupied_racks / racks (0 when racks == 0)
  double cpu_flops = 0;        ///< peak, pstate 0
  double gpu_flops = 0;        ///< peak of the accelerators
  double peak_flops = 0;       ///< cpu_flops + gpu_flops
  double it_power_max_w = 0;   ///< all servers at full load
  double it_power_idle_w = 0;  ///< all servers idle
};

SiteFigures site_figures(const Scenario& scenario, const Site& site);

/// Province-wide totals.
struct ScenarioFigures {
  std::int64_t racks = 0;
  double occupied_racks = 0;
  double occupancy = 0;
  std::int64_t servers = 0;
  std::int64_t gpus = 0;
  double cpu_flops = 0;
  double gpu_flops = 0;
  double peak_flops = 0;
  double hpc_peak_flops = 0;  ///< peak of supercomputing_center sites
  double it_power_max_w = 0;
  double liquid_share = 0;                   ///< liquid-cooled share of full-load IT power
  std::array<int, 4> sites_by_kind{};        ///< indexed by SiteKind
  std::array<int, 4> sites_by_size_class{};  ///< indexed by SizeClass
};

ScenarioFigures scenario_figures(const Scenario& scenario);

}  // namespace suanli::model
