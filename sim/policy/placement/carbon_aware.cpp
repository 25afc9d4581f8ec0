// carbon_aware: where — among sites where the job fits now, the lowest carbon rate (IT power added x
// facility W per IT W x grid intensity); when it fits nowhere now, the least loaded site. When — a
// deferrable job with a deadline may wait for the start time, at an hour boundary within
// `max_defer_s` and its deadline, that minimizes the mean grid intensity over its run; it waits only
// if that saves more than `min_saving` of the intensity of starting now. The latest start keeps
// `slack` x its run time before the deadline for queueing.
#include <algorithm>
#include <cmath>

#include "policy/Placement.hpp"

namespace suanli::policy {

namespace {
class CarbonAware : public PlacementPolicy {
 public:
  explicit CarbonAware(PolicyParams& p)
      : max_defer_s_(p.number("max_defer_s", 86400, 0, 1e9)),
        min_saving_(p.number("min_saving", 0.05, 0, 1)),
        slack_(p.number("slack", 0.1, 0, 100)) {}

  std::optional<PlacementDecision> place(const PlacementRequest& r) override {
    const auto best = best_fitting_or_least_loaded(
        r, [](const SiteView& s) { return s.job_it_w * s.facility_w_per_it_w * s.carbon_kg_per_kwh; });
    if (!best) return std::nullopt;
    return PlacementDecision{*best, start_time(r)};
  }

 private:
  double start_time(const PlacementRequest& r) const {
    const auto& job = r.job;
    if (!r.deferrable || !r.outlook || !std::isfinite(job.deadline_s)) return r.now_s;
    const double run = job.walltime_s > 0 ? job.walltime_s : job.runtime_s;
    if (run <= 0) return r.now_s;
    const double latest = std::min(job.deadline_s - run * (1 + slack_), r.now_s + max_defer_s_);
    if (latest <= r.now_s) return r.now_s;
    const double now_mean = r.outlook->mean_carbon_kg_per_kwh(r.now_s, r.now_s + run);
    double best_t = r.now_s, best_mean = now_mean;
    for (const double t : r.outlook->carbon_change_times(r.now_s, latest)) {
      const double mean = r.outlook->mean_carbon_kg_per_kwh(t, t + run);
      if (mean < best_mean) {
        best_mean = mean;
        best_t = t;
      }
    }
    return best_mean < (1 - min_saving_) * now_mean ? best_t : r.now_s;
  }

  double max_defer_s_, min_saving_, slack_;
};
}  // namespace

std::unique_ptr<PlacementPolicy> make_carbon_aware(PolicyParams& p) {
  return std::make_unique<CarbonAware>(p);
}

}  // namespace suanli::policy
