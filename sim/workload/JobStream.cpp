// Poisson sources and the lazy merge of all job classes.
#include "workload/JobStream.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "workload/TraceSources.hpp"

namespace suanli::workload {

std::vector<double> origin_cumulative_weights(const model::Scenario& s, const model::JobClass& c) {
  const auto allowed = [&](const std::string& city) {
    return c.origins.empty() || std::find(c.origins.begin(), c.origins.end(), city) != c.origins.end();
  };
  std::vector<double> cumulative;
  double total = 0;
  if (c.origin_level == model::OriginLevel::kDemandPoint) {
    for (const auto& d : s.demand_points) {
      total += allowed(d.city) ? d.weight : 0;
      cumulative.push_back(total);
    }
    return cumulative;
  }
  for (const auto& city : s.cities) {
    double w = 0;
    if (allowed(city.name)) {
      if (s.demand_points.empty()) w = 1;
      for (const auto& d : s.demand_points)
        if (d.city == city.name) w += d.weight;
      if (w == 0) w = 1;  // an origin city without demand points still originates jobs
    }
    total += w;
    cumulative.push_back(total);
  }
  return cumulative;
}

Job class_job(const model::JobClass& c, std::size_t class_index, double submit_s, std::size_t origin) {
  Job j;
  j.job_class = class_index;
  j.submit_s = submit_s;
  j.origin = origin;
  j.cores = c.cores;
  j.gpus = c.gpus;
  j.input_bytes = c.input_bytes;
  return j;
}

double arrival_rate_per_s(const model::Arrivals& a, double t_s) {
  const double phase = 2 * std::numbers::pi * (t_s / 3600.0 - a.peak_hour) / 24.0;
  return a.rate_per_s * (1 + a.diurnal_amplitude * std::cos(phase));
}

double sampled_fraction(const model::JobClass& c) {
  if (c.kind != model::JobKind::kLatencyCritical || c.simulated_rate_per_s <= 0) return 1.0;
  return std::min(1.0, c.simulated_rate_per_s / c.arrivals.rate_per_s);
}

PoissonSource::PoissonSource(const model::Scenario& s, std::size_t class_index, std::uint64_t seed,
                             double horizon_s, std::shared_ptr<const ShapeTable> shapes)
    : shapes_(std::move(shapes)),
      class_(s.workload.classes[class_index]),
      class_index_(class_index),
      horizon_s_(horizon_s),
      fraction_(sampled_fraction(class_)),
      peak_rate_(class_.arrivals.rate_per_s * (1 + class_.arrivals.diurnal_amplitude) * fraction_),
      arrivals_rng_(Random::derive(seed, 2 * class_index)),
      job_rng_(Random::derive(seed, 2 * class_index + 1)),
      origins_(origin_cumulative_weights(s, class_)),
      default_budget_s_(s.latency_targets.intra_city_s) {
  if (class_.arrivals.warm_start) make_warm_jobs(seed);
}

namespace {
/// A job's size, run time, requested time and trace id as a shape gives them.
void take_shape(Job& j, const JobShape& shape) {
  j.cores = shape.cores;
  j.gpus = shape.gpus;
  j.runtime_s = shape.runtime_s;
  j.walltime_s = shape.walltime_s;
  j.trace_id = shape.trace_id;
}
}  // namespace

Job PoissonSource::draw_job(double submit_s) {
  Job j = class_job(class_, class_index_, submit_s, job_rng_.pick_cumulative(origins_));
  if (shapes_) {
    const auto n = shapes_->shapes.size();
    const auto pick = static_cast<std::size_t>(job_rng_.uniform() * static_cast<double>(n));
    take_shape(j, shapes_->shapes[std::min(n - 1, pick)]);
  } else {
    j.runtime_s = class_.service_distribution == model::ServiceDistribution::kExponential
                      ? job_rng_.exponential(class_.service_s)
                      : class_.service_s;
  }
  j.weight = 1.0 / fraction_;
  if (class_.deadline_factor > 0) j.deadline_s = j.submit_s + class_.deadline_factor * j.runtime_s;
  return j;
}

void PoissonSource::make_warm_jobs(std::uint64_t seed) {
  // Candidates: a Poisson number with mean peak rate x mean run time; each draws a run time S with
  // probability proportional to S (a job is found running in proportion to its length) and an age u
  // uniform in [0, S), and is kept with probability rate(-u) / peak.
  Random rng(Random::derive(seed, (std::uint64_t{1} << 32) + class_index_));
  const double mean_s = shapes_ ? shapes_->mean_runtime_s() : class_.service_s;
  const double expected = peak_rate_ * mean_s;
  for (double x = rng.exponential(1.0); x < expected; x += rng.exponential(1.0)) {
    JobShape shape;
    if (shapes_) {
      shape = shapes_->shapes[rng.pick_cumulative(shapes_->cumulative_runtime_s)];
    } else {
      shape.cores = class_.cores;
      shape.gpus = class_.gpus;
      // Length-biased exponential run time: the sum of two exponentials (Erlang 2).
      shape.runtime_s = class_.service_distribution == model::ServiceDistribution::kExponential
                            ? rng.exponential(class_.service_s) + rng.exponential(class_.service_s)
                            : class_.service_s;
    }
    const double age = rng.uniform() * shape.runtime_s;
    const double keep = arrival_rate_per_s(class_.arrivals, -age) * fraction_ / peak_rate_;
    const std::size_t origin = rng.pick_cumulative(origins_);
    if (!(rng.uniform() < keep)) continue;
    Job j = class_job(class_, class_index_, 0, origin);
    take_shape(j, shape);
    j.runtime_s = shape.runtime_s - age;
    j.walltime_s = shape.walltime_s > 0 ? std::max(shape.walltime_s - age, j.runtime_s) : 0;
    j.weight = 1.0 / fraction_;
    j.warm = true;
    j.input_bytes = 0;  // its input arrived before it started
    if (class_.deadline_factor > 0) j.deadline_s = class_.deadline_factor * shape.runtime_s - age;
    if (j.runtime_s > 0) warm_.push_back(j);
  }
}

std::optional<Job> PoissonSource::next() {
  if (warm_next_ < warm_.size()) return warm_[warm_next_++];
  // Thinning (Lewis and Shedler 1979): candidates at the peak rate, kept with probability rate(t)/peak.
  while (true) {
    t_ += arrivals_rng_.exponential(1.0 / peak_rate_);
    if (t_ >= horizon_s_) return std::nullopt;
    const double keep = arrival_rate_per_s(class_.arrivals, t_) * fraction_ / peak_rate_;
    if (arrivals_rng_.uniform() < keep) break;
  }
  return draw_job(t_);
}

ServiceSource::ServiceSource(const model::Scenario& s, std::size_t class_index, std::uint64_t seed,
                             double horizon_s)
    : class_(s.workload.classes[class_index]),
      class_index_(class_index),
      horizon_s_(horizon_s),
      rng_(Random::derive(seed, 2 * class_index + 1)),
      origins_(origin_cumulative_weights(s, class_)) {}

std::optional<Job> ServiceSource::next() {
  if (emitted_ >= class_.services) return std::nullopt;
  ++emitted_;
  Job j = class_job(class_, class_index_, 0, rng_.pick_cumulative(origins_));
  j.runtime_s = horizon_s_;
  return j;
}

double service_utilization(const model::JobClass& c, double t_s) {
  const double phase = 2 * std::numbers::pi * (t_s / 3600.0 - c.arrivals.peak_hour) / 24.0;
  return std::clamp(c.utilization_mean * (1 + c.arrivals.diurnal_amplitude * std::cos(phase)), 0.0, 1.0);
}

void MergedStream::add(std::unique_ptr<JobSource> source) {
  const std::size_t index = sources_.size();
  sources_.push_back(std::move(source));
  if (auto job = sources_.back()->next()) heap_.push({*job, index});
}

std::optional<Job> MergedStream::next() {
  if (heap_.empty()) return std::nullopt;
  Pending top = heap_.top();
  heap_.pop();
  if (auto job = sources_[top.source]->next()) heap_.push({*job, top.source});
  top.job.id = next_id_++;
  return top.job;
}

MergedStream make_job_stream(const model::Scenario& s, double horizon_s) {
  MergedStream stream;
  for (std::size_t i = 0; i < s.workload.classes.size(); ++i) {
    const auto& c = s.workload.classes[i];
    // Arrivals stop at until_s when it comes before the horizon.
    const double until = c.arrivals.until_s > 0 ? std::min(horizon_s, c.arrivals.until_s) : horizon_s;
    if (c.kind == model::JobKind::kCloudService)
      stream.add(std::make_unique<ServiceSource>(s, i, s.seed, horizon_s));
    else if (c.arrivals.process == model::ArrivalProcess::kPoisson)
      stream.add(std::make_unique<PoissonSource>(s, i, s.seed, until));
    else if (c.arrivals.process == model::ArrivalProcess::kResample)
      stream.add(std::make_unique<PoissonSource>(s, i, s.seed, until, load_trace_shapes(s, i)));
    else
      stream.add(make_trace_source(s, i, s.seed, until));
  }
  return stream;
}

}  // namespace suanli::workload
