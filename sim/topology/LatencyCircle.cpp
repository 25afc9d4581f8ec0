// Latency-circle report from shortest-latency paths on the fiber graph.
#include "topology/LatencyCircle.hpp"

#include <algorithm>
#include <limits>

#include "model/Summary.hpp"

namespace suanli::topology {

double budget_latency(model::LatencyMode mode, double one_way_s) {
  return mode == model::LatencyMode::kRoundTrip ? 2.0 * one_way_s : one_way_s;
}

double access_latency_s(const model::Scenario& s, double lat_deg, double lon_deg, const model::Site& site) {
  return link_latency_s(s.network, derived_fiber_km(s.network, lat_deg, lon_deg, site.lat_deg, site.lon_deg));
}

CircleReport latency_circle(const model::Scenario& s, const Graph& graph) {
  CircleReport r;
  r.mode = s.latency_targets.mode;
  r.intra_city_budget_s = s.latency_targets.intra_city_s;
  r.inter_central_budget_s = s.latency_targets.inter_central_city_s;
  const auto lat = [&](double one_way) { return budget_latency(r.mode, one_way); };
  // Slack for float summation when a latency equals its budget exactly.
  const auto fits = [](double latency, double budget) { return latency <= budget * (1 + 1e-12); };

  std::vector<std::size_t> city_of_site(s.sites.size());
  for (std::size_t i = 0; i < s.sites.size(); ++i)
    for (std::size_t c = 0; c < s.cities.size(); ++c)
      if (s.cities[c].name == s.sites[i].city) city_of_site[i] = c;

  std::vector<ShortestPaths> from_city;
  from_city.reserve(s.cities.size());
  for (std::size_t c = 0; c < s.cities.size(); ++c)
    from_city.push_back(graph.shortest_paths(graph.city_vertex(c)));

  for (std::size_t c = 0; c < s.cities.size(); ++c) {
    CityCircle circle;
    circle.city = c;
    const auto& paths = from_city[c];
    std::vector<std::size_t> centres;
    for (std::size_t i = 0; i < s.sites.size(); ++i) {
      const double l = lat(paths.latency_s[graph.site_vertex(i)]);
      const SiteLatency entry{i, l, fits(l, r.intra_city_budget_s)};
      if (entry.within) circle.reachable_sites.push_back(entry);
      if (city_of_site[i] != c) continue;
      circle.own_sites.push_back(entry);
      if (entry.within)
        circle.own_within++;
      else
        r.violations.push_back(
            {"site", s.cities[c].name + " / " + s.sites[i].name, l, r.intra_city_budget_s});
      if (model::size_class_for_racks(s.sites[i].racks) != model::SizeClass::kEdge) centres.push_back(i);
    }
    std::sort(circle.reachable_sites.begin(), circle.reachable_sites.end(),
              [](const SiteLatency& a, const SiteLatency& b) { return a.latency_s < b.latency_s; });
    // The national definition: one-way latency between the city's medium-and-larger centres.
    for (std::size_t x = 0; x < centres.size(); ++x) {
      const auto px = graph.shortest_paths(graph.site_vertex(centres[x]));
      for (std::size_t y = x + 1; y < centres.size(); ++y) {
        const double l = lat(px.latency_s[graph.site_vertex(centres[y])]);
        circle.centre_pairs++;
        circle.max_centre_pair_s = std::max(circle.max_centre_pair_s, l);
        if (fits(l, r.intra_city_budget_s))
          circle.centre_pairs_within++;
        else
          r.violations.push_back(
              {"centre_pair",
               s.cities[c].name + " / " + s.sites[centres[x]].name + " - " + s.sites[centres[y]].name, l,
               r.intra_city_budget_s});
      }
    }
    r.sites_total += circle.own_sites.size();
    r.sites_within += circle.own_within;
    if (circle.within()) r.cities_within++;
    r.cities.push_back(std::move(circle));
  }

  for (std::size_t a = 0; a < s.cities.size(); ++a) {
    if (s.cities[a].role != model::CityRole::kCentral) continue;
    for (std::size_t b = a + 1; b < s.cities.size(); ++b) {
      if (s.cities[b].role != model::CityRole::kCentral) continue;
      const double l = lat(from_city[a].latency_s[graph.city_vertex(b)]);
      const bool within = fits(l, r.inter_central_budget_s);
      r.central_pairs.push_back({a, b, l, within});
      if (within)
        r.central_pairs_within++;
      else
        r.violations.push_back(
            {"central_pair", s.cities[a].name + " - " + s.cities[b].name, l, r.inter_central_budget_s});
    }
  }

  for (std::size_t d = 0; d < s.demand_points.size(); ++d) {
    const auto& p = s.demand_points[d];
    DemandLatency best{d, 0, std::numeric_limits<double>::infinity(), false};
    for (std::size_t i = 0; i < s.sites.size(); ++i) {
      const double l = lat(access_latency_s(s, p.lat_deg, p.lon_deg, s.sites[i]));
      if (l < best.latency_s) best = {d, i, l, false};
    }
    best.within = fits(best.latency_s, r.intra_city_budget_s);
    r.demand_weight_total += p.weight;
    if (best.within)
      r.demand_weight_within += p.weight;
    else
      r.violations.push_back(
          {"demand_point", p.city + " / " + p.name, best.latency_s, r.intra_city_budget_s});
    r.demand.push_back(best);
  }
  return r;
}

}  // namespace suanli::topology
