// Placement across sites: policies see a read-only snapshot and return a decision (no SimGrid here).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "workload/Job.hpp"

namespace suanli::policy {

/// What a policy knows of one site for one job: the pool the job would use (CPU or GPU hosts).
struct SiteView {
  std::size_t site = 0;
  bool eligible = false;         ///< allowed for the job's class and could ever hold the job
  double latency_s = 0;          ///< one-way network latency from the job's origin
  std::int64_t cores_total = 0;
  std::int64_t cores_free = 0;
  std::int64_t gpus_total = 0;
  std::int64_t gpus_free = 0;
  std::size_t queued = 0;        ///< jobs waiting in that pool's queue
  std::size_t running = 0;
};

/// The state a placement decision is made on.
struct PlacementRequest {
  const workload::Job& job;
  double now_s = 0;
  double budget_rtt_s = 0;        ///< round-trip budget; 0: none
  std::span<const SiteView> sites;
};

class PlacementPolicy {
 public:
  virtual ~PlacementPolicy() = default;
  virtual std::string_view name() const = 0;
  /// The chosen site (index into `sites`), or nullopt when no site will do.
  virtual std::optional<std::size_t> place(const PlacementRequest& request) = 0;
};

/// Lowest latency among eligible sites within the budget (ties: lower load, then site order).
class NearestPlacement : public PlacementPolicy {
 public:
  std::string_view name() const override { return "nearest"; }
  std::optional<std::size_t> place(const PlacementRequest& request) override;
};

/// Lowest load — (busy + queued demand) / capacity of the resource the job needs — among eligible
/// sites within the budget (ties: lower latency, then site order).
class LeastLoadedPlacement : public PlacementPolicy {
 public:
  std::string_view name() const override { return "least_loaded"; }
  std::optional<std::size_t> place(const PlacementRequest& request) override;
};

/// Names accepted by make_placement, for messages.
std::vector<std::string> placement_names();
/// The policy of that name, or nullptr when unknown.
std::unique_ptr<PlacementPolicy> make_placement(std::string_view name);

/// Load of a site for a job needing (cores, gpus): (busy + queued) / total of the binding resource.
double site_load(const SiteView& site, const workload::Job& job);

}  // namespace suanli::policy
