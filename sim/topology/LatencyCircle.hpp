// The latency-circle analysis: 1 ms inside a city, 5 ms between central cities, coverage and violations.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/Scenario.hpp"
#include "topology/Graph.hpp"

namespace suanli::topology {

/// Latency from a city's hub to a site.
struct SiteLatency {
  std::size_t site = 0;
  double latency_s = 0;  ///< as compared with the budget (one-way, or round trip in that mode)
  bool within = false;
};

/// The circle of one city.
struct CityCircle {
  std::size_t city = 0;
  std::vector<SiteLatency> own_sites;  ///< the city's sites, from its hub
  std::size_t own_within = 0;
  std::vector<SiteLatency> reachable_sites;  ///< every site (any city) within the budget of the hub
  std::size_t centre_pairs = 0;              ///< pairs of the city's medium-and-larger centres (not edge)
  std::size_t centre_pairs_within = 0;
  double max_centre_pair_s = 0;
  bool within() const { return own_within == own_sites.size() && centre_pairs_within == centre_pairs; }
};

/// Hub-to-hub latency of two central cities.
struct CentralPair {
  std::size_t a = 0;
  std::size_t b = 0;
  double latency_s = 0;
  bool within = false;
};

/// Best access latency of one demand point (straight-line access fiber to the nearest site).
struct DemandLatency {
  std::size_t point = 0;
  std::size_t nearest_site = 0;
  double latency_s = 0;
  bool within = false;
};

struct Violation {
  std::string kind;     ///< "site", "centre_pair", "central_pair", "demand_point"
  std::string subject;  ///< e.g. "Fuzhou / changle-cluster"
  double latency_s = 0;
  double budget_s = 0;
};

struct CircleReport {
  model::LatencyMode mode = model::LatencyMode::kOneWay;
  double intra_city_budget_s = 0;
  double inter_central_budget_s = 0;
  std::vector<CityCircle> cities;
  std::vector<CentralPair> central_pairs;
  std::vector<DemandLatency> demand;
  std::vector<Violation> violations;

  std::size_t sites_total = 0;
  std::size_t sites_within = 0;
  std::size_t cities_within = 0;
  std::size_t central_pairs_within = 0;
  double demand_weight_total = 0;
  double demand_weight_within = 0;
};

/// Access latency from a point to a site: straight line x route factor of fiber, one hop.
double access_latency_s(const model::Scenario& scenario, double lat_deg, double lon_deg,
                        const model::Site& site);

/// Latency as compared with a budget: one-way latency, doubled in round-trip mode.
double budget_latency(model::LatencyMode mode, double one_way_s);

CircleReport latency_circle(const model::Scenario& scenario, const Graph& graph);

}  // namespace suanli::topology
