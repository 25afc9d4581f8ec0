// Greedy set cover of demand points by candidate edge sites.
#include "topology/EdgePlanner.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "model/Error.hpp"
#include "model/Geo.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace suanli::topology {

namespace {

/// Demand points of the scenario, or the city hubs when it lists none.
std::vector<model::DemandPoint> demand_of(const model::Scenario& s) {
  if (!s.demand_points.empty()) return s.demand_points;
  std::vector<model::DemandPoint> out;
  for (const auto& c : s.cities) out.push_back({c.name, c.name, c.lat_deg, c.lon_deg, 1.0});
  return out;
}

double access_s(const model::Scenario& s, double lat1, double lon1, double lat2, double lon2) {
  return link_latency_s(s.network, derived_fiber_km(s.network, lat1, lon1, lat2, lon2));
}

std::string nearest_city(const model::Scenario& s, double lat, double lon) {
  std::string best;
  double best_km = std::numeric_limits<double>::infinity();
  for (const auto& c : s.cities) {
    const double km = model::great_circle_km(lat, lon, c.lat_deg, c.lon_deg);
    if (km < best_km) {
      best_km = km;
      best = c.name;
    }
  }
  return best;
}

}  // namespace

std::vector<Candidate> edge_candidates(const model::Scenario& s, const EdgePlanOptions& o) {
  std::vector<Candidate> out;
  const auto demand = demand_of(s);
  if (o.candidates != CandidateSource::kGrid)
    for (const auto& d : demand) out.push_back({d.name, d.city, d.lat_deg, d.lon_deg});
  if (o.candidates != CandidateSource::kDemandPoints) {
    if (!(o.grid_km > 0)) throw model::UserError("", "--grid-km", "expected a grid spacing > 0 km");
    double lat_min = 90, lat_max = -90, lon_min = 180, lon_max = -180;
    auto extend = [&](double lat, double lon) {
      lat_min = std::min(lat_min, lat);
      lat_max = std::max(lat_max, lat);
      lon_min = std::min(lon_min, lon);
      lon_max = std::max(lon_max, lon);
    };
    for (const auto& d : demand) extend(d.lat_deg, d.lon_deg);
    for (const auto& site : s.sites) extend(site.lat_deg, site.lon_deg);
    const double km_per_deg = model::kEarthRadiusKm * std::numbers::pi / 180.0;
    const double dlat = o.grid_km / km_per_deg;
    const double dlon =
        o.grid_km / (km_per_deg * std::max(0.1, std::cos((lat_min + lat_max) / 2 * std::numbers::pi / 180)));
    const double rows = std::floor((lat_max - lat_min) / dlat) + 1;
    const double cols = std::floor((lon_max - lon_min) / dlon) + 1;
    if (rows * cols > 200000)
      throw model::UserError("", "--grid-km",
                             "a " + std::to_string(o.grid_km) + " km grid over this region has " +
                                 std::to_string(static_cast<long long>(rows * cols)) +
                                 " points; use a coarser grid (at most 200,000 points)");
    for (int r = 0; r < static_cast<int>(rows); ++r)
      for (int c = 0; c < static_cast<int>(cols); ++c) {
        const double lat = lat_min + r * dlat;
        const double lon = lon_min + c * dlon;
        out.push_back(
            {"grid-" + std::to_string(r) + "-" + std::to_string(c), nearest_city(s, lat, lon), lat, lon});
      }
  }
  return out;
}

EdgePlan plan_edge(const model::Scenario& s, const EdgePlanOptions& o) {
  const auto demand = demand_of(s);
  const auto candidates = edge_candidates(s, o);
  const auto fits = [&](double one_way) {
    return budget_latency(o.mode, one_way) <= o.budget_s * (1 + 1e-12);
  };

  EdgePlan plan;
  plan.demand_points = demand.size();
  plan.candidates = candidates.size();
  std::vector<bool> covered(demand.size(), false);
  for (std::size_t d = 0; d < demand.size(); ++d) {
    plan.weight_total += demand[d].weight;
    for (const auto& site : s.sites) {
      if (o.ignore_existing_edge && site.kind == model::SiteKind::kEdgeDc) continue;
      if (fits(access_latency_s(s, demand[d].lat_deg, demand[d].lon_deg, site))) {
        covered[d] = true;
        break;
      }
    }
    if (covered[d]) {
      plan.covered_before++;
      plan.weight_covered_before += demand[d].weight;
    }
  }

  // Which still-uncovered points each candidate would cover.
  std::vector<std::vector<std::size_t>> covers(candidates.size());
  std::size_t largest = 0;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    for (std::size_t d = 0; d < demand.size(); ++d)
      if (!covered[d] && fits(access_s(s, candidates[c].lat_deg, candidates[c].lon_deg, demand[d].lat_deg,
                                       demand[d].lon_deg)))
        covers[c].push_back(d);
    largest = std::max(largest, covers[c].size());
  }
  for (std::size_t d = 0; d < demand.size(); ++d) {
    if (covered[d]) continue;
    const bool coverable = std::any_of(covers.begin(), covers.end(), [&](const std::vector<std::size_t>& cv) {
      return std::find(cv.begin(), cv.end(), d) != cv.end();
    });
    if (!coverable) plan.uncoverable.push_back(d);
  }
  plan.approximation_factor = 0;
  for (std::size_t k = 1; k <= std::max<std::size_t>(largest, 1); ++k)
    plan.approximation_factor += 1.0 / static_cast<double>(k);

  // Greedy: take the candidate covering the most uncovered points (ties: more weight, then list order).
  while (plan.proposed.size() < o.max_new_sites) {
    std::size_t best = candidates.size();
    std::size_t best_count = 0;
    double best_weight = 0;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      std::size_t count = 0;
      double weight = 0;
      for (auto d : covers[c])
        if (!covered[d]) {
          ++count;
          weight += demand[d].weight;
        }
      if (count > best_count || (count == best_count && count > 0 && weight > best_weight)) {
        best = c;
        best_count = count;
        best_weight = weight;
      }
    }
    if (best == candidates.size()) break;
    ProposedSite p{candidates[best], {}, 0};
    for (auto d : covers[best])
      if (!covered[d]) {
        covered[d] = true;
        p.covers.push_back(d);
        p.covered_weight += demand[d].weight;
      }
    plan.proposed.push_back(std::move(p));
  }
  for (std::size_t d = 0; d < demand.size(); ++d)
    if (covered[d]) {
      plan.covered_after++;
      plan.weight_covered_after += demand[d].weight;
    }
  return plan;
}

}  // namespace suanli::topology
