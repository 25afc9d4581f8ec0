// Every sampling interval: each site's utilization, jobs and queue, its IT power over the interval (the
// executor's energy), and the facility around it under the interval's weather, carbon and tariff; and
// the marginal facility power per IT watt that placement policies see.
#pragma once

#include <cstddef>
#include <vector>

#include "energy/Conditions.hpp"
#include "energy/Facility.hpp"
#include "engine/JobExecutor.hpp"
#include "engine/RunState.hpp"
#include "metrics/RunMetrics.hpp"
#include "model/Scenario.hpp"

namespace suanli::engine {

class SiteSampler {
 public:
  SiteSampler(const model::Scenario& s, const energy::SiteWeather& weather, const energy::GridCarbon& carbon,
              metrics::RunMetrics& metrics, JobExecutor& executor);

  /// Records every site over (last sample, t]: O(sites), whatever the number of hosts.
  void sample(double t, std::vector<SiteRuntime>& sites);
  /// Marginal facility watts per IT watt of every site at time t, from the IT power of the last
  /// interval (before the first sample: 30 % of the site's rated IT power), and the carbon now.
  void update_marginal_facility(double t);

  double marginal_facility(std::size_t site) const { return marginal_facility_[site]; }
  double carbon_now() const { return carbon_now_; }
  /// A site's IT and facility power over the last sampling interval (0 before the first sample).
  double last_it_w(std::size_t site) const { return site < last_it_w_.size() ? last_it_w_[site] : 0.0; }
  double last_facility_w(std::size_t site) const {
    return site < last_facility_w_.size() ? last_facility_w_[site] : 0.0;
  }

 private:
  const model::Scenario& s_;
  const energy::SiteWeather& weather_;
  const energy::GridCarbon& carbon_;
  metrics::RunMetrics& metrics_;
  JobExecutor& executor_;
  std::vector<energy::SiteFacility> facility_;
  double last_sample_s_ = 0;
  std::vector<double> marginal_facility_;  ///< per site: facility W per IT W at the margin, now
  std::vector<double> last_it_w_;          ///< per site: IT power over the last sampling interval
  std::vector<double> last_facility_w_;    ///< per site: facility power over the last sampling interval
  double carbon_now_ = 0;
};

}  // namespace suanli::engine
