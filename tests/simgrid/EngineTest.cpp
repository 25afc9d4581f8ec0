// The engine against closed forms and a real log: M/M/c waiting time (Erlang C), the energy of one
// job on an idle host, and a FIFO replay of the KTH-SP2 SWF log. One SimGrid engine per process.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "TempDir.hpp"
#include "TestScenarios.hpp"
#include "engine/Simulation.hpp"
#include "load/Load.hpp"
#include "metrics/Statistics.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Validate.hpp"
#include "workload/SwfReader.hpp"

namespace model = suanli::model;
using nlohmann::json;

namespace {

/// One city, one site with `servers` servers of `cores` cores each (speed 1e9 flops per core,
/// idle 100 W, max 300 W), and the given workload classes.
json one_site_doc(int servers, int cores, int servers_per_rack, const std::string& granularity, json classes,
                  double horizon_s) {
  return {{"format_version", 1},
          {"name", "one-site"},
          {"seed", 7},
          {"horizon_s", horizon_s},
          {"outputs", {{"sampling_interval_s", 3600}}},
          {"platform", {{"host_granularity", granularity}}},
          {"cities", {{{"name", "c"}, {"lat_deg", 26.0}, {"lon_deg", 119.0}, {"role", "central"}}}},
          {"node_types",
           {{{"name", "n"},
             {"cores", cores},
             {"pstates", {{{"core_speed_flops", 1e9}, {"idle_w", 100}, {"max_w", 300}}}},
             {"servers_per_rack", servers_per_rack}}}},
          {"sites",
           {{{"name", "s"},
             {"kind", "core_cluster"},
             {"city", "c"},
             {"lat_deg", 26.0},
             {"lon_deg", 119.0},
             {"racks", 10000},
             {"nodes", {{{"type", "n"}, {"count", servers}}}}}}},
          {"workload", {{"classes", classes}}}};
}

model::Scenario scenario_from(const json& doc, const std::string& file) {
  auto s = model::scenario_from_json(doc, file, false, nullptr);
  auto errors = suanli::load::validate(s);
  if (!errors.empty()) throw model::UserErrors(std::move(errors));
  return s;
}

using suanli::test::TempDir;

/// Runs the scenario with its outputs in the folder's "out" subfolder.
json run(const model::Scenario& s, const TempDir& scratch,
         suanli::engine::ExecutorKind executor = suanli::engine::ExecutorKind::kExact) {
  suanli::engine::RunOptions o;
  o.output_dir = (scratch.path() / "out").string();
  o.executor = executor;
  return suanli::engine::run_simulation(s, o);
}

/// M/M/c: Poisson arrivals at rho * c * mu, exponential service of mean 1/mu, c single-core servers
/// in one host, FCFS. Compares the mean wait with Erlang C.
void check_mmc(int c, double rho, double horizon_s) {
  const double mu = 1.0;
  const double lambda = rho * c * mu;
  json cls = {{{"name", "mmc"},
               {"kind", "hpc_batch"},
               {"arrivals", {{"process", "poisson"}, {"rate_per_s", lambda}}},
               {"service_s", 1.0 / mu},
               {"cores", 1}}};
  const auto s = scenario_from(one_site_doc(c, 1, c, "rack", cls, horizon_s), "mmc.json");
  const TempDir scratch("engine-mmc");
  const auto summary = run(s, scratch);
  const auto& k = summary["classes"][0];
  const double measured = k["wait_s"]["mean"].get<double>();
  const double expected = suanli::metrics::mmc_mean_wait_s(c, lambda, mu);
  testing::Test::RecordProperty("measured_wait_s", std::to_string(measured));
  testing::Test::RecordProperty("erlang_c_wait_s", std::to_string(expected));
  EXPECT_NEAR(measured, expected, 0.03 * expected)
      << "c=" << c << " rho=" << rho << " jobs=" << k["completed"];
  EXPECT_GT(k["completed"].get<std::uint64_t>(), static_cast<std::uint64_t>(0.99 * lambda * horizon_s));
}

}  // namespace

TEST(Engine, MMcTenServersAtRho08MatchesErlangC) { check_mmc(10, 0.8, 200000); }

TEST(Engine, MMcFourServersAtRho07MatchesErlangC) { check_mmc(4, 0.7, 400000); }

/// Both executors: the exact one (default) and SimGrid execs under the host energy plugin.
void one_job_on_an_idle_host(suanli::engine::ExecutorKind executor) {
  // One 8-core server (idle 100 W, max 300 W); one job on 2 cores for 100 s, replayed from SWF.
  const TempDir scratch("engine-one-job");
  const auto swf = scratch.path() / "one-job.swf";
  std::ofstream(swf) << "; MaxProcs: 8\n1 0 0 100 2 -1 -1 2 200 -1 1 1 1 -1 -1 -1 -1 -1\n";
  json cls = {{{"name", "one"},
               {"kind", "hpc_batch"},
               {"arrivals", {{"process", "trace"}, {"format", "swf"}, {"file", swf.string()}}}}};
  const auto s = scenario_from(one_site_doc(1, 8, 1, "server", cls, 1000), "one.json");
  const auto summary = run(s, scratch, executor);
  ASSERT_EQ(summary["jobs"]["completed"], 1);
  EXPECT_DOUBLE_EQ(summary["simulated_s"].get<double>(), 100.0);
  // E = duration x (P_idle + (P_max - P_idle) x load), load = 2 / 8 cores.
  EXPECT_NEAR(summary["sites"][0]["it_energy_j"].get<double>(), 100 * (100 + (300 - 100) * 2.0 / 8), 1e-6);
  EXPECT_NEAR(summary["sites"][0]["cpu_utilization"].get<double>(), 2.0 / 8, 1e-12);
}

TEST(Engine, OneJobOnAnIdleHostUsesTheLinearPowerModel) {
  one_job_on_an_idle_host(suanli::engine::ExecutorKind::kExact);
}
TEST(Engine, OneJobOnAnIdleHostUsesTheLinearPowerModelInSimGrid) {
  one_job_on_an_idle_host(suanli::engine::ExecutorKind::kSimGrid);
}

TEST(Engine, KthSp2ReplayOnOneHundredNodesFifo) {
  const std::string kth = suanli::test::source_dir() + "/../shared/data/swf/KTH-SP2-1996-2.1-cln.swf.gz";
  json cls = {{{"name", "kth"},
               {"kind", "hpc_batch"},
               {"placement", "least_loaded"},
               {"arrivals", {{"process", "trace"}, {"format", "swf"}, {"file", kth}}}}};
  const auto s = scenario_from(one_site_doc(100, 1, 1, "server", cls, 1e8), "kth.json");
  const TempDir scratch("engine-kth");
  const auto summary = run(s, scratch);

  // The log itself: jobs with a size and a run time, their run times, and the offered load.
  std::map<std::int64_t, double> runtime;
  double first_submit = -1, last_submit = 0, work = 0;
  suanli::workload::SwfReader reader(kth);
  while (auto j = reader.next()) {
    if (j->procs() <= 0 || j->run_s <= 0) continue;
    runtime[j->id] = j->run_s;
    if (first_submit < 0) first_submit = j->submit_s;
    last_submit = j->submit_s;
    work += j->procs() * j->run_s;
  }
  const double offered_load = work / (100 * (last_submit - first_submit));

  ASSERT_EQ(summary["jobs"]["completed"].get<std::size_t>(), runtime.size());
  EXPECT_EQ(summary["jobs"]["rejected"], 0);
  EXPECT_EQ(summary["jobs"]["unfinished"], 0);

  std::ifstream jobs(scratch.path() / "out" / "jobs.csv");
  std::string line;
  std::getline(jobs, line);                    // header
  std::vector<std::pair<double, int>> events;  // (time, +cores / -cores)
  std::size_t rows = 0;
  while (std::getline(jobs, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    ASSERT_GE(f.size(), 20u) << line;
    const double submit = std::stod(f[5]), start = std::stod(f[6]), end = std::stod(f[7]);
    const int cores = std::stoi(f[10]);
    const std::int64_t id = std::stoll(f.back());
    ASSERT_GE(start, submit) << "job " << id << " started before it was submitted";
    // SimGrid's own finish time: the job ran for exactly its logged run time (a shared core would
    // have made it longer).
    ASSERT_NEAR(end - start, runtime.at(id), 1e-6 * std::max(1.0, runtime.at(id))) << "job " << id;
    events.emplace_back(start, cores);
    events.emplace_back(end, -cores);
    ++rows;
  }
  EXPECT_EQ(rows, runtime.size());
  std::sort(events.begin(), events.end());  // at equal times, releases (negative) come first
  int busy = 0, peak = 0;
  for (const auto& [t, d] : events) {
    busy += d;
    peak = std::max(peak, busy);
  }
  EXPECT_LE(peak, 100) << "more cores busy than the 100 nodes have";
  EXPECT_EQ(busy, 0);

  // Utilization over the replay matches the offered load the log implies (the replay starts at the
  // first submission; it ends when the queue drains, a little after the last submission).
  const double utilization = summary["sites"][0]["cpu_utilization"].get<double>();
  testing::Test::RecordProperty("offered_load", std::to_string(offered_load));
  testing::Test::RecordProperty("utilization", std::to_string(utilization));
  EXPECT_NEAR(utilization, offered_load, 0.02 * offered_load);
}

void idle_host_switches_off_and_boots(suanli::engine::ExecutorKind executor) {
  // Two 8-core servers: idle 100 W, max 300 W, off 10 W, shutdown 30 s at 100 W, boot 120 s at 150 W.
  // Hosts are switched off after 100 s idle, except the site's first (its network gateway). Job A
  // (1 core, 50 s) at t = 0 runs on server 0; server 1 goes off at 100 s. Job B (16 cores, 100 s) at
  // t = 1000 needs both servers and waits for server 1's boot.
  const TempDir scratch("engine-boot");
  const auto swf = scratch.path() / "boot-job.swf";
  std::ofstream(swf) << "; MaxProcs: 16\n"
                        "1 0 0 50 1 -1 -1 1 60 -1 1 1 1 -1 -1 -1 -1 -1\n"
                        "2 1000 0 100 16 -1 -1 16 200 -1 1 1 1 -1 -1 -1 -1 -1\n";
  json cls = {{{"name", "one"},
               {"kind", "hpc_batch"},
               {"arrivals", {{"process", "trace"}, {"format", "swf"}, {"file", swf.string()}}}}};
  auto doc = one_site_doc(2, 8, 1, "server", cls, 5000);
  doc["node_types"][0]["off_w"] = 10;
  doc["node_types"][0]["boot_s"] = 120;
  doc["node_types"][0]["boot_w"] = 150;
  doc["node_types"][0]["shutdown_s"] = 30;
  doc["scheduling"] = {{"power", {{"idle_off_s", 100}}}};
  const auto s = scenario_from(doc, "boot.json");
  const auto summary = run(s, scratch, executor);
  ASSERT_EQ(summary["jobs"]["completed"], 2);
  // The run ends when B does: 1000 + 120 (boot) + 100.
  EXPECT_DOUBLE_EQ(summary["simulated_s"].get<double>(), 1220.0);
  EXPECT_NEAR(summary["classes"][0]["wait_s"]["max"].get<double>(), 120.0, 1e-9);
  // Server 0: A 50 s at 1/8 load, idle until B starts at 1120, B 100 s at full load.
  // Server 1: idle 100 s, shutdown 30 s, off 870 s, boot 120 s, B 100 s at full load.
  const double server0 = 50 * (100 + 200 / 8.0) + 1070 * 100 + 100 * 300;
  const double server1 = 100 * 100 + 30 * 100 + 870 * 10 + 120 * 150 + 100 * 300;
  const double expected = server0 + server1;
  EXPECT_NEAR(summary["sites"][0]["it_energy_j"].get<double>(), expected, 1e-6 * expected);
  EXPECT_EQ(summary["engine"], std::string(suanli::engine::to_string(executor)));
}

TEST(Engine, IdleHostSwitchesOffAndBootsOnDemandPayingBootTimeAndEnergy) {
  idle_host_switches_off_and_boots(suanli::engine::ExecutorKind::kExact);
}
TEST(Engine, IdleHostSwitchesOffAndBootsOnDemandPayingBootTimeAndEnergyInSimGrid) {
  idle_host_switches_off_and_boots(suanli::engine::ExecutorKind::kSimGrid);
}

TEST(Engine, DeadlineDvfsRunsAnExclusiveJobInTheSlowestStateThatMeetsIt) {
  // Two states: 1e9 flops/core (idle 100, max 300 W) and 0.5e9 (idle 80, max 150 W). A training job
  // holding the whole 8-core server for 100 s with a deadline 3 x its run time after submission
  // runs at half speed: 200 s, meeting the deadline.
  const json cls = {{{"name", "train"},
                     {"kind", "ai_training"},
                     {"arrivals", {{"process", "poisson"}, {"rate_per_s", 1e-3}}},
                     {"service_s", 100},
                     {"service_distribution", "deterministic"},
                     {"cores", 8},
                     {"deadline_factor", 3}}};
  auto doc = one_site_doc(1, 8, 1, "server", cls, 20000);
  doc["node_types"][0]["pstates"].push_back({{"core_speed_flops", 0.5e9}, {"idle_w", 80}, {"max_w", 150}});
  doc["scheduling"] = {{"dvfs", "deadline"}};
  const auto s = scenario_from(doc, "dvfs.json");
  const TempDir scratch("engine-dvfs");
  const auto summary = run(s, scratch);
  const auto completed = summary["jobs"]["completed"].get<int>();
  ASSERT_GT(completed, 5);
  std::ifstream jobs(scratch.path() / "out" / "jobs.csv");
  std::string line;
  std::getline(jobs, line);
  int slow = 0;
  while (std::getline(jobs, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    if (f[18] != "completed") continue;
    const double submit = std::stod(f[5]), start = std::stod(f[6]), end = std::stod(f[7]);
    EXPECT_EQ(f[15], "1") << line;  // deadline met
    if (start == submit) {          // started at once: the slow state fits 200 s <= 300 s
      EXPECT_NEAR(end - start, 200.0, 1e-6) << line;
      ++slow;
    }
  }
  EXPECT_GT(slow, 0);
}
