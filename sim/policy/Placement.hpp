// Placement across sites: which site runs a job. A policy sees a read-only snapshot of the sites and
// returns a decision; the engine enforces capacity and the latency budget whatever it says. No
// SimGrid here: policies are unit-tested on hand-built snapshots. Writing one: docs/policies.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "workload/Job.hpp"

namespace suanli::model {
struct Scenario;
}

namespace suanli::policy {

/// What a policy knows of one site for one job: the pool the job would use (CPU or GPU hosts).
struct SiteView {
  std::size_t site = 0;
  bool eligible = false;  ///< allowed for the job's class and could ever hold the job
  double latency_s = 0;   ///< one-way network latency from the job's origin
  std::int64_t cores_total = 0;
  std::int64_t cores_free = 0;  ///< free now on hosts that are on
  std::int64_t cores_off = 0;   ///< on hosts that are off, booting or shutting down
  std::int64_t gpus_total = 0;
  std::int64_t gpus_free = 0;
  std::int64_t gpus_off = 0;
  std::size_t queued = 0;  ///< jobs waiting in that pool's queue
  std::size_t running = 0;
  double liquid_share = 0;         ///< liquid-cooled share of the site's IT power
  double job_it_w = 0;             ///< IT power the job would add here (dynamic power of its cores), W
  double facility_w_per_it_w = 1;  ///< marginal facility power per W of IT load, now (weather, load)
  double carbon_kg_per_kwh = 0;    ///< grid intensity at the site now
};

/// The future as a policy may know it (forecasts); the engine gives the scenario's series.
class Outlook {
 public:
  virtual ~Outlook() = default;
  /// Mean grid carbon intensity over [from_s, to_s), kg per kWh.
  virtual double mean_carbon_kg_per_kwh(double from_s, double to_s) const = 0;
  /// Instants at or after from_s, up to to_s, where the intensity may change (hour boundaries).
  virtual std::vector<double> carbon_change_times(double from_s, double to_s) const = 0;
};

/// The state a placement decision is made on.
struct PlacementRequest {
  const workload::Job& job;
  double now_s = 0;
  double budget_rtt_s = 0;  ///< round-trip budget; 0: none
  std::span<const SiteView> sites;
  bool deferrable = false;           ///< the job may start later than now (within its deadline)
  const Outlook* outlook = nullptr;  ///< nullptr: no forecast
};

/// Where (index into `sites`) and, for deferrable jobs, not before when.
struct PlacementDecision {
  std::size_t site = 0;
  double start_not_before_s = 0;  ///< <= now: at once
};

class PlacementPolicy {
 public:
  virtual ~PlacementPolicy() = default;
  /// The decision, or nullopt when no site will do (the job is rejected).
  virtual std::optional<PlacementDecision> place(const PlacementRequest& request) = 0;
};

/// A policy's parameters (the scenario's placement object minus "policy"). Each read records the
/// name as known; unknown names and out-of-range values are errors naming the parameter.
class PolicyParams {
 public:
  explicit PolicyParams(nlohmann::json params = nlohmann::json::object(), std::uint64_t seed = 1,
                        const model::Scenario* scenario = nullptr);
  double number(const std::string& key, double fallback, double min, double max);
  std::uint64_t seed() const { return seed_; }
  /// The scenario the policy is made for (nullptr when made outside a run, e.g. to check a name).
  const model::Scenario* scenario() const { return scenario_; }
  /// Names present but never read.
  std::vector<std::string> unknown() const;
  const std::vector<std::string>& known() const { return known_; }

 private:
  nlohmann::json params_;
  std::uint64_t seed_;
  const model::Scenario* scenario_;
  std::vector<std::string> known_;
};

/// A bad policy name or parameter: `field` is "" for the name, else the parameter.
struct PolicyError : std::runtime_error {
  PolicyError(std::string field_, const std::string& message)
      : std::runtime_error(message), field(std::move(field_)) {}
  std::string field;
};

struct PolicyInfo {
  std::string_view name;
  std::string_view summary;
  std::unique_ptr<PlacementPolicy> (*make)(PolicyParams&);
};

/// Every built-in policy, in registry order.
std::span<const PolicyInfo> placement_registry();
/// Names accepted by make_placement (built-in, then added), for messages.
std::vector<std::string> placement_names();

/// Makes a policy added at run time from its parameters.
using PlacementFactory = std::function<std::unique_ptr<PlacementPolicy>(PolicyParams&)>;
/// Adds a placement policy under `name` for this process (how the Python module plugs in Python
/// callables); make_placement then accepts the name. A built-in name cannot be replaced (PolicyError);
/// adding a name again replaces the previous addition.
void add_placement(const std::string& name, const std::string& summary, PlacementFactory make);
/// The one-line summary of a built-in or added policy ("" when unknown).
std::string placement_summary(std::string_view name);
/// The policy of that name with its parameters; PolicyError when the name or a parameter is bad.
/// `scenario`: the run's (given to policies added at run time; built-in ones take what they need as
/// parameters).
std::unique_ptr<PlacementPolicy> make_placement(std::string_view name,
                                                const nlohmann::json& params = nlohmann::json::object(),
                                                std::uint64_t seed = 1,
                                                const model::Scenario* scenario = nullptr);

// Helpers for policies.

/// Round trip within the request's budget (or no budget).
bool within_budget(const PlacementRequest& request, const SiteView& site);
/// Eligible and within budget.
bool candidate(const PlacementRequest& request, const SiteView& site);
/// Whether the job's cores and GPUs are free now (aggregate over the pool's hosts that are on).
bool fits_now(const SiteView& site, const workload::Job& job);
/// Load of a site for a job: (busy + queued demand) / capacity of the resource the job needs (GPUs for
/// GPU jobs, else cores); hosts that are off count as neither busy nor free.
double site_load(const SiteView& site, const workload::Job& job);
/// Busy share of the binding resource now (running work only), in [0, 1].
double site_utilization(const SiteView& site, const workload::Job& job);
/// The candidate minimizing `key` (ties: lower latency, then lower site order); nullopt if none.
std::optional<std::size_t> best_candidate(const PlacementRequest& request,
                                          const std::function<double(const SiteView&)>& key);
/// Among candidates where the job fits now, the one minimizing `key`; when it fits nowhere now, the
/// least loaded candidate (it will queue there); nullopt if there is no candidate.
std::optional<std::size_t> best_fitting_or_least_loaded(const PlacementRequest& request,
                                                        const std::function<double(const SiteView&)>& key);

}  // namespace suanli::policy
