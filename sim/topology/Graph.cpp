// Fiber network graph and Dijkstra shortest-latency paths (Boost.Graph).
#include "topology/Graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <limits>
#include <map>
#include <stdexcept>

#include "model/Geo.hpp"

namespace suanli::topology {

namespace {
using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                         boost::property<boost::edge_weight_t, double>>;
}

struct Graph::Impl {
  BoostGraph graph;
};

double link_latency_s(const model::NetworkModel& network, double fiber_km) {
  return fiber_km * network.fiber_latency_s_per_km + network.hop_delay_s;
}

double derived_fiber_km(const model::NetworkModel& network, double lat1, double lon1, double lat2,
                        double lon2) {
  return model::great_circle_km(lat1, lon1, lat2, lon2) * network.route_factor;
}

Graph::Graph(const model::Scenario& s) : city_count_(s.cities.size()), site_count_(s.sites.size()) {
  std::map<std::string, std::size_t, std::less<>> index;
  for (const auto& c : s.cities) {
    index.emplace(c.name, names_.size());
    names_.push_back(c.name);
  }
  for (const auto& site : s.sites) {
    index.emplace(site.name, names_.size());
    names_.push_back(site.name);
  }
  auto coordinates = [&](std::size_t v) {
    if (v < city_count_) return std::pair{s.cities[v].lat_deg, s.cities[v].lon_deg};
    const auto& site = s.sites[v - city_count_];
    return std::pair{site.lat_deg, site.lon_deg};
  };
  auto lookup = [&](const std::string& name) {
    auto it = index.find(name);
    if (it == index.end())
      throw std::logic_error("topology::Graph: unvalidated scenario names \"" + name + "\"");
    return it->second;
  };

  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    const auto& site = s.sites[i];
    if (!site.attach_to_city) continue;
    const std::size_t a = site_vertex(i);
    const std::size_t b = lookup(site.city);
    const auto [lat, lon] = coordinates(b);
    const double km =
        site.metro_fiber_km.value_or(derived_fiber_km(s.network, site.lat_deg, site.lon_deg, lat, lon));
    links_.push_back({"metro-" + site.name, a, b, km, link_latency_s(s.network, km), site.uplink_bps, true});
  }
  for (std::size_t i = 0; i < s.links.size(); ++i) {
    const auto& l = s.links[i];
    const std::size_t a = lookup(l.from);
    const std::size_t b = lookup(l.to);
    const auto [lat1, lon1] = coordinates(a);
    const auto [lat2, lon2] = coordinates(b);
    const double km = l.fiber_km.value_or(derived_fiber_km(s.network, lat1, lon1, lat2, lon2));
    links_.push_back({"fiber-" + std::to_string(i) + "-" + l.from + "-" + l.to, a, b, km,
                      link_latency_s(s.network, km),
                      l.bandwidth_bps.value_or(s.network.intercity_bandwidth_bps), false});
  }
  adjacency_.resize(vertex_count());
  for (std::size_t k = 0; k < links_.size(); ++k) {
    adjacency_[links_[k].a].emplace_back(links_[k].b, k);
    adjacency_[links_[k].b].emplace_back(links_[k].a, k);
  }
  auto impl = std::make_shared<Impl>();
  impl->graph = BoostGraph(vertex_count());
  for (const auto& l : links_) boost::add_edge(l.a, l.b, l.latency_s, impl->graph);
  impl_ = std::move(impl);
}

ShortestPaths Graph::shortest_paths(std::size_t source) const {
  const BoostGraph& g = impl_->graph;
  ShortestPaths out;
  out.source = source;
  out.latency_s.assign(vertex_count(), std::numeric_limits<double>::infinity());
  std::vector<BoostGraph::vertex_descriptor> pred(vertex_count());
  boost::dijkstra_shortest_paths(g, source,
                                 boost::predecessor_map(boost::make_iterator_property_map(
                                                            pred.begin(), boost::get(boost::vertex_index, g)))
                                     .distance_map(boost::make_iterator_property_map(
                                         out.latency_s.begin(), boost::get(boost::vertex_index, g))));
  // Recover which link each vertex was reached by: among parallel links, the shortest (lowest index on ties).
  out.via_link.assign(vertex_count(), -1);
  for (std::size_t v = 0; v < vertex_count(); ++v) {
    if (v == source || pred[v] == v) continue;
    double best = std::numeric_limits<double>::infinity();
    for (const auto& [u, k] : adjacency_[v]) {
      if (u != pred[v]) continue;
      if (links_[k].latency_s < best) {
        best = links_[k].latency_s;
        out.via_link[v] = static_cast<std::ptrdiff_t>(k);
      }
    }
  }
  return out;
}

std::vector<PathStep> Graph::path_to(const ShortestPaths& paths, std::size_t target) const {
  std::vector<PathStep> reversed;
  std::size_t v = target;
  while (v != paths.source) {
    const auto k = paths.via_link[v];
    if (k < 0) throw std::logic_error("topology::Graph::path_to: no path to " + names_[target]);
    const auto& link = links_[static_cast<std::size_t>(k)];
    const bool forward = link.b == v;  // travelling a -> b arrives at b
    reversed.push_back({static_cast<std::size_t>(k), forward});
    v = forward ? link.a : link.b;
  }
  return {reversed.rbegin(), reversed.rend()};
}

}  // namespace suanli::topology
