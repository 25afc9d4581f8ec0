// A job class's rules, derived once from the scenario: its placement policy (the class's own, or the
// default of its kind), the sites it may use, its round-trip latency budget and the one-way latency from
// each of its origins to every site. One pure function, used by the engine to place jobs and by the
// capacity fast path (capacity/Growth) to spread the class's expected load: both read the same rules.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/Scenario.hpp"
#include "topology/Graph.hpp"

namespace suanli::policy {

struct ClassRules {
  std::string placement;      ///< policy name: the class's "placement", else nearest / least_loaded
  std::vector<bool> allowed;  ///< per site: passes the class's "sites" and "site_kinds" filters
  double budget_s = 0;        ///< round-trip budget (latency-critical classes), 0: none
  model::OriginLevel origin_level = model::OriginLevel::kCity;
};

/// The placement policy a class uses when it names none: nearest for latency-critical requests,
/// least_loaded for everything else.
std::string default_placement(const model::JobClass& c);

/// The rules of class `k` of the scenario.
ClassRules class_rules(const model::Scenario& s, std::size_t k);

/// One-way latency, s, from every origin to every site: over the fiber graph from each city's hub
/// (cities), or over straight-line access fiber from each demand point.
struct OriginLatencies {
  std::vector<std::vector<double>> city;   ///< [city][site]
  std::vector<std::vector<double>> point;  ///< [demand point][site]
  const std::vector<std::vector<double>>& of(model::OriginLevel level) const {
    return level == model::OriginLevel::kCity ? city : point;
  }
};
OriginLatencies origin_latencies(const model::Scenario& s, const topology::Graph& graph);

}  // namespace suanli::policy
