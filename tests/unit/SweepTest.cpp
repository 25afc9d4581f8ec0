// Sweeps, the pure part: SHA-256 test vectors, Student t quantiles, expansion, shards, the sweep file's
// errors, and the statistics of summary.csv.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "TestScenarios.hpp"
#include "model/Error.hpp"
#include "sweep/Runner.hpp"
#include "sweep/Sha256.hpp"
#include "sweep/Sweep.hpp"

namespace sw = suanli::sweep;
using nlohmann::json;

TEST(Sha256, MatchesTheFipsTestVectors) {
  EXPECT_EQ(sw::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sw::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sw::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  sw::Sha256 million;  // one million 'a', fed in uneven pieces across block boundaries
  const std::string chunk(997, 'a');
  std::size_t left = 1000000;
  while (left > 0) {
    const std::size_t n = std::min(left, chunk.size());
    million.update(std::string_view(chunk).substr(0, n));
    left -= n;
  }
  EXPECT_EQ(million.hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(StudentT, QuantilesMatchTables) {
  // 0.975 quantiles (two-sided 95 %): standard tables.
  const std::pair<double, double> table[] = {{1, 12.706204736}, {2, 4.302652730}, {3, 3.182446305},
                                             {4, 2.776445105},  {9, 2.262157163}, {29, 2.045229642},
                                             {120, 1.979930405}};
  for (const auto& [df, t] : table) EXPECT_NEAR(sw::student_t_975(df), t, 1e-8) << "df " << df;
}

TEST(SweepStatistics, EstimateSkipsMissingValues) {
  const auto e = sw::estimate({1.0, 2.0, 3.0, std::nan("")});
  EXPECT_EQ(e.n, 3u);
  EXPECT_DOUBLE_EQ(e.mean, 2.0);
  EXPECT_DOUBLE_EQ(e.sd, 1.0);
  EXPECT_NEAR(e.ci95_hi - e.mean, 4.302652730 / std::sqrt(3.0), 1e-8);
  EXPECT_TRUE(std::isnan(sw::estimate({5.0}).sd));
  EXPECT_EQ(sw::estimate({}).n, 0u);
}

namespace {
json sweep_doc() {
  return {
      {"name", "s"},
      {"scenario", suanli::test::source_dir() + "/scenarios/teaching-small.json"},
      {"seed", 10},
      {"replications", 2},
      {"set", {{"/horizon_s", 60}}},
      {"axes",
       {{{"name", "policy"}, {"pointer", "/workload/classes/*/placement"}, {"values", {"nearest", "random"}}},
        {{"name", "cooling"},
         {"values",
          {{{"label", "air"},
            {"set", {{"/sites/0/cooling/liquid_share", 0}, {"/sites/0/cooling/air_share", 1}}}},
           {{"label", "liquid"},
            {"set", {{"/sites/0/cooling/liquid_share", 1}, {"/sites/0/cooling/air_share", 0}}}},
           {{"label", "half"}, {"set", json::object()}}}}}}}};
}

std::string error_of(const json& doc) {
  try {
    sw::sweep_from_json(doc, "sweep.json");
  } catch (const suanli::model::UserError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(SweepExpand, CartesianProductLastAxisFastestWithSharedSeeds) {
  const auto spec = sw::sweep_from_json(sweep_doc(), "sweep.json");
  const auto runs = sw::expand(spec);
  ASSERT_EQ(runs.size(), 2u * 3u * 2u);
  EXPECT_EQ(sw::config_count(spec), 6u);
  EXPECT_EQ(runs[0].id, "c000-r00");
  EXPECT_EQ(runs[1].id, "c000-r01");
  EXPECT_EQ(runs[2].labels, (std::vector<std::string>{"nearest", "liquid"}));
  EXPECT_EQ(runs[11].labels, (std::vector<std::string>{"random", "half"}));
  EXPECT_EQ(runs[0].seed, 10u);
  EXPECT_EQ(runs[1].seed, 11u);
  EXPECT_EQ(runs[2].seed, 10u);  // common random numbers across configurations
  // set first, then one edit per plain axis value, then the object value's edits
  ASSERT_EQ(runs[2].edits.size(), 1u + 1u + 2u);
  EXPECT_EQ(runs[2].edits[0].pointer, "/horizon_s");
  EXPECT_EQ(runs[2].edits[1].value, "nearest");
  std::set<std::string> ids;
  for (const auto& r : runs) ids.insert(r.id);
  EXPECT_EQ(ids.size(), runs.size());
}

TEST(SweepExpand, ShardsPartitionTheRuns) {
  const auto runs = sw::expand(sw::sweep_from_json(sweep_doc(), "sweep.json"));
  std::multiset<std::string> seen;
  for (std::size_t i = 1; i <= 5; ++i)
    for (const auto& r : sw::shard(runs, i, 5)) seen.insert(r.id);
  EXPECT_EQ(seen.size(), runs.size());
  for (const auto& r : runs) EXPECT_EQ(seen.count(r.id), 1u);
  EXPECT_EQ(sw::parse_shard("2/3"), (std::pair<std::size_t, std::size_t>{2, 3}));
  for (const char* bad : {"0/3", "4/3", "2", "a/3", "2/3x", "/3", "2/"})
    EXPECT_THROW(sw::parse_shard(bad), suanli::model::UserError) << bad;
}

TEST(SweepFile, ErrorsNameTheField) {
  auto doc = sweep_doc();
  doc["replications"] = 0;
  EXPECT_NE(error_of(doc).find("/replications"), std::string::npos);
  doc = sweep_doc();
  doc["scenario"] = "missing.json";
  EXPECT_NE(error_of(doc).find("no such scenario file"), std::string::npos);
  doc = sweep_doc();
  doc["axes"][0]["values"] = json::array();
  EXPECT_NE(error_of(doc).find("/axes/0/values"), std::string::npos);
  doc = sweep_doc();
  doc["axes"][1]["name"] = "policy";
  EXPECT_NE(error_of(doc).find("duplicate axis name"), std::string::npos);
  doc = sweep_doc();
  doc["axes"][1]["values"][0].erase("set");
  EXPECT_NE(error_of(doc).find("/axes/1/values/0/set"), std::string::npos);
  doc = sweep_doc();
  doc["set"] = {{"horizon_s", 1}};
  EXPECT_NE(error_of(doc).find("start with '/'"), std::string::npos);
  doc = sweep_doc();
  doc["run_arguments"] = {"--seed", "3"};
  EXPECT_NE(error_of(doc).find("set by the sweep itself"), std::string::npos);
  doc = sweep_doc();
  doc["colour"] = 1;
  EXPECT_NE(error_of(doc).find("colour"), std::string::npos);
  EXPECT_EQ(error_of(sweep_doc()), "");
}

TEST(SweepTables, SummaryAggregatesOkRunsPerConfiguration) {
  auto spec = sw::sweep_from_json(sweep_doc(), "sweep.json");
  const auto runs = sw::expand(spec);
  std::vector<sw::RunResult> results;
  for (std::size_t i = 0; i < 4; ++i) {  // configurations 0 and 1, two replications each
    sw::RunResult r;
    r.plan = runs[i];
    r.status = i == 3 ? "failed" : "ok";
    r.exit_code = i == 3 ? 2 : 0;
    r.error = i == 3 ? "bad, \"quoted\"" : "";
    if (r.status == "ok") r.metrics.assign(sw::metric_names().size(), static_cast<double>(i + 1));
    results.push_back(r);
  }
  const auto summary = sw::summary_csv(spec, results);
  // config 0: values 1 and 2 -> mean 1.5; config 1: one ok run (3) -> n 1, no sd
  EXPECT_NE(summary.find("\n0,nearest,air,2,1.5,"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\n1,nearest,liquid,1,3,,,,"), std::string::npos) << summary;
  const auto runs_csv = sw::runs_csv(spec, results);
  EXPECT_NE(runs_csv.find("c001-r01,1,1,11,failed,2,\"bad, \"\"quoted\"\"\",nearest,liquid,"),
            std::string::npos)
      << runs_csv;
}

TEST(SweepMetrics, TakenFromASummary) {
  const json summary = {
      {"totals",
       {{"it_energy_j", 7.2e9},
        {"facility_energy_j", 9e9},
        {"pue", 1.25},
        {"carbon_kg", 500},
        {"electricity_cost", 10},
        {"water_l", 2000},
        {"cpu_utilization", 0.5},
        {"gpu_utilization", nullptr}}},
      {"jobs", {{"submitted", 10}, {"completed", 8}, {"rejected", 1}, {"unfinished", 1}}},
      {"classes",
       {{{"kind", "latency_critical"},
         {"completed", 5},
         {"wait_s", {{"mean", 100}}},
         {"budget_attainment", 0.9}},
        {{"kind", "hpc_batch"}, {"completed", 1}, {"wait_s", {{"mean", 10}}}, {"budget_attainment", nullptr}},
        {{"kind", "ai_training"},
         {"completed", 3},
         {"wait_s", {{"mean", 30}}},
         {"deadline_attainment", 0.5}}}}};
  const auto m = sw::run_metrics(summary);
  const auto at = [&](const std::string& name) {
    const auto& n = sw::metric_names();
    return m[static_cast<std::size_t>(std::find(n.begin(), n.end(), name) - n.begin())];
  };
  EXPECT_DOUBLE_EQ(at("it_energy_mwh"), 2.0);
  EXPECT_DOUBLE_EQ(at("carbon_t"), 0.5);
  EXPECT_DOUBLE_EQ(at("water_m3"), 2.0);
  EXPECT_TRUE(std::isnan(at("gpu_utilization")));
  EXPECT_DOUBLE_EQ(at("mean_wait_s"), (10.0 * 1 + 30.0 * 3) / 4);  // latency-critical waits excluded
  EXPECT_DOUBLE_EQ(at("budget_attainment"), 0.9);
  EXPECT_DOUBLE_EQ(at("deadline_attainment"), 0.5);
}

TEST(SweepRunner, ALauncherCarriesOutTheRuns) {
  // No processes: a launcher that "runs" each run by writing a summary, and fails run 1.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("suanli-launcher-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto doc = sweep_doc();
  doc["axes"] = json::array({doc["axes"][0]});  // 2 policies x 2 replications
  const auto spec = sw::sweep_from_json(doc, "sweep.json");
  sw::SweepOptions options;
  options.output_dir = dir.string();
  options.suanli_binary = "suanli";
  options.jobs = 3;
  std::vector<std::vector<std::string>> launched;
  int max_jobs = 0;
  options.launcher = [&](std::size_t count, int jobs,
                         const std::function<sw::RunLaunch(std::size_t)>& prepare,
                         const std::function<void(std::size_t, int)>& done) {
    max_jobs = jobs;
    for (std::size_t i = 0; i < count; ++i) {
      const auto launch = prepare(i);
      launched.push_back(launch.args);
      const fs::path folder = fs::path(launch.log).parent_path();
      EXPECT_TRUE(fs::is_directory(folder)) << folder;  // runs/<id>.partial, made by prepare
      std::ofstream(launch.log) << (i == 1 ? "error: it broke\n" : "fine\n");
      if (i != 1)
        std::ofstream(folder / "summary.json")
            << R"({"totals": {"pue": 1.25}, "jobs": {"submitted": 9, "completed": )" << i
            << R"(}, "classes": []})";
      done(i, i == 1 ? 2 : 0);
    }
  };
  const auto outcome = sw::run_sweep(spec, options);
  EXPECT_EQ(max_jobs, 3);
  ASSERT_EQ(launched.size(), 4u);
  EXPECT_EQ(outcome.ok, 3u);
  EXPECT_EQ(outcome.failed, 1u);
  // The `suanli run` arguments of each run: the program, the base scenario, the run's seed and edits.
  const auto& args = launched[1];
  EXPECT_EQ(args.front(), "suanli");
  EXPECT_EQ(args[1], "run");
  EXPECT_EQ(args[2], spec.scenario);
  const auto seed = std::find(args.begin(), args.end(), "--seed");
  ASSERT_NE(seed, args.end());
  EXPECT_EQ(*(seed + 1), "11");  // replication 1 of configuration 0: seed 10 + 1
  EXPECT_NE(std::find(args.begin(), args.end(), "/workload/classes/*/placement=\"nearest\""), args.end());
  EXPECT_NE(std::find(args.begin(), args.end(), "--full-horizon"), args.end());
  ASSERT_EQ(outcome.results.size(), 4u);
  EXPECT_EQ(outcome.results[1].status, "failed");
  EXPECT_EQ(outcome.results[1].error, "it broke");
  EXPECT_EQ(outcome.results[2].status, "ok");
  EXPECT_TRUE(fs::exists(dir / "runs" / outcome.results[2].plan.id / "manifest.json"));
  EXPECT_FALSE(fs::exists(dir / "runs" / (outcome.results[2].plan.id + ".partial")));
  const auto completed = std::find(sw::metric_names().begin(), sw::metric_names().end(), "completed");
  EXPECT_DOUBLE_EQ(
      outcome.results[3].metrics.at(static_cast<std::size_t>(completed - sw::metric_names().begin())), 3);
  fs::remove_all(dir);
}
