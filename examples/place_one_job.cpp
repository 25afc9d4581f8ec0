// One placement decision on a hand-built snapshot: three sites as a policy sees them, one GPU job,
// and what four built-in policies choose. No scenario file, no SimGrid: the policy layer alone.
#include <cstdio>
#include <vector>

#include "policy/Placement.hpp"

using namespace suanli;

int main() {
  // A core cluster (near, busy, air-cooled), a GPU centre (farther, idle, liquid-cooled) and an edge
  // DC (nearest, no GPUs). latency_s is one way from the job's origin.
  std::vector<policy::SiteView> sites(3);
  const char* names[] = {"core-cluster", "gpu-center", "edge-dc"};
  sites[0] = {.site = 0,
              .eligible = true,
              .latency_s = 0.0004,
              .cores_total = 960,
              .cores_free = 200,
              .gpus_total = 64,
              .gpus_free = 8,
              .queued = 3,
              .running = 50,
              .liquid_share = 0.3,
              .job_it_w = 1000,
              .facility_w_per_it_w = 1.45,
              .carbon_kg_per_kwh = 0.41};
  sites[1] = {.site = 1,
              .eligible = true,
              .latency_s = 0.0021,
              .cores_total = 960,
              .cores_free = 900,
              .gpus_total = 64,
              .gpus_free = 60,
              .running = 4,
              .liquid_share = 0.8,
              .job_it_w = 1000,
              .facility_w_per_it_w = 1.12,
              .carbon_kg_per_kwh = 0.41};
  sites[2] = {.site = 2, .eligible = false, .latency_s = 0.0001, .cores_total = 128, .cores_free = 128};

  workload::Job job;
  job.cores = 4;
  job.gpus = 1;
  job.runtime_s = 3600;

  for (const char* name : {"nearest", "least_loaded", "pue_aware", "round_robin"}) {
    auto policy = policy::make_placement(name);
    const policy::PlacementRequest request{job, /*now_s=*/0, /*budget_rtt_s=*/0.005, sites};
    const auto decision = policy->place(request);
    std::printf("%-13s -> %s\n", name, decision ? names[decision->site] : "(rejected)");
  }
  // A budget of 1 ms round trip leaves only the core cluster (0.8 ms); the GPU centre is 4.2 ms away.
  auto policy = policy::make_placement("least_loaded");
  const auto decision = policy->place({job, 0, 0.001, sites});
  std::printf("least_loaded, 1 ms budget -> %s\n", decision ? names[decision->site] : "(rejected)");
}
