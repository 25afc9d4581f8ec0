// plan-edge: the fewest new edge sites that bring every demand point within its latency budget
// (greedy set cover, within a factor H(d) <= 1 + ln d of the optimum, d = most points one site covers).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/Scenario.hpp"

namespace suanli::topology {

enum class CandidateSource { kDemandPoints, kGrid, kBoth };

struct EdgePlanOptions {
  double budget_s = 0;  ///< as compared with access latency (already doubled for round trip)
  model::LatencyMode mode = model::LatencyMode::kOneWay;
  CandidateSource candidates = CandidateSource::kDemandPoints;
  double grid_km = 20;                ///< grid spacing when the grid is used
  bool ignore_existing_edge = false;  ///< plan as if no edge_dc existed yet
  std::size_t max_new_sites = 10000;
};

struct Candidate {
  std::string name;
  std::string city;  ///< its own city (demand point) or the nearest city hub (grid point)
  double lat_deg = 0;
  double lon_deg = 0;
};

struct ProposedSite {
  Candidate where;
  std::vector<std::size_t> covers;  ///< demand points newly brought within budget
  double covered_weight = 0;
};

struct EdgePlan {
  std::size_t demand_points = 0;
  std::size_t covered_before = 0;
  std::size_t covered_after = 0;
  double weight_total = 0;
  double weight_covered_before = 0;
  double weight_covered_after = 0;
  std::size_t candidates = 0;
  std::vector<ProposedSite> proposed;
  std::vector<std::size_t> uncoverable;  ///< demand points no candidate can bring within budget
  double approximation_factor = 1;       ///< H(d): the plan has at most this many times the optimum
};

/// Candidate locations: the demand points (county seats), a grid over the region, or both.
/// Throws model::UserError when the grid would exceed 200,000 points.
std::vector<Candidate> edge_candidates(const model::Scenario& scenario, const EdgePlanOptions& options);

EdgePlan plan_edge(const model::Scenario& scenario, const EdgePlanOptions& options);

}  // namespace suanli::topology
