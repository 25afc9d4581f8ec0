// A job class's rules (see the header).
#include "policy/ClassRules.hpp"

#include <algorithm>

#include "topology/LatencyCircle.hpp"

namespace suanli::policy {

std::string default_placement(const model::JobClass& c) {
  if (!c.placement.empty()) return c.placement;
  return c.kind == model::JobKind::kLatencyCritical ? "nearest" : "least_loaded";
}

ClassRules class_rules(const model::Scenario& s, std::size_t k) {
  const auto& c = s.workload.classes.at(k);
  ClassRules r;
  r.placement = default_placement(c);
  r.origin_level = c.origin_level;
  r.allowed.assign(s.sites.size(), true);
  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    const auto& site = s.sites[i];
    if (!c.sites.empty() && std::find(c.sites.begin(), c.sites.end(), site.name) == c.sites.end())
      r.allowed[i] = false;
    if (!c.site_kinds.empty() && std::find(c.site_kinds.begin(), c.site_kinds.end(),
                                           model::to_string(site.kind)) == c.site_kinds.end())
      r.allowed[i] = false;
  }
  if (c.kind == model::JobKind::kLatencyCritical)
    r.budget_s = c.budget_s > 0 ? c.budget_s : s.latency_targets.intra_city_s;
  return r;
}

OriginLatencies origin_latencies(const model::Scenario& s, const topology::Graph& graph) {
  OriginLatencies out;
  out.city.resize(s.cities.size());
  for (std::size_t o = 0; o < s.cities.size(); ++o) {
    const auto paths = graph.shortest_paths(graph.city_vertex(o));
    for (std::size_t i = 0; i < s.sites.size(); ++i)
      out.city[o].push_back(paths.latency_s[graph.site_vertex(i)]);
  }
  out.point.resize(s.demand_points.size());
  for (std::size_t o = 0; o < s.demand_points.size(); ++o) {
    const auto& d = s.demand_points[o];
    for (std::size_t i = 0; i < s.sites.size(); ++i)
      out.point[o].push_back(topology::access_latency_s(s, d.lat_deg, d.lon_deg, s.sites[i]));
  }
  return out;
}

}  // namespace suanli::policy
