// Job streams: resampled traces and the warm start (steady-state jobs at time 0).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <tuple>

#include "TestScenarios.hpp"
#include "model/Error.hpp"
#include "workload/AlibabaGpuReader.hpp"
#include "workload/JobStream.hpp"

namespace suanli {
namespace {

const std::string kPods = test::source_dir() + "/../shared/data/gpu/openb_pod_list_default.csv";

/// The minimal scenario with one class of the given kind and arrivals.
model::Scenario with_class(const nlohmann::json& cls, double horizon_s) {
  auto doc = test::minimal_doc();
  doc["horizon_s"] = horizon_s;
  doc["workload"] = {{"classes", nlohmann::json::array({cls})}};
  return test::scenario_from(doc);
}

std::vector<workload::Job> all_jobs(const model::Scenario& s) {
  auto stream = workload::make_job_stream(s, s.horizon_s);
  std::vector<workload::Job> jobs;
  while (auto j = stream.next()) jobs.push_back(*j);
  return jobs;
}

nlohmann::json batch_class(double rate, double service_s, const std::string& distribution, bool warm,
                           double amplitude = 0, double peak_hour = 14) {
  return {{"name", "batch"},
          {"kind", "hpc_batch"},
          {"cores", 1},
          {"service_s", service_s},
          {"service_distribution", distribution},
          {"arrivals",
           {{"process", "poisson"},
            {"rate_per_s", rate},
            {"diurnal_amplitude", amplitude},
            {"peak_hour", peak_hour},
            {"warm_start", warm}}}};
}

TEST(Resample, ShapesComeFromTheTraceAndArrivalsFromTheRate) {
  // Every accepted pod's (cores, gpus, run time) as a replay reads it.
  std::set<std::tuple<int, int, double>> shapes;
  workload::AlibabaGpuReader reader(kPods);
  while (auto r = reader.next())
    if (r->scheduled_s >= 0 && r->deletion_s > r->scheduled_s)
      shapes.insert({std::max(1, (r->cpu_milli + 999) / 1000), r->num_gpu, r->deletion_s - r->scheduled_s});
  ASSERT_GT(shapes.size(), 100u);

  const double rate = 0.5, horizon = 20000;
  const auto s = with_class(
      {{"name", "train"},
       {"kind", "ai_training"},
       {"arrivals",
        {{"process", "resample"}, {"format", "alibaba_gpu"}, {"file", kPods}, {"rate_per_s", rate}}}},
      horizon);
  const auto jobs = all_jobs(s);
  // Poisson count: mean 10,000, standard deviation 100.
  EXPECT_NEAR(static_cast<double>(jobs.size()), rate * horizon, 5 * std::sqrt(rate * horizon));
  std::size_t first_half = 0;
  for (const auto& j : jobs) {
    EXPECT_TRUE(shapes.count({j.cores, j.gpus, j.runtime_s}))
        << j.cores << " " << j.gpus << " " << j.runtime_s;
    EXPECT_FALSE(j.warm);
    EXPECT_LT(j.submit_s, horizon);
    first_half += j.submit_s < horizon / 2;
  }
  // Spread evenly in time, not in the trace's calendar.
  EXPECT_NEAR(static_cast<double>(first_half) / static_cast<double>(jobs.size()), 0.5, 0.03);
  // Drawn uniformly: the share of 8-GPU pods is close to the trace's (44 of 7,255).
  std::size_t eight = 0;
  for (const auto& j : jobs) eight += j.gpus == 8;
  EXPECT_NEAR(static_cast<double>(eight) / static_cast<double>(jobs.size()), 44.0 / 7255.0, 0.003);
}

TEST(WarmStart, ExponentialJobsFoundRunningHaveTheFullMeanLeft) {
  // M/M/inf in steady state: Poisson(rate x mean) jobs running; by memorylessness the time each has
  // left is exponential with the full mean (a length-biased draw; an unbiased one would give half).
  const double rate = 2, mean = 1000;
  const auto s = with_class(batch_class(rate, mean, "exponential", true), 10);
  const auto jobs = all_jobs(s);
  double n = 0, left = 0;
  for (const auto& j : jobs) {
    if (!j.warm) continue;
    EXPECT_EQ(j.submit_s, 0);
    EXPECT_EQ(j.input_bytes, 0);
    n += 1;
    left += j.runtime_s;
  }
  EXPECT_NEAR(n, rate * mean, 5 * std::sqrt(rate * mean));
  EXPECT_NEAR(left / n, mean, 0.08 * mean);
}

TEST(WarmStart, DeterministicJobsHaveUniformAges) {
  const double rate = 4, length = 500;
  const auto s = with_class(batch_class(rate, length, "deterministic", true), 10);
  double n = 0, left = 0, min_left = length, max_left = 0;
  for (const auto& j : all_jobs(s)) {
    if (!j.warm) continue;
    n += 1;
    left += j.runtime_s;
    min_left = std::min(min_left, j.runtime_s);
    max_left = std::max(max_left, j.runtime_s);
  }
  EXPECT_NEAR(n, rate * length, 5 * std::sqrt(rate * length));
  EXPECT_NEAR(left / n, length / 2, 0.06 * length);
  EXPECT_GT(min_left, 0);
  EXPECT_LE(max_left, length);
}

TEST(WarmStart, FollowsTheDiurnalRateOfThePast) {
  // Rate 1 x (1 + cos(2 pi (h - 12) / 24)): zero at midnight. Jobs of 1 h found running at 0 arrived
  // in the last hour, at a rate near 0: expected number = integral over u in [0, 3600) of rate(-u).
  const double rate = 1, length = 3600;
  double expected = 0;
  for (int k = 0; k < 3600; ++k) {
    const double u = k + 0.5;
    expected += rate * (1 + std::cos(2 * std::numbers::pi * (-u / 3600.0 - 12) / 24.0));
  }
  ASSERT_LT(expected, 0.05 * rate * length);  // the check below would not tell the rates apart otherwise
  const auto s = with_class(batch_class(rate, length, "deterministic", true, 1.0, 12), 10);
  double n = 0;
  for (const auto& j : all_jobs(s)) n += j.warm;
  EXPECT_NEAR(n, expected, 5 * std::sqrt(expected) + 1);
}

TEST(WarmStart, OffByDefaultAndArrivalsUnchangedByIt) {
  const auto cold = with_class(batch_class(2, 100, "exponential", false), 1000);
  const auto warm = with_class(batch_class(2, 100, "exponential", true), 1000);
  std::vector<workload::Job> a, b;
  for (const auto& j : all_jobs(cold)) {
    EXPECT_FALSE(j.warm);
    a.push_back(j);
  }
  for (const auto& j : all_jobs(warm))
    if (!j.warm) b.push_back(j);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].submit_s, b[i].submit_s);
    EXPECT_EQ(a[i].runtime_s, b[i].runtime_s);
  }
}

TEST(WarmStart, RefusedForTraceReplay) {
  auto doc = test::minimal_doc();
  doc["workload"] = {
      {"classes",
       {{{"name", "train"},
         {"kind", "ai_training"},
         {"arrivals",
          {{"process", "trace"}, {"format", "alibaba_gpu"}, {"file", kPods}, {"warm_start", true}}}}}}};
  try {
    test::scenario_from(doc);
    FAIL() << "accepted warm_start on a trace replay";
  } catch (const model::UserErrors& e) {
    EXPECT_NE(std::string(e.what()).find("/workload/classes/0/arrivals/warm_start"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace suanli
