// Placement policies on hand-built snapshots, power-management decisions, allocation strategies and scenario
// edits.
//
// Most tests are tables: a snapshot of sites (state in) and the site or time a policy must choose
// (decision out). Site snapshots are written with the small builder `S` below: S(latency_ms, cores_free,
// cores_total = 100) is an eligible CPU site; its setters add GPUs, off capacity, queue, cooling, power
// and carbon.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "TestScenarios.hpp"
#include "load/Load.hpp"
#include "model/Error.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Validate.hpp"
#include "policy/Placement.hpp"
#include "policy/Power.hpp"
#include "policy/SitePool.hpp"
#include "workload/Job.hpp"

using nlohmann::json;
namespace model = suanli::model;
namespace policy = suanli::policy;
using policy::PlacementRequest;
using policy::SiteView;
using suanli::workload::Job;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMs = 1e-3;
constexpr double kHour = 3600;

// ---------------------------------------------------------------------------------------------------
// Builders

/// A site snapshot for the tables: an eligible CPU site by default.
struct S {
  SiteView v;
  S(double latency_ms, std::int64_t cores_free, std::int64_t cores_total = 100) {
    v.eligible = true;
    v.latency_s = latency_ms * kMs;
    v.cores_total = cores_total;
    v.cores_free = cores_free;
  }
  S& ineligible() {
    v.eligible = false;
    return *this;
  }
  S& cores_off(std::int64_t off) {
    v.cores_off = off;
    return *this;
  }
  S& gpus(std::int64_t total, std::int64_t free, std::int64_t off = 0) {
    v.gpus_total = total;
    v.gpus_free = free;
    v.gpus_off = off;
    return *this;
  }
  S& queued(std::size_t n) {
    v.queued = n;
    return *this;
  }
  S& liquid(double share) {
    v.liquid_share = share;
    return *this;
  }
  S& power(double job_it_w, double facility_w_per_it_w) {
    v.job_it_w = job_it_w;
    v.facility_w_per_it_w = facility_w_per_it_w;
    return *this;
  }
  S& carbon(double kg_per_kwh) {
    v.carbon_kg_per_kwh = kg_per_kwh;
    return *this;
  }
  operator SiteView() const { return v; }  // NOLINT: implicit on purpose, for the tables
};

/// Numbers the sites by their position (SiteView::site), as the engine does.
std::vector<SiteView> numbered(std::vector<SiteView> sites) {
  for (std::size_t i = 0; i < sites.size(); ++i) sites[i].site = i;
  return sites;
}

Job cpu_job(int cores) {
  Job j;
  j.cores = cores;
  j.gpus = 0;
  j.runtime_s = 100;
  return j;
}

Job gpu_job(int gpus, int cores = 1) {
  Job j;
  j.cores = cores;
  j.gpus = gpus;
  j.runtime_s = 100;
  return j;
}

/// The chosen site of one decision (nullopt: rejected).
std::optional<std::size_t> choose(policy::PlacementPolicy& p, const Job& job,
                                  const std::vector<SiteView>& sites, double budget_rtt_s = 0,
                                  double now_s = 0) {
  const PlacementRequest r{job, now_s, budget_rtt_s, sites, false, nullptr};
  const auto d = p.place(r);
  if (!d) return std::nullopt;
  return d->site;
}

std::string show(const std::optional<std::size_t>& site) { return site ? std::to_string(*site) : "none"; }

// ---------------------------------------------------------------------------------------------------
// One table for the stateless policies: snapshot in, chosen site out.

struct PlacementCase {
  std::string name;
  std::string policy;
  json params;
  Job job;
  double budget_rtt_s;
  std::vector<SiteView> sites;
  std::optional<std::size_t> expected;
};

std::ostream& operator<<(std::ostream& os, const PlacementCase& c) { return os << c.name; }

const Job kCpu10 = cpu_job(10);
const Job kGpu2 = gpu_job(2);
const json kNoParams = json::object();
constexpr std::optional<std::size_t> kNone = std::nullopt;

std::vector<PlacementCase> placement_cases() {
  return {
      // nearest: the lowest one-way latency, whether or not the job fits now; ties: lower load, then order.
      {"nearest_lowest_latency_even_if_full",
       "nearest",
       kNoParams,
       kCpu10,
       0,
       {S(3, 50), S(1, 0), S(2, 50)},
       1},
      {"nearest_tie_lower_load_wins", "nearest", kNoParams, kCpu10, 0, {S(1, 20), S(1, 70), S(2, 100)}, 1},
      {"nearest_tie_lower_load_first_site",
       "nearest",
       kNoParams,
       kCpu10,
       0,
       {S(1, 80), S(1, 50), S(2, 100)},
       0},
      {"nearest_tie_queue_counts_in_load",
       "nearest",
       kNoParams,
       kCpu10,
       0,
       {S(1, 80).queued(4), S(1, 70)},
       1},
      {"nearest_full_tie_first_in_order", "nearest", kNoParams, kCpu10, 0, {S(2, 50), S(1, 50), S(1, 50)}, 1},
      {"nearest_skips_ineligible",
       "nearest",
       kNoParams,
       kCpu10,
       0,
       {S(0.5, 100).ineligible(), S(2, 50), S(1, 50).ineligible(), S(3, 50)},
       1},
      {"nearest_rtt_budget_boundary_allowed",
       "nearest",
       kNoParams,
       kCpu10,
       4 * kMs,
       {S(1, 50).ineligible(), S(3, 50), S(2, 50), S(2.5, 100)},
       2},
      {"nearest_all_beyond_budget", "nearest", kNoParams, kCpu10, 1 * kMs, {S(1, 50), S(2, 50)}, kNone},
      {"nearest_none_eligible",
       "nearest",
       kNoParams,
       kCpu10,
       0,
       {S(1, 50).ineligible(), S(2, 50).ineligible()},
       kNone},
      {"nearest_no_sites", "nearest", kNoParams, kCpu10, 0, {}, kNone},

      // least_loaded: (busy + queued x demand) / capacity that is on; ties: lower latency, then order.
      {"least_loaded_lowest_load",
       "least_loaded",
       kNoParams,
       kCpu10,
       0,
       {S(1, 20), S(2, 60), S(3, 90).queued(5)},
       1},
      {"least_loaded_queue_demand_counts",
       "least_loaded",
       kNoParams,
       kCpu10,
       0,
       {S(1, 70).queued(3), S(2, 50)},
       1},
      {"least_loaded_relative_to_capacity",
       "least_loaded",
       kNoParams,
       kCpu10,
       0,
       {S(1, 500, 1000), S(2, 60, 100)},
       1},
      {"least_loaded_off_cores_neither_busy_nor_free",
       "least_loaded",
       kNoParams,
       kCpu10,
       0,
       {S(1, 10).cores_off(80), S(2, 40)},
       0},
      {"least_loaded_all_off_is_infinitely_loaded",
       "least_loaded",
       kNoParams,
       kCpu10,
       0,
       {S(1, 0).cores_off(100), S(2, 0).queued(5)},
       1},
      {"least_loaded_gpu_job_counts_gpus",
       "least_loaded",
       kNoParams,
       kGpu2,
       0,
       {S(1, 0).gpus(8, 8), S(2, 100).gpus(8, 2)},
       0},
      {"least_loaded_off_gpus_neither_busy_nor_free",
       "least_loaded",
       kNoParams,
       kGpu2,
       0,
       {S(1, 100).gpus(8, 2, 4), S(2, 100).gpus(8, 3)},
       0},
      {"least_loaded_tie_lower_latency",
       "least_loaded",
       kNoParams,
       kCpu10,
       0,
       {S(3, 50), S(1, 50), S(2, 50)},
       1},
      {"least_loaded_tie_same_latency_first",
       "least_loaded",
       kNoParams,
       kCpu10,
       0,
       {S(2, 50), S(1, 60), S(1, 60)},
       1},
      {"least_loaded_skips_ineligible",
       "least_loaded",
       kNoParams,
       kCpu10,
       0,
       {S(1, 100).ineligible(), S(2, 40), S(3, 60)},
       2},
      {"least_loaded_skips_beyond_budget",
       "least_loaded",
       kNoParams,
       kCpu10,
       4 * kMs,
       {S(3, 100), S(1, 20), S(2, 40)},
       2},
      {"least_loaded_none",
       "least_loaded",
       kNoParams,
       kCpu10,
       1 * kMs,
       {S(1, 50).ineligible(), S(2, 50)},
       kNone},

      // pue_aware: among sites with room now, the lowest job_it_w x facility_w_per_it_w.
      {"pue_aware_lowest_marginal_facility_power",
       "pue_aware",
       kNoParams,
       kCpu10,
       0,
       {S(1, 50).power(100, 1.5), S(2, 50).power(100, 1.25), S(3, 50).power(64, 1.75)},
       2},
      {"pue_aware_skips_sites_without_room",
       "pue_aware",
       kNoParams,
       kCpu10,
       0,
       {S(1, 50).power(100, 1.5), S(2, 9).power(100, 1.0), S(3, 50).power(100, 1.25)},
       2},
      {"pue_aware_gpu_room_counts",
       "pue_aware",
       kNoParams,
       kGpu2,
       0,
       {S(1, 100).gpus(8, 1).power(100, 1.0), S(2, 100).gpus(8, 4).power(100, 1.5)},
       1},
      {"pue_aware_tie_lower_latency",
       "pue_aware",
       kNoParams,
       kCpu10,
       0,
       {S(2, 50).power(100, 1.5), S(1, 50).power(150, 1.0), S(3, 50).power(100, 1.75)},
       1},
      {"pue_aware_skips_ineligible",
       "pue_aware",
       kNoParams,
       kCpu10,
       0,
       {S(1, 50).power(100, 1.0).ineligible(), S(2, 50).power(100, 1.5), S(3, 50).power(100, 1.25)},
       2},
      {"pue_aware_skips_beyond_budget",
       "pue_aware",
       kNoParams,
       kCpu10,
       4 * kMs,
       {S(3, 50).power(100, 1.0), S(1, 50).power(100, 1.5), S(2, 50).power(100, 1.25)},
       2},
      {"pue_aware_fits_nowhere_least_loaded",
       "pue_aware",
       kNoParams,
       kCpu10,
       0,
       {S(1, 5).power(100, 1.0), S(2, 8, 20).power(100, 2.0), S(3, 9).power(100, 1.5)},
       1},
      {"pue_aware_only_ineligible_fits_least_loaded",
       "pue_aware",
       kNoParams,
       kCpu10,
       0,
       {S(1, 5).power(100, 1.5), S(2, 90).power(100, 1.0).ineligible(), S(3, 9, 10).power(100, 2.0)},
       2},
      {"pue_aware_fallback_within_budget",
       "pue_aware",
       kNoParams,
       kCpu10,
       4 * kMs,
       {S(3, 9, 10).power(100, 1.0), S(1, 5).power(100, 1.0), S(2, 8, 20).power(100, 1.0)},
       2},
      {"pue_aware_none", "pue_aware", kNoParams, kCpu10, 0, {S(1, 50).ineligible()}, kNone},

      // carbon_aware (where): among sites with room now, the lowest job_it_w x facility x grid intensity.
      {"carbon_aware_lowest_carbon_rate",
       "carbon_aware",
       kNoParams,
       kCpu10,
       0,
       {S(1, 50).power(100, 1.25).carbon(0.75), S(2, 50).power(100, 1.5).carbon(0.5),
        S(3, 50).power(100, 1.0).carbon(1.0)},
       1},
      {"carbon_aware_skips_sites_without_room",
       "carbon_aware",
       kNoParams,
       kCpu10,
       0,
       {S(1, 5).power(100, 1.0).carbon(0.25), S(2, 50).power(100, 1.5).carbon(0.5),
        S(3, 50).power(100, 1.0).carbon(1.0)},
       1},
      {"carbon_aware_tie_lower_latency",
       "carbon_aware",
       kNoParams,
       kCpu10,
       0,
       {S(2, 50).power(100, 1.0).carbon(0.5), S(1, 50).power(50, 1.0).carbon(1.0),
        S(3, 50).power(100, 1.0).carbon(1.0)},
       1},
      {"carbon_aware_skips_ineligible",
       "carbon_aware",
       kNoParams,
       kCpu10,
       0,
       {S(1, 50).power(100, 1.0).carbon(0.25).ineligible(), S(2, 50).power(100, 1.0).carbon(0.75),
        S(3, 50).power(100, 1.0).carbon(0.5)},
       2},
      {"carbon_aware_skips_beyond_budget",
       "carbon_aware",
       kNoParams,
       kCpu10,
       4 * kMs,
       {S(3, 50).power(100, 1.0).carbon(0.25), S(1, 50).power(100, 1.0).carbon(0.75),
        S(2, 50).power(100, 1.0).carbon(0.5)},
       2},
      {"carbon_aware_fits_nowhere_least_loaded",
       "carbon_aware",
       kNoParams,
       kCpu10,
       0,
       {S(1, 5).power(100, 1.0).carbon(0.25), S(2, 8, 20).power(100, 1.0).carbon(1.0),
        S(3, 9).power(100, 1.0).carbon(0.5)},
       1},
      {"carbon_aware_none",
       "carbon_aware",
       kNoParams,
       kCpu10,
       0,
       {S(1, 50).ineligible(), S(2, 50).ineligible()},
       kNone},

      // liquid_first: dense jobs to the highest liquid share with room, other jobs to the lowest.
      {"liquid_first_gpu_job_most_liquid",
       "liquid_first",
       kNoParams,
       gpu_job(1),
       0,
       {S(1, 100).gpus(8, 8).liquid(0.25), S(2, 100).gpus(8, 8).liquid(0.875),
        S(3, 100).gpus(8, 8).liquid(0.5)},
       1},
      {"liquid_first_cpu_job_least_liquid",
       "liquid_first",
       kNoParams,
       kCpu10,
       0,
       {S(1, 50).liquid(0.5), S(2, 50).liquid(0.875), S(3, 50).liquid(0.25)},
       2},
      {"liquid_first_dense_skips_sites_without_room",
       "liquid_first",
       kNoParams,
       kGpu2,
       0,
       {S(1, 100).gpus(8, 8).liquid(0.25), S(2, 100).gpus(8, 1).liquid(0.875),
        S(3, 100).gpus(8, 8).liquid(0.5)},
       2},
      {"liquid_first_dense_gpus_4_makes_2_gpus_sparse",
       "liquid_first",
       json{{"dense_gpus", 4}},
       kGpu2,
       0,
       {S(1, 100).gpus(8, 8).liquid(0.25), S(2, 100).gpus(8, 8).liquid(0.875),
        S(3, 100).gpus(8, 8).liquid(0.5)},
       0},
      {"liquid_first_dense_gpus_4_job_of_4_is_dense",
       "liquid_first",
       json{{"dense_gpus", 4}},
       gpu_job(4),
       0,
       {S(1, 100).gpus(8, 8).liquid(0.25), S(2, 100).gpus(8, 8).liquid(0.875),
        S(3, 100).gpus(8, 8).liquid(0.5)},
       1},
      {"liquid_first_dense_cores_64_job_of_64_is_dense",
       "liquid_first",
       json{{"dense_cores", 64}},
       cpu_job(64),
       0,
       {S(1, 100).liquid(0.25), S(2, 100).liquid(0.875), S(3, 100).liquid(0.5)},
       1},
      {"liquid_first_dense_cores_64_job_of_32_is_sparse",
       "liquid_first",
       json{{"dense_cores", 64}},
       cpu_job(32),
       0,
       {S(1, 100).liquid(0.25), S(2, 100).liquid(0.875), S(3, 100).liquid(0.5)},
       0},
      {"liquid_first_tie_lower_latency",
       "liquid_first",
       kNoParams,
       kGpu2,
       0,
       {S(2, 100).gpus(8, 8).liquid(0.5), S(1, 100).gpus(8, 8).liquid(0.5),
        S(3, 100).gpus(8, 8).liquid(0.25)},
       1},
      {"liquid_first_skips_ineligible",
       "liquid_first",
       kNoParams,
       kGpu2,
       0,
       {S(1, 100).gpus(8, 8).liquid(1.0).ineligible(), S(2, 100).gpus(8, 8).liquid(0.25),
        S(3, 100).gpus(8, 8).liquid(0.5)},
       2},
      {"liquid_first_skips_beyond_budget",
       "liquid_first",
       kNoParams,
       kGpu2,
       4 * kMs,
       {S(3, 100).gpus(8, 8).liquid(1.0), S(1, 100).gpus(8, 8).liquid(0.25),
        S(2, 100).gpus(8, 8).liquid(0.5)},
       2},
      {"liquid_first_fits_nowhere_least_loaded",
       "liquid_first",
       kNoParams,
       gpu_job(4),
       0,
       {S(1, 100).gpus(8, 2).liquid(1.0), S(2, 100).gpus(8, 3).liquid(0.0), S(3, 100).gpus(4, 1).liquid(0.5)},
       1},
      {"liquid_first_none", "liquid_first", kNoParams, kGpu2, 1 * kMs, {S(2, 100).gpus(8, 8)}, kNone},

      // consolidate: the busiest site (running work / capacity) that still has room now.
      {"consolidate_busiest_with_room",
       "consolidate",
       kNoParams,
       kCpu10,
       0,
       {S(1, 80), S(2, 30), S(3, 5)},
       1},
      {"consolidate_off_cores_are_not_busy",
       "consolidate",
       kNoParams,
       kCpu10,
       0,
       {S(1, 30).cores_off(60), S(2, 70)},
       1},
      {"consolidate_gpu_job_counts_gpus",
       "consolidate",
       kNoParams,
       kGpu2,
       0,
       {S(1, 100).gpus(8, 6), S(2, 100).gpus(8, 2), S(3, 0).gpus(8, 1)},
       1},
      {"consolidate_tie_lower_latency",
       "consolidate",
       kNoParams,
       kCpu10,
       0,
       {S(2, 50), S(1, 50), S(3, 60)},
       1},
      {"consolidate_skips_ineligible",
       "consolidate",
       kNoParams,
       kCpu10,
       0,
       {S(1, 30).ineligible(), S(2, 80), S(3, 60)},
       2},
      {"consolidate_skips_beyond_budget",
       "consolidate",
       kNoParams,
       kCpu10,
       4 * kMs,
       {S(3, 30), S(1, 80), S(2, 60)},
       2},
      {"consolidate_fits_nowhere_least_loaded",
       "consolidate",
       kNoParams,
       kCpu10,
       0,
       {S(1, 5), S(2, 8, 20), S(3, 9)},
       1},
      {"consolidate_none", "consolidate", kNoParams, kCpu10, 0, {}, kNone},
  };
}

class PlacementTable : public ::testing::TestWithParam<PlacementCase> {};

TEST_P(PlacementTable, ChoosesTheExpectedSite) {
  const auto& c = GetParam();
  const auto sites = numbered(c.sites);
  auto p = policy::make_placement(c.policy, c.params);
  const PlacementRequest r{c.job, 1000, c.budget_rtt_s, sites, false, nullptr};
  const auto d = p->place(r);
  EXPECT_EQ(show(d ? std::optional<std::size_t>(d->site) : std::nullopt), show(c.expected));
  if (d) {
    EXPECT_LE(d->start_not_before_s, r.now_s) << "a job that is not deferrable starts at once";
  }
}

INSTANTIATE_TEST_SUITE_P(Policies, PlacementTable, ::testing::ValuesIn(placement_cases()),
                         [](const ::testing::TestParamInfo<PlacementCase>& row) { return row.param.name; });

// ---------------------------------------------------------------------------------------------------
// Every policy: only candidates (eligible, within the round-trip budget) are ever chosen.

TEST(PlacementAllPolicies, NeverChooseIneligibleOrOutOfBudgetSites) {
  // Each snapshot has exactly one candidate; the others are more attractive by every policy's rule
  // (nearer, emptier, more or less liquid, greener, busier...) but ineligible or beyond 4 ms round trip.
  struct Snapshot {
    std::vector<SiteView> sites;
    std::size_t only_candidate;
  };
  const std::vector<Snapshot> snapshots = {
      {{S(1.5, 5).liquid(0.5).power(100, 2).carbon(1),
        S(0.5, 100).liquid(0).power(1, 1).carbon(0).ineligible(),
        S(2.5, 100).liquid(1).power(1, 1).carbon(0)},
       0},
      {{S(0.5, 100).liquid(0).power(1, 1).carbon(0).ineligible(),
        S(1.5, 60).liquid(0.5).power(100, 2).carbon(1), S(3, 100).liquid(1).power(1, 1).carbon(0),
        S(0.1, 0).liquid(1).ineligible()},
       1},
      {{S(2.5, 100), S(3, 90).liquid(1), S(2, 40).power(100, 1.5).carbon(0.5), S(1, 95).ineligible()}, 2},
      {{S(1, 99).ineligible(), S(1, 1).ineligible(), S(2.1, 100), S(1.9, 0).cores_off(50)}, 3},
  };
  for (const auto& name : policy::placement_names()) {
    SCOPED_TRACE(name);
    auto p = policy::make_placement(name, json::object(), 42);
    for (std::size_t k = 0; k < snapshots.size(); ++k) {
      SCOPED_TRACE("snapshot " + std::to_string(k));
      const auto sites = numbered(snapshots[k].sites);
      for (const Job& job : {cpu_job(10), cpu_job(1)})
        for (int repeat = 0; repeat < 5; ++repeat)  // stateful policies (round_robin, random) too
          EXPECT_EQ(show(choose(*p, job, sites, 4 * kMs)), show(snapshots[k].only_candidate));
    }
    // No candidate at all: rejected, whatever else the sites offer.
    const auto none = numbered({S(1, 100).ineligible(), S(2.5, 100), S(0.1, 100).ineligible()});
    EXPECT_EQ(show(choose(*p, cpu_job(10), none, 4 * kMs)), "none");
    EXPECT_EQ(show(choose(*p, cpu_job(10), {}, 0)), "none");
  }
}

// ---------------------------------------------------------------------------------------------------
// round_robin: state carried across calls.

TEST(RoundRobinPlacement, CyclesOverCandidatesInSiteOrder) {
  struct Row {
    std::string name;
    std::vector<SiteView> sites;
    double budget_rtt_s;
    std::vector<std::size_t> picks;  ///< successive decisions on the same snapshot
  };
  const std::vector<Row> rows = {
      {"all_candidates", {S(1, 50), S(2, 50), S(3, 0), S(4, 50)}, 0, {0, 1, 2, 3, 0, 1, 2}},
      {"skips_ineligible", {S(1, 50), S(2, 50).ineligible(), S(3, 50), S(4, 50)}, 0, {0, 2, 3, 0, 2, 3}},
      {"skips_beyond_budget", {S(1, 50), S(2, 50), S(3, 50), S(1.5, 50)}, 4 * kMs, {0, 1, 3, 0, 1, 3}},
      {"first_site_not_a_candidate", {S(1, 50).ineligible(), S(2, 50), S(2, 50)}, 0, {1, 2, 1, 2}},
      {"single_candidate", {S(1, 50).ineligible(), S(2, 50).ineligible(), S(2, 50)}, 0, {2, 2, 2}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    auto p = policy::make_placement("round_robin");
    const auto sites = numbered(row.sites);
    for (std::size_t k = 0; k < row.picks.size(); ++k)
      EXPECT_EQ(show(choose(*p, cpu_job(10), sites, row.budget_rtt_s)), show(row.picks[k])) << "call " << k;
  }
}

TEST(RoundRobinPlacement, TurnContinuesAcrossChangingSnapshots) {
  const auto all = numbered({S(1, 50), S(2, 50), S(3, 50), S(4, 50)});
  const auto without_1 = numbered({S(1, 50), S(2, 50).ineligible(), S(3, 50), S(4, 50)});
  const auto only_0 =
      numbered({S(1, 50), S(2, 50).ineligible(), S(3, 50).ineligible(), S(4, 50).ineligible()});
  const auto none =
      numbered({S(1, 50).ineligible(), S(2, 50).ineligible(), S(3, 50).ineligible(), S(4, 50).ineligible()});
  struct Step {
    const std::vector<SiteView>* sites;
    std::optional<std::size_t> expected;
  };
  const std::vector<Step> steps = {
      {&all, 0},    {&without_1, 2}, {&all, 3}, {&all, 0},
      {&only_0, 0}, {&none, kNone},  {&all, 1},  // a rejection does not move the turn
      {&all, 2}};
  auto p = policy::make_placement("round_robin");
  for (std::size_t k = 0; k < steps.size(); ++k)
    EXPECT_EQ(show(choose(*p, cpu_job(10), *steps[k].sites)), show(steps[k].expected)) << "step " << k;
}

TEST(RoundRobinPlacement, EachInstanceHasItsOwnTurn) {
  const auto sites = numbered({S(1, 50), S(2, 50), S(3, 50)});
  auto a = policy::make_placement("round_robin");
  auto b = policy::make_placement("round_robin");
  EXPECT_EQ(show(choose(*a, cpu_job(1), sites)), "0");
  EXPECT_EQ(show(choose(*a, cpu_job(1), sites)), "1");
  EXPECT_EQ(show(choose(*b, cpu_job(1), sites)), "0");
  EXPECT_EQ(show(choose(*a, cpu_job(1), sites)), "2");
}

// ---------------------------------------------------------------------------------------------------
// random

std::vector<std::size_t> random_picks(std::uint64_t seed, const std::vector<SiteView>& sites, int n,
                                      double budget_rtt_s = 0) {
  auto p = policy::make_placement("random", json::object(), seed);
  std::vector<std::size_t> out;
  for (int i = 0; i < n; ++i) {
    const auto site = choose(*p, cpu_job(4), sites, budget_rtt_s);
    if (!site) {
      ADD_FAILURE() << "random rejected a job that has candidates";
      break;
    }
    out.push_back(*site);
  }
  return out;
}

TEST(RandomPlacement, OnlyCandidatesAndAllOfThem) {
  // Sites 1 (ineligible) and 3 (6 ms round trip > 4 ms) are never chosen; 0 and 2 both are.
  const auto sites = numbered({S(1, 50), S(1, 50).ineligible(), S(2, 50), S(3, 50)});
  const auto picks = random_picks(7, sites, 200, 4 * kMs);
  ASSERT_EQ(picks.size(), 200u);
  std::map<std::size_t, int> count;
  for (const auto s : picks) ++count[s];
  EXPECT_EQ(count.count(1), 0u);
  EXPECT_EQ(count.count(3), 0u);
  EXPECT_GT(count[0], 0);
  EXPECT_GT(count[2], 0);
  EXPECT_EQ(count[0] + count[2], 200);
}

TEST(RandomPlacement, SameSeedSameSequenceOtherSeedOtherSequence) {
  const auto sites = numbered({S(1, 50), S(2, 50), S(3, 50), S(4, 50)});
  const auto a = random_picks(12345, sites, 50);
  const auto b = random_picks(12345, sites, 50);
  const auto c = random_picks(12346, sites, 50);
  const auto d = random_picks(1, sites, 50);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  EXPECT_NE(c, d);
  // The default seed of make_placement is 1.
  auto p = policy::make_placement("random");
  std::vector<std::size_t> e;
  for (int i = 0; i < 50; ++i) e.push_back(*choose(*p, cpu_job(4), sites));
  EXPECT_EQ(e, d);
}

TEST(RandomPlacement, RoughlyUniformOverCandidates) {
  const auto sites = numbered({S(1, 50), S(2, 50).ineligible(), S(3, 0), S(4, 100)});
  for (const std::uint64_t seed : {1ull, 2ull, 99ull}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const auto picks = random_picks(seed, sites, 3000);
    ASSERT_EQ(picks.size(), 3000u);
    std::map<std::size_t, int> count;
    for (const auto s : picks) ++count[s];
    EXPECT_EQ(count.count(1), 0u);
    for (const std::size_t s : {0u, 2u, 3u}) {
      EXPECT_GE(count[s], 750) << "site " << s;   // 25 %
      EXPECT_LE(count[s], 1260) << "site " << s;  // 42 %
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// carbon_aware deferral: when a deferrable job may start.

/// A forecast from an hourly series starting at t = 0 (the last value holds after its end).
class HourlyOutlook : public policy::Outlook {
 public:
  explicit HourlyOutlook(std::vector<double> kg_per_kwh) : kg_(std::move(kg_per_kwh)) {}

  double at(double t) const {
    const auto h = static_cast<std::size_t>(std::max(0.0, std::floor(t / kHour)));
    return kg_[std::min(h, kg_.size() - 1)];
  }
  double mean_carbon_kg_per_kwh(double from_s, double to_s) const override {
    if (to_s <= from_s) return at(from_s);
    double sum = 0;
    for (double t = from_s; t < to_s;) {
      const double next = std::min(to_s, (std::floor(t / kHour) + 1) * kHour);
      sum += at(t) * (next - t);
      t = next;
    }
    return sum / (to_s - from_s);
  }
  std::vector<double> carbon_change_times(double from_s, double to_s) const override {
    std::vector<double> out;
    for (double t = std::ceil(from_s / kHour) * kHour; t <= to_s; t += kHour) out.push_back(t);
    return out;
  }

 private:
  std::vector<double> kg_;
};

/// Hourly intensities: the mean over a 2 h run starting at hour h is
///   h:    0     1      2      3    4     5    6      7     8      9+
///   mean: 1.0   0.875  0.625  0.5  0.75  1.0  0.625  0.25  0.625  1.0
const HourlyOutlook& dip_outlook() {
  static const HourlyOutlook outlook([] {
    std::vector<double> kg = {1.0, 1.0, 0.75, 0.5, 0.5, 1.0, 1.0, 0.25, 0.25, 1.0};
    kg.resize(48, 1.0);
    return kg;
  }());
  return outlook;
}

const HourlyOutlook& flat_outlook() {
  static const HourlyOutlook outlook(std::vector<double>(48, 0.6));
  return outlook;
}

/// 1.0 for 72 h except hour 5 (0.5) and hours 30-31 (0.125): over a 2 h run, hours 4 and 5 give
/// 0.75 (saving 25 %), hour 30 gives 0.125 — beyond the default max_defer_s of one day.
const HourlyOutlook& late_dip_outlook() {
  static const HourlyOutlook outlook([] {
    std::vector<double> kg(72, 1.0);
    kg[5] = 0.5;
    kg[30] = kg[31] = 0.125;
    return kg;
  }());
  return outlook;
}

/// 1.0 except hours 3-4 (0.96): the best 2 h run saves only 4 %, below the default min_saving of 5 %.
const HourlyOutlook& shallow_outlook() {
  static const HourlyOutlook outlook([] {
    std::vector<double> kg(48, 1.0);
    kg[3] = kg[4] = 0.96;
    return kg;
  }());
  return outlook;
}

TEST(CarbonAwarePlacementOutlook, TestDoubleMeansAndChangeTimes) {
  const auto& o = dip_outlook();
  EXPECT_DOUBLE_EQ(o.mean_carbon_kg_per_kwh(0, 2 * kHour), 1.0);
  EXPECT_DOUBLE_EQ(o.mean_carbon_kg_per_kwh(3 * kHour, 5 * kHour), 0.5);
  EXPECT_DOUBLE_EQ(o.mean_carbon_kg_per_kwh(7 * kHour, 9 * kHour), 0.25);
  EXPECT_DOUBLE_EQ(o.mean_carbon_kg_per_kwh(1800, 9000), 0.9375);
  EXPECT_EQ(o.carbon_change_times(1800, 4 * kHour),
            (std::vector<double>{kHour, 2 * kHour, 3 * kHour, 4 * kHour}));
}

struct DeferralCase {
  std::string name;
  json params;
  double runtime_s;
  double walltime_s;
  double deadline_s;
  double now_s;
  bool deferrable;
  const policy::Outlook* outlook;
  double expected_start_s;  ///< == now_s: at once
};

std::ostream& operator<<(std::ostream& os, const DeferralCase& c) { return os << c.name; }

std::vector<DeferralCase> deferral_cases() {
  const policy::Outlook* dip = &dip_outlook();
  const policy::Outlook* flat = &flat_outlook();
  const policy::Outlook* late = &late_dip_outlook();
  const policy::Outlook* shallow = &shallow_outlook();
  const json none = json::object();
  const double day = 24 * kHour;
  return {
      // The lowest mean over the 2 h run within the window: hour 7 (mean 0.25, saves 75 %).
      {"waits_for_the_lowest_mean_window", none, 7200, 0, day, 0, true, dip, 7 * kHour},
      // Defaults: max_defer_s one day, min_saving 0.05, slack 0.1.
      {"default_max_defer_one_day", none, 7200, 0, 3 * day, 0, true, late, 4 * kHour},
      {"max_defer_s_two_days_reaches_hour_30", json{{"max_defer_s", 2 * day}}, 7200, 0, 3 * day, 0, true,
       late, 30 * kHour},
      {"default_min_saving_5pct_refuses_4pct", none, 7200, 0, day, 0, true, shallow, 0},
      {"min_saving_3pct_accepts_4pct", json{{"min_saving", 0.03}}, 7200, 0, day, 0, true, shallow, 3 * kHour},
      {"default_slack_10pct_excludes_hour_7", none, 7200, 0, 7 * kHour + 7700, 0, true, dip, 3 * kHour},
      {"slack_0_includes_hour_7", json{{"slack", 0}}, 7200, 0, 7 * kHour + 7700, 0, true, dip, 7 * kHour},
      // max_defer_s caps the window at now + max_defer_s: hours 0-4 -> hour 3 (mean 0.5).
      {"max_defer_s_4h_caps_window", json{{"max_defer_s", 4 * kHour}}, 7200, 0, day, 0, true, dip, 3 * kHour},
      {"max_defer_s_7h_includes_hour_7", json{{"max_defer_s", 7 * kHour}}, 7200, 0, day, 0, true, dip,
       7 * kHour},
      {"max_defer_s_zero_never_waits", json{{"max_defer_s", 0}}, 7200, 0, day, 0, true, dip, 0},
      // The latest start is deadline - run x (1 + slack); slack 0.25: 9000 s before the deadline.
      {"deadline_just_allows_hour_7", json{{"slack", 0.25}}, 7200, 0, 7 * kHour + 9000, 0, true, dip,
       7 * kHour},
      {"deadline_one_second_short_of_hour_7", json{{"slack", 0.25}}, 7200, 0, 7 * kHour + 8999, 0, true, dip,
       3 * kHour},
      {"slack_0_25_allows_hour_7", json{{"slack", 0.25}}, 7200, 0, 10 * kHour, 0, true, dip, 7 * kHour},
      {"slack_0_5_latest_is_hour_7", json{{"slack", 0.5}}, 7200, 0, 10 * kHour, 0, true, dip, 7 * kHour},
      {"slack_1_excludes_hour_7", json{{"slack", 1}}, 7200, 0, 10 * kHour, 0, true, dip, 3 * kHour},
      {"latest_start_before_now_starts_now", none, 7200, 0, 5000, 0, true, dip, 0},
      // min_saving: waits only for a saving of at least this share of the intensity now.
      {"min_saving_0_7_deferral_saving_75pct", json{{"min_saving", 0.7}}, 7200, 0, day, 0, true, dip,
       7 * kHour},
      {"min_saving_0_8_deferral_saving_75pct", json{{"min_saving", 0.8}}, 7200, 0, day, 0, true, dip, 0},
      {"min_saving_0_4_deferral_saving_50pct", json{{"min_saving", 0.4}, {"max_defer_s", 4 * kHour}}, 7200, 0,
       day, 0, true, dip, 3 * kHour},
      {"min_saving_0_6_deferral_saving_50pct", json{{"min_saving", 0.6}, {"max_defer_s", 4 * kHour}}, 7200, 0,
       day, 0, true, dip, 0},
      {"flat_intensity_never_waits", json{{"min_saving", 0}}, 7200, 0, day, 0, true, flat, 0},
      // Not deferred at all.
      {"not_deferrable", none, 7200, 0, day, 0, false, dip, 0},
      {"infinite_deadline", none, 7200, 0, kInf, 0, true, dip, 0},
      {"no_outlook", none, 7200, 0, day, 0, true, nullptr, 0},
      {"zero_run_time", none, 0, 0, day, 0, true, dip, 0},
      // The run is the requested walltime when known: 2 h (latest 20700 s: hour 3), not 1 h (hour 7).
      {"runtime_1h_no_walltime", json{{"slack", 0.25}}, 3600, 0, 29700, 0, true, dip, 7 * kHour},
      {"walltime_2h_counts_over_runtime_1h", json{{"slack", 0.25}}, 3600, 7200, 29700, 0, true, dip,
       3 * kHour},
      // Now in the middle of an hour (mean now 0.9375): the next hour boundaries are the candidates.
      {"now_mid_hour", json{{"max_defer_s", 4 * kHour}}, 7200, 0, day, 1800, true, dip, 3 * kHour},
      {"now_after_the_dip", none, 7200, 0, 2 * day, 9 * kHour, true, dip, 9 * kHour},
  };
}

class CarbonAwarePlacementDeferral : public ::testing::TestWithParam<DeferralCase> {};

TEST_P(CarbonAwarePlacementDeferral, StartsAtTheExpectedTime) {
  const auto& c = GetParam();
  Job job = cpu_job(4);
  job.runtime_s = c.runtime_s;
  job.walltime_s = c.walltime_s;
  job.deadline_s = c.deadline_s;
  // Site 1 has the lowest carbon rate now; deferral does not change where.
  const auto sites = numbered({S(1, 50).power(100, 1.0).carbon(0.75), S(2, 50).power(100, 1.0).carbon(0.5)});
  auto p = policy::make_placement("carbon_aware", c.params);
  const PlacementRequest r{job, c.now_s, 0, sites, c.deferrable, c.outlook};
  const auto d = p->place(r);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->site, 1u);
  EXPECT_DOUBLE_EQ(d->start_not_before_s, c.expected_start_s);
}

INSTANTIATE_TEST_SUITE_P(Table, CarbonAwarePlacementDeferral, ::testing::ValuesIn(deferral_cases()),
                         [](const ::testing::TestParamInfo<DeferralCase>& row) { return row.param.name; });

TEST(CarbonAwarePlacement, OtherPoliciesNeverDefer) {
  Job job = cpu_job(4);
  job.runtime_s = 7200;
  job.deadline_s = 24 * kHour;
  const auto sites = numbered({S(1, 50), S(2, 50)});
  for (const auto& name : policy::placement_names()) {
    if (name == "carbon_aware") continue;
    SCOPED_TRACE(name);
    auto p = policy::make_placement(name);
    const PlacementRequest r{job, 100, 0, sites, true, &dip_outlook()};
    const auto d = p->place(r);
    ASSERT_TRUE(d);
    EXPECT_LE(d->start_not_before_s, r.now_s);
  }
}

// ---------------------------------------------------------------------------------------------------
// The registry and policy parameters.

TEST(PlacementRegistry, ListsEveryPolicyOnceAndMakesEach) {
  const auto names = policy::placement_names();
  ASSERT_EQ(names.size(), policy::placement_registry().size());
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size()) << "a name listed twice";
  EXPECT_TRUE(std::find(names.begin(), names.end(), "nearest") != names.end()) << "the default policy";
  std::size_t i = 0;
  for (const auto& info : policy::placement_registry()) {
    SCOPED_TRACE(std::string(info.name));
    EXPECT_EQ(names[i++], info.name) << "placement_names() is the registry's order";
    EXPECT_FALSE(info.summary.empty());
    EXPECT_TRUE(policy::make_placement(info.name) != nullptr);
    EXPECT_TRUE(policy::make_placement(info.name, nullptr) != nullptr) << "null parameters are no parameters";
  }
}

/// The PolicyError thrown by make_placement(name, params), or a failure.
std::optional<policy::PolicyError> policy_error(const std::string& name, const json& params) {
  try {
    policy::make_placement(name, params);
  } catch (const policy::PolicyError& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a PolicyError: " << e.what();
    return std::nullopt;
  }
  ADD_FAILURE() << "no error for " << name << " " << params.dump();
  return std::nullopt;
}

/// The registry's names as the error messages list them: "nearest, least_loaded, ..." (read from the
/// registry, so a new policy needs no edit here).
std::string valid_policy_list() {
  std::string list;
  for (const auto& name : policy::placement_names()) list += (list.empty() ? "" : ", ") + name;
  return list;
}

TEST(PlacementRegistry, UnknownNameListsValidNames) {
  const auto e = policy_error("fastest", json::object());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "");
  EXPECT_EQ(std::string(e->what()),
            "unknown placement policy \"fastest\" (valid: " + valid_policy_list() + ")");
  const auto empty = policy_error("", json::object());
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->field, "");
  const auto upper = policy_error("Nearest", json::object());  // names are case-sensitive
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->field, "");
}

TEST(PlacementRegistry, ParameterErrorsNameTheParameter) {
  struct Row {
    std::string policy;
    json params;
    std::string field;
    std::string message_part;
  };
  const std::vector<Row> rows = {
      // Unknown parameters, listing the valid ones.
      {"nearest",
       {{"max_defer_s", 10}},
       "max_defer_s",
       "unknown parameter \"max_defer_s\" of placement policy \"nearest\" (valid: none)"},
      {"carbon_aware",
       {{"max_defer", 10}},
       "max_defer",
       "unknown parameter \"max_defer\" of placement policy \"carbon_aware\" (valid: max_defer_s, "
       "min_saving, slack)"},
      {"liquid_first", {{"dense_gpu", 2}}, "dense_gpu", "(valid: dense_gpus, dense_cores)"},
      {"random", {{"seed", 3}}, "seed", "unknown parameter \"seed\""},
      {"carbon_aware", {{"min_saving", 0.1}, {"zzz", 1}}, "zzz", "unknown parameter \"zzz\""},
      // Out of range.
      {"carbon_aware", {{"min_saving", 2}}, "min_saving", "parameter \"min_saving\" must be in [0, 1]"},
      {"carbon_aware", {{"min_saving", -0.1}}, "min_saving", "must be in [0, 1]"},
      {"carbon_aware", {{"max_defer_s", -1}}, "max_defer_s", "parameter \"max_defer_s\" must be in"},
      {"carbon_aware", {{"slack", 101}}, "slack", "parameter \"slack\" must be in [0, 100]"},
      {"liquid_first", {{"dense_gpus", 0}}, "dense_gpus", "parameter \"dense_gpus\" must be in [1, "},
      {"liquid_first", {{"dense_cores", -1}}, "dense_cores", "parameter \"dense_cores\" must be in [0, "},
      // Not a number.
      {"carbon_aware",
       {{"min_saving", "high"}},
       "min_saving",
       "parameter \"min_saving\" must be a number in [0, 1]"},
      {"carbon_aware", {{"max_defer_s", true}}, "max_defer_s", "must be a number"},
      {"liquid_first", {{"dense_gpus", json::array({4})}}, "dense_gpus", "must be a number"},
      {"carbon_aware", {{"slack", nullptr}}, "slack", "must be a number"},
      {"carbon_aware", {{"slack", std::nan("")}}, "slack", "must be a number"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.policy + " " + row.params.dump());
    const auto e = policy_error(row.policy, row.params);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->field, row.field);
    EXPECT_NE(std::string(e->what()).find(row.message_part), std::string::npos) << e->what();
  }
}

TEST(PlacementRegistry, ParametersInRangeAreAccepted) {
  const std::vector<std::pair<std::string, json>> ok = {
      {"carbon_aware", {{"min_saving", 0}}},
      {"carbon_aware", {{"min_saving", 1}}},
      {"carbon_aware", {{"max_defer_s", 0}, {"slack", 100}}},
      {"carbon_aware", {{"max_defer_s", 3600.5}, {"min_saving", 0.2}, {"slack", 0}}},
      {"liquid_first", {{"dense_gpus", 1}, {"dense_cores", 0}}},
      {"liquid_first", {{"dense_gpus", 8}, {"dense_cores", 128}}},
  };
  for (const auto& [name, params] : ok) {
    SCOPED_TRACE(name + " " + params.dump());
    EXPECT_NO_THROW(policy::make_placement(name, params));
  }
}

// ---------------------------------------------------------------------------------------------------
// Helpers.

TEST(PlacementHelpers, WithinBudgetAndCandidate) {
  struct Row {
    double budget_rtt_s;
    double latency_ms;
    bool eligible;
    bool within;
    bool is_candidate;
  };
  const std::vector<Row> rows = {
      {0, 1000, true, true, true},     // no budget
      {-1, 1000, true, true, true},    // no budget
      {4 * kMs, 2, true, true, true},  // 4 ms round trip: at the budget
      {4 * kMs, 1.9, true, true, true}, {4 * kMs, 2.1, true, false, false},
      {4 * kMs, 1, false, true, false},  // ineligible
      {0, 1, false, true, false},
  };
  const Job job = cpu_job(1);
  for (const auto& row : rows) {
    SCOPED_TRACE("budget " + std::to_string(row.budget_rtt_s) + " latency_ms " +
                 std::to_string(row.latency_ms));
    SiteView s = S(row.latency_ms, 10);
    s.eligible = row.eligible;
    const std::vector<SiteView> sites = {s};
    const PlacementRequest r{job, 0, row.budget_rtt_s, sites, false, nullptr};
    EXPECT_EQ(policy::within_budget(r, s), row.within);
    EXPECT_EQ(policy::candidate(r, s), row.is_candidate);
  }
}

TEST(PlacementHelpers, FitsNow) {
  struct Row {
    SiteView site;
    Job job;
    bool fits;
  };
  const std::vector<Row> rows = {
      {S(1, 10), cpu_job(10), true},
      {S(1, 9), cpu_job(10), false},
      {S(1, 0).cores_off(100), cpu_job(1), false},  // off capacity is not free
      {S(1, 4).gpus(8, 2), gpu_job(2, 4), true},
      {S(1, 4).gpus(8, 1), gpu_job(2, 4), false},
      {S(1, 3).gpus(8, 8), gpu_job(2, 4), false},    // GPUs free but not the cores
      {S(1, 100).gpus(8, 0, 8), gpu_job(1), false},  // all GPUs off
  };
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_EQ(policy::fits_now(rows[i].site, rows[i].job), rows[i].fits) << "row " << i;
}

TEST(PlacementHelpers, SiteLoadAndUtilization) {
  struct Row {
    std::string name;
    SiteView site;
    Job job;
    double load;
    double utilization;
  };
  const std::vector<Row> rows = {
      {"idle", S(1, 100), cpu_job(10), 0.0, 0.0},
      {"busy_40", S(1, 60), cpu_job(10), 0.4, 0.4},
      {"queue_adds_demand_not_utilization", S(1, 60).queued(3), cpu_job(10), 0.7, 0.4},
      {"overloaded_queue", S(1, 0).queued(10), cpu_job(20), 3.0, 1.0},
      // 50 of 100 cores off, 20 free: 30 busy of 50 on.
      {"off_cores_neither_busy_nor_free", S(1, 20).cores_off(50), cpu_job(10), 0.6, 0.3},
      {"all_off", S(1, 0).cores_off(100), cpu_job(10), kInf, 0.0},
      {"no_capacity", S(1, 0, 0), cpu_job(10), kInf, 0.0},
      // GPU jobs: the GPUs bind, whatever the cores.
      {"gpu_job_counts_gpus", S(1, 0).gpus(8, 6), gpu_job(2), 0.25, 0.25},
      {"gpu_job_queue", S(1, 100).gpus(8, 6).queued(2), gpu_job(2), 0.75, 0.25},
      {"gpu_job_off_gpus", S(1, 100).gpus(8, 2, 4), gpu_job(1), 0.5, 0.25},
      {"gpu_job_all_gpus_off", S(1, 100).gpus(8, 0, 8), gpu_job(1), kInf, 0.0},
      // A site without GPUs: the cores bind.
      {"gpu_job_site_without_gpus", S(1, 75), gpu_job(2, 4), 0.25, 0.25},
      {"cpu_job_ignores_gpus", S(1, 50).gpus(8, 0), cpu_job(1), 0.5, 0.5},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_DOUBLE_EQ(policy::site_load(row.site, row.job), row.load);
    EXPECT_DOUBLE_EQ(policy::site_utilization(row.site, row.job), row.utilization);
  }
}

TEST(PlacementHelpers, BestCandidateTies) {
  const Job job = cpu_job(1);
  const auto sites = numbered({S(3, 10), S(2, 20), S(2, 30).ineligible(), S(2, 40), S(1, 50)});
  const PlacementRequest r{job, 0, 0, sites, false, nullptr};
  // All keys equal: the lowest latency (site 4).
  EXPECT_EQ(show(policy::best_candidate(r, [](const SiteView&) { return 1.0; })), "4");
  // Keys tie between sites 1 and 3 (same latency): the first.
  EXPECT_EQ(show(policy::best_candidate(
                r, [](const SiteView& s) { return s.site == 1 || s.site == 3 ? 0.0 : 1.0; })),
            "1");
  // Lowest key wins over latency; ineligible site 2 never.
  EXPECT_EQ(
      show(policy::best_candidate(r, [](const SiteView& s) { return static_cast<double>(s.cores_free); })),
      "0");
  EXPECT_EQ(
      show(policy::best_candidate(r, [](const SiteView& s) { return -static_cast<double>(s.cores_free); })),
      "4");
  EXPECT_EQ(show(policy::best_candidate(r, [](const SiteView& s) { return s.site == 2 ? -1.0 : 1.0; })), "4");
  const PlacementRequest none{job, 0, 0.5 * kMs, sites, false, nullptr};
  EXPECT_EQ(show(policy::best_candidate(none, [](const SiteView&) { return 0.0; })), "none");
}

// ---------------------------------------------------------------------------------------------------
// SitePool: allocation strategies and hosts taken offline.

using policy::Fit;
using policy::HostCapacity;
using policy::SitePool;

std::vector<std::size_t> hosts_of(const policy::Allocation& a) {
  std::vector<std::size_t> out;
  for (const auto& p : a.parts) out.push_back(p.host);
  return out;
}

TEST(SitePool, FirstFitVersusBestFit) {
  struct Row {
    std::string name;
    std::vector<HostCapacity> hosts;
    int cores;
    int gpus;
    std::size_t first;  ///< host chosen by Fit::kFirst
    std::size_t best;   ///< host chosen by Fit::kBest
  };
  const std::vector<Row> rows = {
      {"gpu_fewest_free_gpus_left", {{8, 4}, {8, 2}, {8, 4}}, 2, 2, 0, 1},
      {"gpu_tie_on_gpus_fewest_cores", {{16, 2}, {8, 2}, {4, 4}}, 1, 2, 0, 1},
      {"gpu_gpus_before_cores", {{4, 4}, {32, 2}}, 2, 2, 0, 1},
      {"gpu_exact_fit", {{8, 4}, {2, 2}, {1, 2}, {2, 2}}, 2, 2, 0, 1},
      {"gpu_only_one_fits", {{8, 1}, {8, 1}, {8, 4}}, 2, 2, 2, 2},
      {"cpu_fewest_cores_left", {{8, 0}, {6, 0}, {16, 0}}, 5, 0, 0, 1},
      {"cpu_exact_fit", {{8, 0}, {6, 0}, {4, 0}, {5, 0}}, 4, 0, 0, 2},
      {"cpu_prefers_cpu_only_host", {{8, 2}, {8, 0}}, 4, 0, 0, 1},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    SitePool first(row.hosts, Fit::kFirst);
    SitePool best(row.hosts, Fit::kBest);
    const auto a = first.allocate(row.cores, row.gpus);
    const auto b = best.allocate(row.cores, row.gpus);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(hosts_of(*a), std::vector<std::size_t>{row.first});
    EXPECT_EQ(hosts_of(*b), std::vector<std::size_t>{row.best});
    EXPECT_EQ(b->parts[0].cores, row.cores);
    EXPECT_EQ(b->parts[0].gpus, row.gpus);
  }
}

TEST(SitePool, BestFitFollowsWhatIsFreeNow) {
  SitePool pool({{8, 4}, {8, 4}, {8, 4}}, Fit::kBest);
  const auto a = pool.allocate(2, 2);  // host 0 (all equal: the first)
  ASSERT_TRUE(a);
  EXPECT_EQ(hosts_of(*a), std::vector<std::size_t>{0});
  const auto b = pool.allocate(2, 1);  // host 0: 2 GPUs free, fewer than 4
  ASSERT_TRUE(b);
  EXPECT_EQ(hosts_of(*b), std::vector<std::size_t>{0});
  const auto c = pool.allocate(1, 2);  // host 0 has 1 GPU: host 1
  ASSERT_TRUE(c);
  EXPECT_EQ(hosts_of(*c), std::vector<std::size_t>{1});
  pool.release(*c);
  pool.release(*b);
  const auto d = pool.allocate(1, 2);  // host 0 now has exactly 2 free GPUs
  ASSERT_TRUE(d);
  EXPECT_EQ(hosts_of(*d), std::vector<std::size_t>{0});
}

TEST(SitePool, GpuJobsNeverSpanHostsCpuJobsDo) {
  for (const Fit fit : {Fit::kFirst, Fit::kBest}) {
    SCOPED_TRACE(fit == Fit::kFirst ? "first" : "best");
    SitePool gpus({{8, 2}, {8, 2}}, fit);
    EXPECT_FALSE(gpus.allocate(2, 4)) << "4 GPUs free in total but not on one host";
    EXPECT_EQ(gpus.gpus_free(), 4);
    SitePool cpus({{4, 0}, {4, 0}, {4, 0}}, fit);
    const auto a = cpus.allocate(10, 0);
    ASSERT_TRUE(a);
    ASSERT_EQ(a->parts.size(), 3u);
    EXPECT_EQ(hosts_of(*a), (std::vector<std::size_t>{0, 1, 2}));
    EXPECT_EQ(a->parts[0].cores + a->parts[1].cores + a->parts[2].cores, 10);
    EXPECT_EQ(a->parts[2].cores, 2);
    EXPECT_EQ(cpus.cores_free(), 2);
    EXPECT_FALSE(cpus.allocate(3, 0));
  }
}

TEST(SitePool, GpuThreadsFollowGpuShare) {
  SitePool pool({{8, 4}, {2, 4}});
  const auto a = pool.allocate(1, 2);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->parts[0].threads, 4);  // 8 cores x 2 / 4
  const auto b = pool.allocate(1, 1);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->parts[0].host, 0u);
  EXPECT_EQ(b->parts[0].threads, 2);
  SitePool small({{2, 4}});
  const auto c = small.allocate(1, 1);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->parts[0].threads, 1);  // floor(2 x 1 / 4) = 0: at least 1
}

TEST(SitePool, OfflineHostsHoldNothingAndComeBack) {
  for (const Fit fit : {Fit::kFirst, Fit::kBest}) {
    SCOPED_TRACE(fit == Fit::kFirst ? "first" : "best");
    SitePool pool({{4, 2}, {4, 2}, {8, 0}}, fit);
    pool.set_online(0, false);
    EXPECT_FALSE(pool.online(0));
    EXPECT_FALSE(pool.idle(0));
    EXPECT_EQ(pool.cores_off(), 4);
    EXPECT_EQ(pool.gpus_off(), 2);
    EXPECT_EQ(pool.cores_free(), 12);
    EXPECT_EQ(pool.gpus_free(), 2);
    EXPECT_EQ(pool.cores_total(), 16);  // the total is unchanged
    EXPECT_EQ(pool.gpus_total(), 4);
    EXPECT_EQ(pool.free(0).cores, 0);
    // Never allocated on the offline host.
    const auto a = pool.allocate(1, 1);
    ASSERT_TRUE(a);
    EXPECT_EQ(hosts_of(*a), std::vector<std::size_t>{1});
    EXPECT_FALSE(pool.allocate(1, 2)) << "host 1 has 1 GPU left, host 0 is off";
    const auto b = pool.allocate(11, 0);  // spans hosts 1 and 2 only
    ASSERT_TRUE(b);
    for (const auto& p : b->parts) EXPECT_NE(p.host, 0u);
    EXPECT_FALSE(pool.allocate(1, 0));
    EXPECT_EQ(pool.cores_free(), 0);
    // Back online: its capacity is free again and used.
    pool.set_online(0, true);
    EXPECT_TRUE(pool.idle(0));
    EXPECT_EQ(pool.cores_off(), 0);
    EXPECT_EQ(pool.gpus_off(), 0);
    EXPECT_EQ(pool.cores_free(), 4);
    EXPECT_EQ(pool.gpus_free(), 3);
    const auto c = pool.allocate(2, 2);
    ASSERT_TRUE(c);
    EXPECT_EQ(hosts_of(*c), std::vector<std::size_t>{0});
  }
}

TEST(SitePool, OnlyIdleHostsGoOffline) {
  SitePool pool({{4, 0}, {4, 0}});
  const auto a = pool.allocate(1, 0);  // host 0
  ASSERT_TRUE(a);
  EXPECT_THROW(pool.set_online(0, false), std::logic_error);
  EXPECT_TRUE(pool.online(0));
  EXPECT_EQ(pool.cores_off(), 0);
  EXPECT_EQ(pool.cores_free(), 7);
  EXPECT_THROW(pool.set_online(1, true), std::logic_error) << "already on";
  pool.set_online(1, false);
  EXPECT_THROW(pool.set_online(1, false), std::logic_error) << "already off";
  pool.release(*a);
  EXPECT_NO_THROW(pool.set_online(0, false));
  EXPECT_EQ(pool.cores_off(), 8);
  EXPECT_EQ(pool.cores_free(), 0);
  EXPECT_FALSE(pool.allocate(1, 0));
  EXPECT_TRUE(pool.could_fit(8, 0)) << "could_fit is about the empty site, on or off";
}

TEST(SitePool, AllocateAndReleaseBalance) {
  for (const Fit fit : {Fit::kFirst, Fit::kBest}) {
    SCOPED_TRACE(fit == Fit::kFirst ? "first" : "best");
    SitePool pool({{8, 2}, {4, 0}, {16, 4}, {4, 1}}, fit);
    const std::int64_t cores = pool.cores_total(), gpus = pool.gpus_total();
    ASSERT_EQ(cores, 32);
    ASSERT_EQ(gpus, 7);
    // A fixed sequence of requests; every third allocation is released at once.
    const std::vector<std::pair<int, int>> requests = {{3, 0}, {2, 1}, {5, 0}, {1, 2}, {7, 0}, {4, 1},
                                                       {2, 0}, {1, 1}, {6, 0}, {2, 2}, {3, 0}, {1, 0}};
    std::vector<policy::Allocation> held;
    std::int64_t used_cores = 0, used_gpus = 0;
    int step = 0;
    for (const auto& [c, g] : requests) {
      auto a = pool.allocate(c, g);
      if (!a) continue;
      int got_cores = 0, got_gpus = 0;
      for (const auto& p : a->parts) {
        got_cores += p.cores;
        got_gpus += p.gpus;
        EXPECT_LE(pool.free(p.host).cores, pool.capacity(p.host).cores);
        EXPECT_GE(pool.free(p.host).cores, 0);
        EXPECT_GE(pool.free(p.host).gpus, 0);
      }
      EXPECT_EQ(got_cores, c);
      EXPECT_EQ(got_gpus, g);
      if (++step % 3 == 0) {
        pool.release(*a);
      } else {
        used_cores += c;
        used_gpus += g;
        held.push_back(*a);
      }
      EXPECT_EQ(pool.cores_free() + used_cores, cores);
      EXPECT_EQ(pool.gpus_free() + used_gpus, gpus);
    }
    EXPECT_GT(held.size(), 4u);
    for (const auto& a : held) pool.release(a);
    EXPECT_EQ(pool.cores_free(), cores);
    EXPECT_EQ(pool.gpus_free(), gpus);
    for (std::size_t h = 0; h < pool.host_count(); ++h) EXPECT_TRUE(pool.idle(h)) << "host " << h;
    // Releasing twice is refused.
    const auto again = pool.allocate(1, 0);
    ASSERT_TRUE(again);
    pool.release(*again);
    EXPECT_THROW(pool.release(*again), std::logic_error);
  }
}

// ---------------------------------------------------------------------------------------------------
// Power decisions.

using policy::HostPower;

TEST(PowerDecisions, ReserveHostsRoundsUp) {
  struct Row {
    double fraction;
    std::size_t hosts;
    std::size_t reserve;
  };
  const std::vector<Row> rows = {{0, 10, 0},   {0.1, 10, 1}, {0.15, 10, 2}, {0.1, 5, 1},
                                 {0.25, 4, 1}, {0.3, 10, 3}, {0.7, 10, 7},  {1, 7, 7},
                                 {0.1, 0, 0},  {0.01, 1, 1}, {0.5, 3, 2},   {0.2, 100, 20}};
  for (const auto& row : rows)
    EXPECT_EQ(policy::reserve_hosts(row.fraction, row.hosts), row.reserve)
        << row.fraction << " x " << row.hosts;
}

/// A pool whose hosts are offline unless `state` says kOn (as the engine keeps them).
SitePool pool_in_state(const std::vector<HostCapacity>& hosts, const std::vector<HostPower>& state) {
  SitePool pool(hosts);
  for (std::size_t h = 0; h < hosts.size(); ++h)
    if (state[h] != HostPower::kOn) pool.set_online(h, false);
  return pool;
}

TEST(PowerDecisions, HostsToBootForGpuJobs) {
  constexpr auto On = HostPower::kOn, Off = HostPower::kOff, Booting = HostPower::kBooting,
                 Down = HostPower::kShuttingDown;
  struct Row {
    std::string name;
    std::vector<HostCapacity> hosts;
    std::vector<HostPower> state;
    std::vector<std::pair<int, int>> busy;  ///< allocations made first (cores, gpus), on hosts that are on
    int cores, gpus;
    std::vector<std::size_t> boot;
  };
  const std::vector<Row> rows = {
      {"an_on_host_fits", {{8, 4}, {8, 4}}, {On, Off}, {}, 2, 2, {}},
      {"on_host_busy_boot_first_off", {{8, 4}, {8, 4}, {8, 4}}, {On, Off, Off}, {{1, 3}}, 2, 2, {1}},
      {"suitable_host_booting", {{8, 4}, {8, 4}, {8, 4}}, {On, Booting, Off}, {{1, 3}}, 2, 2, {}},
      {"booting_host_too_small", {{8, 4}, {8, 1}, {8, 4}}, {On, Booting, Off}, {{1, 3}}, 2, 2, {2}},
      {"lowest_index_off_host_that_fits",
       {{8, 4}, {8, 2}, {8, 4}, {8, 8}},
       {On, Off, Off, Off},
       {{1, 4}},
       1,
       4,
       {2}},
      {"off_host_with_too_few_cores_skipped", {{8, 4}, {1, 4}, {8, 4}}, {On, Off, Off}, {{1, 4}}, 2, 1, {2}},
      {"shutting_down_is_neither_boot_nor_room",
       {{8, 4}, {8, 4}, {8, 4}},
       {On, Down, Off},
       {{1, 4}},
       1,
       1,
       {2}},
      {"only_shutting_down_hosts_wait", {{8, 4}, {8, 4}}, {On, Down}, {{1, 4}}, 1, 1, {}},
      {"no_host_can_ever_hold_it", {{8, 4}, {8, 4}}, {On, Off}, {}, 1, 8, {}},
      {"all_off", {{8, 4}, {8, 4}}, {Off, Off}, {}, 1, 2, {0}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    auto pool = pool_in_state(row.hosts, row.state);
    for (const auto& [c, g] : row.busy) ASSERT_TRUE(pool.allocate(c, g));
    EXPECT_EQ(policy::hosts_to_boot(pool, row.state, row.cores, row.gpus), row.boot);
  }
}

TEST(PowerDecisions, HostsToBootForCpuJobs) {
  constexpr auto On = HostPower::kOn, Off = HostPower::kOff, Booting = HostPower::kBooting,
                 Down = HostPower::kShuttingDown;
  struct Row {
    std::string name;
    std::vector<HostPower> state;  ///< of four hosts of 4 cores, plus allocations below
    int busy_cores;                ///< allocated first on the hosts that are on
    int cores;
    std::vector<std::size_t> boot;
  };
  const std::vector<Row> rows = {
      {"free_suffices", {On, On, Off, Off}, 2, 6, {}},
      {"lowest_index_until_covered", {On, Off, Off, Off}, 0, 10, {1, 2}},
      {"exactly_covered", {On, Off, Off, Off}, 0, 8, {1}},
      {"busy_cores_are_not_free", {On, Off, Off, Off}, 3, 4, {1}},
      {"booting_capacity_counts", {On, Booting, Off, Off}, 0, 10, {2}},
      {"booting_covers_it", {On, Booting, Booting, Off}, 0, 12, {}},
      {"shutting_down_skipped", {On, Down, Off, Off}, 0, 10, {2, 3}},
      {"falls_short_while_shutting_down", {On, Down, Down, Off}, 0, 16, {3}},
      {"all_off", {Off, Off, Off, Off}, 0, 5, {0, 1}},
      {"more_than_the_pool_boots_all_off", {On, Off, Off, Off}, 0, 100, {1, 2, 3}},
  };
  const std::vector<HostCapacity> hosts = {{4, 0}, {4, 0}, {4, 0}, {4, 0}};
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    auto pool = pool_in_state(hosts, row.state);
    if (row.busy_cores > 0) {
      ASSERT_TRUE(pool.allocate(row.busy_cores, 0));
    }
    EXPECT_EQ(policy::hosts_to_boot(pool, row.state, row.cores, 0), row.boot);
  }
  // Hosts of different sizes: the lowest-index ones, not the biggest.
  const std::vector<HostCapacity> mixed = {{4, 0}, {2, 0}, {16, 0}, {2, 0}};
  const std::vector<HostPower> state = {On, Off, Off, Off};
  auto pool = pool_in_state(mixed, state);
  EXPECT_EQ(policy::hosts_to_boot(pool, state, 8, 0), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(policy::hosts_to_boot(pool, state, 6, 0), (std::vector<std::size_t>{1}));
}

TEST(PowerDecisions, SlowestPstateMeetingTheDeadline) {
  struct Row {
    std::vector<double> speeds;
    double runtime_s, now_s, deadline_s;
    std::size_t pstate;
  };
  const std::vector<double> speeds = {2e9, 1e9, 0.5e9};  // x1, x2, x4 the run time
  const std::vector<Row> rows = {
      {speeds, 100, 0, kInf, 0},         {speeds, 100, 0, 99, 0},  // too late anyway: fastest
      {speeds, 100, 0, 100, 0},          {speeds, 100, 0, 199, 0},  {speeds, 100, 0, 200, 1},
      {speeds, 100, 0, 399, 1},          {speeds, 100, 0, 400, 2},  {speeds, 100, 0, 1e9, 2},
      {speeds, 100, 50, 449, 1},         {speeds, 100, 50, 450, 2}, {speeds, 100, 1000, 400, 0},
      {{2e9}, 100, 0, 1e9, 0},           {{}, 100, 0, 1e9, 0},      {{2e9, 0}, 100, 0, 1e9, 0},
      {{2e9, 1.5e9, 1e9}, 30, 0, 45, 1},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    EXPECT_EQ(policy::slowest_pstate_meeting(r.speeds, r.runtime_s, r.now_s, r.deadline_s), r.pstate)
        << "row " << i << ": run " << r.runtime_s << " now " << r.now_s << " deadline " << r.deadline_s;
  }
}

// ---------------------------------------------------------------------------------------------------
// Scenario edits (--set POINTER=VALUE).

TEST(ScenarioEditParse, PointerAndJsonOrStringValue) {
  struct Row {
    std::string text;
    std::string pointer;
    json value;
  };
  const std::vector<Row> rows = {
      {"/scheduling/queue=easy", "/scheduling/queue", "easy"},
      {"/scheduling/backfill_window=10", "/scheduling/backfill_window", 10},
      {"/scheduling/power/reserve_fraction=0.25", "/scheduling/power/reserve_fraction", 0.25},
      {"/x=1e3", "/x", 1000.0},
      {"/x=true", "/x", true},
      {"/x=null", "/x", nullptr},
      {"/x=\"easy\"", "/x", "easy"},
      {"/x=\"42\"", "/x", "42"},
      {"/x=[1,2]", "/x", json::array({1, 2})},
      {"/workload/classes/*/placement={\"policy\":\"carbon_aware\",\"max_defer_s\":3600}",
       "/workload/classes/*/placement", json{{"policy", "carbon_aware"}, {"max_defer_s", 3600}}},
      {"/x=", "/x", ""},
      {"/x=a=b", "/x", "a=b"},
      {"/x={not json", "/x", "{not json"},
      {"/x= 7 ", "/x", 7},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text);
    const auto e = model::parse_scenario_edit(row.text, "--set");
    EXPECT_EQ(e.pointer, row.pointer);
    EXPECT_EQ(e.value, row.value);
  }
}

TEST(ScenarioEditParse, MalformedIsOneLineErrorNamingTheOption) {
  for (const std::string text : {"scheduling/queue=easy", "/scheduling/queue", "", "=easy", "queue"}) {
    SCOPED_TRACE(text);
    try {
      model::parse_scenario_edit(text, "--set");
      FAIL() << "expected a UserError";
    } catch (const model::UserError& e) {
      EXPECT_EQ(e.file(), "--set");
      EXPECT_EQ(e.location(), text);
      EXPECT_NE(e.message().find("POINTER=VALUE"), std::string::npos) << e.message();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

json edit_doc() {
  return json::parse(R"({
    "name": "x",
    "scheduling": {"queue": "fcfs", "power": {"idle_off_s": 0}},
    "workload": {"classes": [{"name": "a", "cores": 1}, {"name": "b", "cores": 2}, {"name": "c", "cores": 3}]}
  })");
}

/// Applies "POINTER=VALUE" edits to edit_doc().
json edited(const std::vector<std::string>& texts) {
  std::vector<model::ScenarioEdit> edits;
  for (const auto& t : texts) edits.push_back(model::parse_scenario_edit(t, "--set"));
  json doc = edit_doc();
  model::apply_scenario_edits(doc, edits, "--set");
  return doc;
}

TEST(ScenarioEditApply, SetsCreatesAndFansOut) {
  struct Row {
    std::vector<std::string> edits;
    std::string pointer;  ///< where to look afterwards
    json expected;
  };
  const std::vector<Row> rows = {
      {{"/scheduling/power/idle_off_s=600"}, "/scheduling/power", json{{"idle_off_s", 600}}},
      {{"/scheduling/queue=easy"}, "/scheduling", json{{"queue", "easy"}, {"power", {{"idle_off_s", 0}}}}},
      {{"/scheduling/dvfs=deadline"}, "/scheduling/dvfs", "deadline"},
      {{"/energy/grid/carbon_kg_per_kwh=0.5"}, "/energy", json{{"grid", {{"carbon_kg_per_kwh", 0.5}}}}},
      {{"/workload/classes/1/cores=8"},
       "/workload/classes",
       json::parse(R"([{"name": "a", "cores": 1}, {"name": "b", "cores": 8}, {"name": "c", "cores": 3}])")},
      {{"/workload/classes/*/placement=random"},
       "/workload/classes",
       json::parse(
           R"([{"name": "a", "cores": 1, "placement": "random"}, {"name": "b", "cores": 2, "placement": "random"},
                       {"name": "c", "cores": 3, "placement": "random"}])")},
      {{"/workload/classes/*/arrivals/rate_per_s=2"},
       "/workload/classes/2/arrivals",
       json{{"rate_per_s", 2}}},
      {{"/workload/classes/*/cores=4", "/workload/classes/0/cores=9"}, "/workload/classes/0/cores", 9},
      {{"/scheduling/queue=easy", "/scheduling/queue=conservative"}, "/scheduling/queue", "conservative"},
      {{"/scheduling/power=5", "/scheduling/power={\"reserve_fraction\":0.5}"},
       "/scheduling/power",
       json{{"reserve_fraction", 0.5}}},
      {{"/a~1b=1"}, "/a~1b", 1},  // RFC 6901 escape: the key "a/b"
      {{"/name={\"first\":1}"}, "/name/first", 1},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.edits.front());
    const auto doc = edited(row.edits);
    EXPECT_EQ(doc.at(json::json_pointer(row.pointer)), row.expected);
  }
  // Keys not edited are left alone.
  EXPECT_EQ(edited({"/a~1b=1"}).at("a/b"), 1);
  auto doc = edited({"/workload/classes/*/placement=random"});
  doc["workload"]["classes"][0].erase("placement");
  doc["workload"]["classes"][1].erase("placement");
  doc["workload"]["classes"][2].erase("placement");
  EXPECT_EQ(doc, edit_doc());
}

TEST(ScenarioEditApply, DashAppendsToAnArray) {
  json doc = edit_doc();
  const auto n = doc["workload"]["classes"].size();
  model::apply_scenario_edits(
      doc, std::vector<model::ScenarioEdit>{{"/workload/classes/-", json{{"name", "new"}}}}, "--set");
  ASSERT_EQ(doc["workload"]["classes"].size(), n + 1);
  EXPECT_EQ(doc["workload"]["classes"].back()["name"], "new");
}

TEST(ScenarioEditApply, EditsThatCannotApplyAreUserErrors) {
  struct Row {
    std::string pointer;
    std::string message_part;
  };
  const std::vector<Row> rows = {
      {"/workload/classes/3/cores", "no element \"3\" in an array of 3"},
      {"/workload/classes/-/cores", "no element \"-\" in an array of 3"},
      {"/workload/classes/first/cores", "no element \"first\""},
      {"/name/first", "cannot go into \"first\": a string \"x\""},
      {"/scheduling/queue/x", "cannot go into \"x\""},
      {"/workload/classes/0/cores/x", "cannot go into \"x\": 1"},
      {"/scheduling/*/x", "\"*\" stands for every element of an array"},
      {"", "cannot replace the whole scenario"},
      {"scheduling", "not a valid JSON pointer"},
      {"/a~2", "not a valid JSON pointer"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.pointer);
    json doc = edit_doc();
    try {
      model::apply_scenario_edits(doc, std::vector<model::ScenarioEdit>{{row.pointer, json(7)}}, "--set");
      FAIL() << "expected a UserError";
    } catch (const model::UserError& e) {
      EXPECT_EQ(e.file(), "--set");
      EXPECT_EQ(e.location(), row.pointer);
      EXPECT_NE(e.message().find(row.message_part), std::string::npos) << e.message();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Scheduling and placement settings through the scenario reader: round trip and validation.

/// minimal_doc() with one deferrable carbon_aware training class and a scheduling section.
json scheduling_doc() {
  auto doc = suanli::test::minimal_doc();
  doc["workload"] = json::parse(R"({"classes": [
    {"name": "train", "kind": "ai_training", "cores": 4, "deadline_factor": 3,
     "placement": {"policy": "carbon_aware", "max_defer_s": 3600}, "deferrable": true,
     "arrivals": {"process": "poisson", "rate_per_s": 0.001}},
    {"name": "batch", "kind": "hpc_batch", "cores": 8, "placement": "consolidate",
     "arrivals": {"process": "poisson", "rate_per_s": 0.01}}
  ]})");
  doc["scheduling"] = json::parse(R"({"queue": "easy", "backfill_window": 10, "allocation": "best_fit",
    "power": {"idle_off_s": 600, "reserve_fraction": 0.1}, "dvfs": "deadline", "after_repair": "stay"})");
  return doc;
}

void expect_scheduling_settings(const model::Scenario& s) {
  EXPECT_EQ(s.scheduling.queue, model::QueueDiscipline::kEasy);
  EXPECT_EQ(s.scheduling.backfill_window, 10);
  EXPECT_EQ(s.scheduling.allocation, model::AllocationStrategy::kBestFit);
  EXPECT_DOUBLE_EQ(s.scheduling.power.idle_off_s, 600);
  EXPECT_DOUBLE_EQ(s.scheduling.power.reserve_fraction, 0.1);
  EXPECT_EQ(s.scheduling.dvfs, model::DvfsMode::kDeadline);
  EXPECT_EQ(s.scheduling.after_repair, model::AfterRepair::kStay);
  ASSERT_EQ(s.workload.classes.size(), 2u);
  const auto& train = s.workload.classes[0];
  EXPECT_EQ(train.placement, "carbon_aware");
  EXPECT_EQ(train.placement_params, json({{"max_defer_s", 3600}}));
  EXPECT_TRUE(train.deferrable);
  EXPECT_DOUBLE_EQ(train.deadline_factor, 3);
  const auto& batch = s.workload.classes[1];
  EXPECT_EQ(batch.placement, "consolidate");
  EXPECT_TRUE(batch.placement_params.empty());
  EXPECT_FALSE(batch.deferrable);
}

TEST(SchedulingScenario, DefaultsWithoutSchedulingSection) {
  auto doc = scheduling_doc();
  doc.erase("scheduling");
  const auto s = suanli::test::scenario_from(doc);
  EXPECT_EQ(s.scheduling.queue, model::QueueDiscipline::kFcfs);
  EXPECT_EQ(s.scheduling.backfill_window, 256);
  EXPECT_EQ(s.scheduling.allocation, model::AllocationStrategy::kFirstFit);
  EXPECT_DOUBLE_EQ(s.scheduling.power.idle_off_s, 0);
  EXPECT_DOUBLE_EQ(s.scheduling.power.reserve_fraction, 0);
  EXPECT_EQ(s.scheduling.dvfs, model::DvfsMode::kMax);
  EXPECT_EQ(s.scheduling.after_repair, model::AfterRepair::kReturn);
}

TEST(SchedulingScenario, ReadIntoTheModelAndRoundTrips) {
  const auto s = suanli::test::scenario_from(scheduling_doc());
  expect_scheduling_settings(s);
  const auto written = model::scenario_to_json(s);
  EXPECT_EQ(written.at("workload").at("classes").at(0).at("placement"),
            json({{"policy", "carbon_aware"}, {"max_defer_s", 3600}}));
  EXPECT_EQ(written.at("workload").at("classes").at(1).at("placement"), "consolidate");
  const auto again = model::scenario_from_json(written, "test.json", false, nullptr);
  EXPECT_TRUE(suanli::load::validate(again).empty());
  expect_scheduling_settings(again);
  EXPECT_EQ(model::scenario_to_json(again), written);
}

TEST(SchedulingScenario, EditsReachTheModel) {
  auto doc = scheduling_doc();
  model::apply_scenario_edits(doc,
                              {model::parse_scenario_edit("/scheduling/queue=conservative", "--set"),
                               model::parse_scenario_edit("/workload/classes/*/placement=random", "--set"),
                               model::parse_scenario_edit("/scheduling/power/reserve_fraction=0.5", "--set")},
                              "--set");
  const auto s = suanli::test::scenario_from(doc);
  EXPECT_EQ(s.scheduling.queue, model::QueueDiscipline::kConservative);
  EXPECT_DOUBLE_EQ(s.scheduling.power.reserve_fraction, 0.5);
  for (const auto& c : s.workload.classes) {
    EXPECT_EQ(c.placement, "random");
    EXPECT_TRUE(c.placement_params.empty());
  }
}

/// Every error (file: pointer: message) of reading + validating `doc`.
std::vector<model::UserError> errors_of(const json& doc) {
  try {
    suanli::test::scenario_from(doc);
  } catch (const model::UserErrors& e) {
    return e.errors();
  } catch (const model::UserError& e) {
    return {e};
  }
  return {};
}

TEST(SchedulingScenario, ValidationNamesThePointer) {
  struct Row {
    std::string name;
    std::string edit;      ///< POINTER=VALUE applied to scheduling_doc()
    std::string location;  ///< of the one error expected
    std::string message_part;
  };
  const std::vector<Row> rows = {
      {"unknown_policy_name", "/workload/classes/1/placement=fastest", "/workload/classes/1/placement",
       "unknown placement policy \"fastest\" (valid: " + valid_policy_list() + ")"},
      {"unknown_policy_name_in_object", "/workload/classes/1/placement={\"policy\":\"fastest\"}",
       "/workload/classes/1/placement", "unknown placement policy \"fastest\""},
      {"unknown_policy_name_with_parameters", "/workload/classes/0/placement/policy=greenest",
       "/workload/classes/0/placement/policy", "unknown placement policy \"greenest\""},
      {"unknown_policy_parameter", "/workload/classes/0/placement/max_wait_s=5",
       "/workload/classes/0/placement/max_wait_s",
       "unknown parameter \"max_wait_s\" of placement policy \"carbon_aware\" (valid: max_defer_s, "
       "min_saving, slack)"},
      {"policy_parameter_out_of_range", "/workload/classes/0/placement/min_saving=2",
       "/workload/classes/0/placement/min_saving", "parameter \"min_saving\" must be in [0, 1]"},
      {"policy_parameter_not_a_number", "/workload/classes/0/placement/slack=lots",
       "/workload/classes/0/placement/slack", "must be a number"},
      {"deferrable_hpc_batch", "/workload/classes/1/deferrable=true", "/workload/classes/1/deferrable",
       "only ai_training classes with a deadline_factor > 0 can be deferred"},
      {"deferrable_training_without_deadline", "/workload/classes/0/deadline_factor=0",
       "/workload/classes/0/deferrable",
       "only ai_training classes with a deadline_factor > 0 can be deferred"},
      {"backfill_window_0", "/scheduling/backfill_window=0", "/scheduling/backfill_window",
       "expected an integer in [1, 1000000], got 0"},
      {"backfill_window_too_large", "/scheduling/backfill_window=1000001", "/scheduling/backfill_window",
       "expected an integer in [1, 1000000], got 1000001"},
      {"reserve_fraction_1_5", "/scheduling/power/reserve_fraction=1.5", "/scheduling/power/reserve_fraction",
       "expected a number in [0, 1], got 1.5"},
      {"reserve_fraction_negative", "/scheduling/power/reserve_fraction=-0.1",
       "/scheduling/power/reserve_fraction", "expected a number in [0, 1], got -0.1"},
      {"idle_off_negative", "/scheduling/power/idle_off_s=-1", "/scheduling/power/idle_off_s",
       "expected a number >= 0, got -1"},
      {"unknown_queue", "/scheduling/queue=sjf", "/scheduling/queue",
       "unknown queue discipline \"sjf\" (valid: fcfs, easy, conservative"},
      {"empty_queue", "/scheduling/queue=\"\"", "/scheduling/queue", "expected a queue discipline's name"},
      {"queue_not_a_string", "/scheduling/queue=3", "/scheduling/queue", "string"},
      {"unknown_allocation", "/scheduling/allocation=worst_fit", "/scheduling/allocation",
       "expected one of first_fit, best_fit"},
      {"unknown_scheduling_field", "/scheduling/preemption=true", "/scheduling/preemption", "unknown field"},
      {"placement_object_without_policy", "/workload/classes/0/placement={\"max_defer_s\":1}",
       "/workload/classes/0/placement/policy", "required string field is missing"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    auto doc = scheduling_doc();
    model::apply_scenario_edits(doc, {model::parse_scenario_edit(row.edit, "--set")}, "--set");
    const auto errors = errors_of(doc);
    ASSERT_EQ(errors.size(), 1u) << (errors.empty() ? "no error" : errors.front().what());
    EXPECT_EQ(errors[0].file(), "test.json");
    EXPECT_EQ(errors[0].location(), row.location) << errors[0].what();
    EXPECT_NE(errors[0].message().find(row.message_part), std::string::npos) << errors[0].what();
  }
}

TEST(SchedulingScenario, ValidDocumentHasNoErrors) { EXPECT_TRUE(errors_of(scheduling_doc()).empty()); }

}  // namespace
