// Site and province figures derived from the declared servers.
#include "model/Summary.hpp"

namespace suanli::model {

SiteFigures site_figures(const Scenario& scenario, const Site& site) {
  SiteFigures f;
  f.size_class = size_class_for_racks(site.racks);
  for (const auto& g : site.nodes) {
    const NodeType* t = scenario.find_node_type(g.type);
    if (!t || t->pstates.empty()) continue;
    const double n = static_cast<double>(g.count);
    f.servers += g.count;
    f.gpus += g.count * t->gpus;
    f.occupied_racks += n * t->standard_racks_per_server();
    f.cpu_flops += n * t->cores * t->pstates.front().core_speed_flops;
    f.gpu_flops += n * t->gpus * t->gpu_speed_flops;
    f.it_power_max_w += n * t->pstates.front().max_w;
    f.it_power_idle_w += n * t->pstates.front().idle_w;
  }
  f.peak_flops = f.cpu_flops + f.gpu_flops;
  f.occupancy = site.racks > 0 ? f.occupied_racks / static_cast<double>(site.racks) : 0.0;
  return f;
}

ScenarioFigures scenario_figures(const Scenario& scenario) {
  ScenarioFigures t;
  double liquid_w = 0;
  for (const auto& site : scenario.sites) {
    const auto f = site_figures(scenario, site);
    t.racks += site.racks;
    t.occupied_racks += f.occupied_racks;
    t.servers += f.servers;
    t.gpus += f.gpus;
    t.cpu_flops += f.cpu_flops;
    t.gpu_flops += f.gpu_flops;
    t.peak_flops += f.peak_flops;
    if (site.kind == SiteKind::kSupercomputingCenter) t.hpc_peak_flops += f.peak_flops;
    t.it_power_max_w += f.it_power_max_w;
    liquid_w += f.it_power_max_w * site.cooling.liquid_share;
    t.sites_by_kind[static_cast<std::size_t>(site.kind)]++;
    t.sites_by_size_class[static_cast<std::size_t>(f.size_class)]++;
  }
  t.occupancy = t.racks > 0 ? t.occupied_racks / static_cast<double>(t.racks) : 0.0;
  t.liquid_share = t.it_power_max_w > 0 ? liquid_w / t.it_power_max_w : 0.0;
  return t;
}

}  // namespace suanli::model
