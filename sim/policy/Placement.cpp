// Placement helpers, policy parameters and the registry of built-in policies.
#include "policy/Placement.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace suanli::policy {

// ---------------------------------------------------------------------------------------------------
// The registry: one line per policy — its name (its factory make_<name> is defined in
// sim/policy/placement/<name>.cpp) and a one-line summary shown by `suanli policies`.
#define SUANLI_PLACEMENT_POLICIES(X)                                                                       \
  X(nearest, "lowest network latency within the budget (ties: lower load)")                                \
  X(least_loaded, "lowest (busy + queued) / capacity of the resource the job needs")                       \
  X(round_robin, "the next eligible site in turn, per job class")                                          \
  X(pue_aware, "lowest marginal facility power for the job, given each site's cooling and weather now")    \
  X(carbon_aware, "lowest carbon rate now; deferrable jobs wait for low-carbon hours within the deadline") \
  X(liquid_first, "dense GPU jobs to the most liquid-cooled sites, other jobs to air-cooled ones")         \
  X(consolidate, "pack work onto the busiest sites that still fit it, so the others can power down")       \
  X(random, "a uniformly random eligible site (the example of docs/policies.md)")
// ---------------------------------------------------------------------------------------------------

#define SUANLI_DECLARE_FACTORY(name, summary) std::unique_ptr<PlacementPolicy> make_##name(PolicyParams&);
#define SUANLI_REGISTRY_ENTRY(name, summary) PolicyInfo{#name, summary, &make_##name},
SUANLI_PLACEMENT_POLICIES(SUANLI_DECLARE_FACTORY)

std::span<const PolicyInfo> placement_registry() {
  static const PolicyInfo registry[] = {SUANLI_PLACEMENT_POLICIES(SUANLI_REGISTRY_ENTRY)};
  return registry;
}

namespace {
struct AddedPolicy {
  std::string name, summary;
  PlacementFactory make;
};
std::vector<AddedPolicy>& added_policies() {
  static std::vector<AddedPolicy> added;
  return added;
}
}  // namespace

void add_placement(const std::string& name, const std::string& summary, PlacementFactory make) {
  for (const auto& p : placement_registry())
    if (p.name == name)
      throw PolicyError("", "\"" + name + "\" is a built-in placement policy; choose another name");
  auto& added = added_policies();
  auto it = std::find_if(added.begin(), added.end(), [&](const AddedPolicy& a) { return a.name == name; });
  if (it != added.end())
    *it = {name, summary, std::move(make)};
  else
    added.push_back({name, summary, std::move(make)});
}

std::string placement_summary(std::string_view name) {
  for (const auto& p : placement_registry())
    if (p.name == name) return std::string(p.summary);
  for (const auto& a : added_policies())
    if (a.name == name) return a.summary;
  return {};
}

std::vector<std::string> placement_names() {
  std::vector<std::string> names;
  for (const auto& p : placement_registry()) names.emplace_back(p.name);
  for (const auto& a : added_policies()) names.push_back(a.name);
  return names;
}

std::unique_ptr<PlacementPolicy> make_placement(std::string_view name, const nlohmann::json& params,
                                                std::uint64_t seed, const model::Scenario* scenario) {
  PlacementFactory added;
  for (const auto& a : added_policies())
    if (a.name == name) added = a.make;
  for (const auto& p : placement_registry())
    if (p.name == name) added = p.make;
  if (added) {
    PolicyParams reader(params, seed, scenario);
    auto policy = added(reader);
    const auto unknown = reader.unknown();
    if (!unknown.empty()) {
      std::string valid;
      for (const auto& k : reader.known()) valid += (valid.empty() ? "" : ", ") + k;
      throw PolicyError(unknown.front(), "unknown parameter \"" + unknown.front() +
                                             "\" of placement policy \"" + std::string(name) +
                                             "\" (valid: " + (valid.empty() ? "none" : valid) + ")");
    }
    return policy;
  }
  std::string valid;
  for (const auto& n : placement_names()) valid += (valid.empty() ? "" : ", ") + n;
  throw PolicyError("", "unknown placement policy \"" + std::string(name) + "\" (valid: " + valid + ")");
}

PolicyParams::PolicyParams(nlohmann::json params, std::uint64_t seed, const model::Scenario* scenario)
    : params_(std::move(params)), seed_(seed), scenario_(scenario) {
  if (params_.is_null()) params_ = nlohmann::json::object();
}

double PolicyParams::number(const std::string& key, double fallback, double min, double max) {
  known_.push_back(key);
  if (!params_.contains(key)) return fallback;
  const auto& v = params_.at(key);
  std::ostringstream range;
  range << "[" << min << ", " << max << "]";
  if (!v.is_number() || !std::isfinite(v.get<double>()))
    throw PolicyError(key, "parameter \"" + key + "\" must be a number in " + range.str());
  const double x = v.get<double>();
  if (x < min || x > max) throw PolicyError(key, "parameter \"" + key + "\" must be in " + range.str());
  return x;
}

std::vector<std::string> PolicyParams::unknown() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : params_.items())
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) out.push_back(key);
  return out;
}

// Helpers --------------------------------------------------------------------------------------------

bool within_budget(const PlacementRequest& r, const SiteView& s) {
  return r.budget_rtt_s <= 0 || 2 * s.latency_s <= r.budget_rtt_s * (1 + 1e-12);
}

bool candidate(const PlacementRequest& r, const SiteView& s) { return s.eligible && within_budget(r, s); }

bool fits_now(const SiteView& s, const workload::Job& job) {
  return s.cores_free >= job.cores && s.gpus_free >= job.gpus;
}

double site_load(const SiteView& s, const workload::Job& job) {
  if (job.gpus > 0 && s.gpus_total > 0) {
    const double on = static_cast<double>(s.gpus_total - s.gpus_off);
    if (on <= 0) return std::numeric_limits<double>::infinity();
    return (on - static_cast<double>(s.gpus_free) + static_cast<double>(s.queued) * job.gpus) / on;
  }
  const double on = static_cast<double>(s.cores_total - s.cores_off);
  if (on <= 0) return std::numeric_limits<double>::infinity();
  return (on - static_cast<double>(s.cores_free) + static_cast<double>(s.queued) * job.cores) / on;
}

double site_utilization(const SiteView& s, const workload::Job& job) {
  if (job.gpus > 0 && s.gpus_total > 0)
    return static_cast<double>(s.gpus_total - s.gpus_off - s.gpus_free) / static_cast<double>(s.gpus_total);
  if (s.cores_total <= 0) return 0;
  return static_cast<double>(s.cores_total - s.cores_off - s.cores_free) / static_cast<double>(s.cores_total);
}

std::optional<std::size_t> best_candidate(const PlacementRequest& r,
                                          const std::function<double(const SiteView&)>& key) {
  std::optional<std::size_t> best;
  double best_key = 0;
  for (std::size_t i = 0; i < r.sites.size(); ++i) {
    const auto& s = r.sites[i];
    if (!candidate(r, s)) continue;
    const double k = key(s);
    if (!best || k < best_key || (k == best_key && s.latency_s < r.sites[*best].latency_s)) {
      best = i;
      best_key = k;
    }
  }
  return best;
}

std::optional<std::size_t> best_fitting_or_least_loaded(const PlacementRequest& r,
                                                        const std::function<double(const SiteView&)>& key) {
  constexpr double kNoRoom = std::numeric_limits<double>::infinity();
  auto best = best_candidate(r, [&](const SiteView& s) { return fits_now(s, r.job) ? key(s) : kNoRoom; });
  if (best && !fits_now(r.sites[*best], r.job))
    best = best_candidate(r, [&](const SiteView& s) { return site_load(s, r.job); });
  return best;
}

}  // namespace suanli::policy
