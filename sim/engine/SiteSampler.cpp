// Sampling the sites and the facility around them (see the header).
#include "engine/SiteSampler.hpp"

#include <algorithm>
#include <cmath>

namespace suanli::engine {

SiteSampler::SiteSampler(const model::Scenario& s, const energy::SiteWeather& weather,
                         const energy::GridCarbon& carbon, metrics::RunMetrics& metrics,
                         JobExecutor& executor)
    : s_(s), weather_(weather), carbon_(carbon), metrics_(metrics), executor_(executor) {
  for (const auto& site : s.sites) facility_.push_back(energy::site_facility(s, site));
}

void SiteSampler::update_marginal_facility(double t) {
  const std::size_t hour = energy::hour_of_year(s_.energy, t);
  carbon_now_ = carbon_.kg_per_kwh(hour);
  marginal_facility_.resize(s_.sites.size());
  for (std::size_t i = 0; i < s_.sites.size(); ++i) {
    const auto& f = facility_[i];
    const double it = last_it_w_.empty() ? 0.3 * f.rated_it_w : last_it_w_[i];
    const double delta = std::max(1000.0, 0.01 * f.rated_it_w);
    const double wb = weather_.of(i).wet_bulb_c[hour];
    const double p0 = energy::facility_power(f, s_.energy.facility, it, wb).facility_w();
    const double p1 = energy::facility_power(f, s_.energy.facility, it + delta, wb).facility_w();
    marginal_facility_[i] = (p1 - p0) / delta;
  }
}

void SiteSampler::sample(double t, std::vector<SiteRuntime>& sites) {
  const double dt = t - last_sample_s_;
  if (dt <= 0) return;
  const std::size_t hour = energy::hour_of_year(s_.energy, (last_sample_s_ + t) / 2);
  const double hour_of_day =
      std::fmod(s_.energy.start_hour_of_year + (last_sample_s_ + t) / 2 / 3600.0, 24.0);
  const double price = energy::tariff_price(s_.energy.tariff, hour_of_day);
  const double carbon = carbon_.kg_per_kwh(hour);
  last_sample_s_ = t;
  last_it_w_.resize(sites.size());
  last_facility_w_.resize(sites.size());
  for (std::size_t i = 0; i < sites.size(); ++i) {
    auto& site = sites[i];
    const double energy = executor_.site_energy_j(i, t);
    const double it_w = (energy - site.energy_at_last_sample_j) / dt;
    site.energy_at_last_sample_j = energy;
    last_it_w_[i] = it_w;
    const auto& w = weather_.of(i);
    const auto p = energy::facility_power(facility_[i], s_.energy.facility, it_w, w.wet_bulb_c[hour]);
    last_facility_w_[i] = p.facility_w();
    auto& tot = site.totals;
    tot.it_sampled_j += p.it_w * dt;
    tot.loss_j += p.loss_w * dt;
    tot.cooling_j += p.cooling_w() * dt;
    tot.overhead_j += p.overhead_w * dt;
    tot.facility_j += p.facility_w() * dt;
    const double facility_kwh = p.facility_w() * dt / 3.6e6;
    tot.carbon_kg += facility_kwh * carbon;
    tot.cost += facility_kwh * price;
    tot.water_l += p.it_w * dt / 3.6e6 * facility_[i].wue_l_per_kwh;
    // Utilization over the interval: busy core- (GPU-) seconds / (capacity x interval), the same
    // integral the summary divides by the run's length.
    const auto cores = site.pool(PoolKind::kCpu).resources.cores_total();
    const auto gpus = site.pool(PoolKind::kGpu).resources.gpus_total();
    const double busy_cores = site.busy_cores.at(t), busy_gpus = site.busy_gpus.at(t);
    const double cpu_util =
        cores > 0 ? (busy_cores - site.busy_cores_at_last_sample) / (static_cast<double>(cores) * dt) : 0.0;
    const double gpu_util =
        gpus > 0 ? (busy_gpus - site.busy_gpus_at_last_sample) / (static_cast<double>(gpus) * dt) : 0.0;
    site.busy_cores_at_last_sample = busy_cores;
    site.busy_gpus_at_last_sample = busy_gpus;
    const auto& cpu_pool = site.pool(PoolKind::kCpu);
    const auto& gpu_pool = site.pool(PoolKind::kGpu);
    metrics_.record_sample(t, i, cpu_util, gpu_util, cpu_pool.running + gpu_pool.running,
                           cpu_pool.queue.size() + gpu_pool.queue.size(), p,
                           {w.dry_bulb_c[hour], w.wet_bulb_c[hour], carbon});
  }
}

}  // namespace suanli::engine
