// The fiber network as a Boost.Graph: cities (hubs) and sites as vertices, fiber links as edges
// weighted by one-way latency; shortest-latency paths.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "model/Scenario.hpp"

namespace suanli::topology {

/// One fiber link of the network. Latency, one way: fiber_km * s_per_km + hop_delay_s.
struct FiberLink {
  std::string name;   ///< unique; also the SimGrid link name
  std::size_t a = 0;  ///< vertex at the "from" end
  std::size_t b = 0;  ///< vertex at the "to" end
  double fiber_km = 0;
  double latency_s = 0;
  double bandwidth_bps = 0;
  bool metro = false;  ///< the implicit link from a site to its city hub
};

/// One traversal of a fiber link along a path; `forward` when it goes from `a` to `b`.
struct PathStep {
  std::size_t link = 0;
  bool forward = true;
};

/// Single-source shortest-latency result.
struct ShortestPaths {
  std::size_t source = 0;
  std::vector<double> latency_s;         ///< per vertex; +inf when unreachable
  std::vector<std::ptrdiff_t> via_link;  ///< per vertex: link used to reach it, -1 at the source
};

/// Vertices 0..C-1 are the cities (their hubs), C..C+S-1 the sites, in scenario order.
class Graph {
 public:
  explicit Graph(const model::Scenario& scenario);

  std::size_t vertex_count() const { return city_count_ + site_count_; }
  std::size_t city_vertex(std::size_t city) const { return city; }
  std::size_t site_vertex(std::size_t site) const { return city_count_ + site; }
  bool is_city(std::size_t v) const { return v < city_count_; }
  const std::string& vertex_name(std::size_t v) const { return names_[v]; }
  const std::vector<FiberLink>& links() const { return links_; }

  /// Dijkstra from `source` over link latencies.
  ShortestPaths shortest_paths(std::size_t source) const;
  /// The links from `paths.source` to `target` in travel order (empty for the source itself).
  std::vector<PathStep> path_to(const ShortestPaths& paths, std::size_t target) const;

 private:
  struct Impl;
  std::size_t city_count_ = 0;
  std::size_t site_count_ = 0;
  std::vector<std::string> names_;
  std::vector<FiberLink> links_;
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> adjacency_;  // (neighbour, link)
  std::shared_ptr<const Impl> impl_;                                         // the Boost graph, built once
};

/// One-way latency of a link of this length under the scenario's network model.
double link_latency_s(const model::NetworkModel& network, double fiber_km);

/// Straight-line distance between two places times the route factor.
double derived_fiber_km(const model::NetworkModel& network, double lat1, double lon1, double lat2,
                        double lon2);

}  // namespace suanli::topology
