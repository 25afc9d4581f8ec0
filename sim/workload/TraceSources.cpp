// Adapters from trace records to jobs.
#include "workload/TraceSources.hpp"

#include <cmath>

#include "workload/AlibabaGpuReader.hpp"
#include "workload/AzureInferenceReader.hpp"
#include "workload/JobStream.hpp"
#include "workload/Random.hpp"
#include "workload/SwfReader.hpp"

namespace suanli::workload {

namespace {

/// Shared bookkeeping: time shift, scaling, horizon, record limit, origin draws.
class TraceSourceBase : public JobSource {
 protected:
  TraceSourceBase(const model::Scenario& s, std::size_t class_index, std::uint64_t seed, double horizon_s)
      : class_(s.workload.classes[class_index]),
        class_index_(class_index),
        horizon_s_(horizon_s),
        rng_(Random::derive(seed, 2 * class_index + 1)),
        origins_(origin_cumulative_weights(s, class_)) {}

  /// Arrival time of a record at trace time t, or nullopt when it is before start_s.
  std::optional<double> arrival(double t) {
    if (t < class_.arrivals.start_s) return std::nullopt;
    if (!t0_) t0_ = t;
    last_t_ = t;
    ++in_pass_;
    return (t - *t0_) * class_.arrivals.time_scale + offset_s_;
  }
  /// At the end of the trace: whether to start over (repeat), shifting the next pass by the span of
  /// this one plus one mean inter-arrival gap.
  bool start_over() {
    if (!class_.arrivals.repeat || in_pass_ == 0 || !t0_) return false;
    const double span = (last_t_ - *t0_) * class_.arrivals.time_scale;
    const double gap = in_pass_ > 1 ? span / static_cast<double>(in_pass_ - 1) : 1.0;
    offset_s_ += span + gap;
    t0_.reset();
    in_pass_ = 0;
    return true;
  }
  bool exhausted(double arrival_s) const {
    return arrival_s >= horizon_s_ || (class_.arrivals.max_jobs >= 0 && emitted_ >= class_.arrivals.max_jobs);
  }
  Job base_job(double arrival_s) {
    Job j;
    j.job_class = class_index_;
    j.submit_s = arrival_s;
    j.origin = rng_.pick_cumulative(origins_);
    j.cores = class_.cores;
    j.gpus = class_.gpus;
    j.input_bytes = class_.input_bytes;
    ++emitted_;
    return j;
  }
  void set_deadline(Job& j) const {
    if (class_.deadline_factor > 0) j.deadline_s = j.submit_s + class_.deadline_factor * j.runtime_s;
  }

  const model::JobClass& class_;
  std::size_t class_index_;
  double horizon_s_;
  Random rng_;
  std::vector<double> origins_;
  std::optional<double> t0_;
  double last_t_ = 0;
  double offset_s_ = 0;
  std::int64_t in_pass_ = 0;
  std::int64_t emitted_ = 0;
  bool done_ = false;
};

/// SWF jobs: cores = processors x cores_per_proc, run time = the logged run time.
class SwfSource : public TraceSourceBase {
 public:
  SwfSource(const model::Scenario& s, std::size_t k, std::uint64_t seed, double horizon)
      : TraceSourceBase(s, k, seed, horizon), path_(s.resolve_path(s.workload.classes[k].arrivals.file)) {
    reader_.emplace(path_);
  }

  std::optional<Job> next() override {
    while (!done_) {
      auto r = reader_->next();
      if (!r) {
        if (!start_over()) break;
        reader_.emplace(path_);
        continue;
      }
      if (r->procs() <= 0 || r->run_s <= 0) continue;  // unknown size or zero-length: nothing to run
      const auto t = arrival(r->submit_s);
      if (!t) continue;
      if (exhausted(*t)) break;
      Job j = base_job(*t);
      j.cores = r->procs() * class_.cores_per_proc;
      j.gpus = 0;
      j.runtime_s = r->run_s;
      j.walltime_s = r->requested_time_s > 0 ? r->requested_time_s : 0;
      j.trace_id = r->id;
      set_deadline(j);
      return j;
    }
    done_ = true;
    return std::nullopt;
  }

 private:
  std::string path_;
  std::optional<SwfReader> reader_;
};

/// LLM inference requests: run time = generated x seconds_per_token + context x prefill.
class AzureSource : public TraceSourceBase {
 public:
  AzureSource(const model::Scenario& s, std::size_t k, std::uint64_t seed, double horizon)
      : TraceSourceBase(s, k, seed, horizon), path_(s.resolve_path(s.workload.classes[k].arrivals.file)) {
    reader_.emplace(path_);
  }

  std::optional<Job> next() override {
    while (!done_) {
      auto r = reader_->next();
      if (!r) {
        if (!start_over()) break;
        reader_.emplace(path_);
        continue;
      }
      const auto t = arrival(r->t_s);
      if (!t) continue;
      if (exhausted(*t)) break;
      Job j = base_job(*t);
      j.runtime_s = r->generated_tokens * class_.seconds_per_token +
                    r->context_tokens * class_.prefill_seconds_per_token;
      if (j.runtime_s <= 0) j.runtime_s = class_.prefill_seconds_per_token;
      j.trace_id = static_cast<std::int64_t>(reader_->line());
      set_deadline(j);
      return j;
    }
    done_ = true;
    return std::nullopt;
  }

 private:
  std::string path_;
  std::optional<AzureInferenceReader> reader_;
};

/// GPU pods: GPUs = num_gpu (a fractional share counts as one GPU), cores = ceil(cpu_milli / 1000),
/// run time = deletion - scheduling (never-scheduled pods are skipped).
class AlibabaSource : public TraceSourceBase {
 public:
  AlibabaSource(const model::Scenario& s, std::size_t k, std::uint64_t seed, double horizon)
      : TraceSourceBase(s, k, seed, horizon), path_(s.resolve_path(s.workload.classes[k].arrivals.file)) {
    reader_.emplace(path_);
  }

  std::optional<Job> next() override {
    while (!done_) {
      auto r = reader_->next();
      if (!r) {
        if (!start_over()) break;
        reader_.emplace(path_);
        continue;
      }
      if (r->scheduled_s < 0 || r->deletion_s <= r->scheduled_s) continue;
      const auto t = arrival(r->creation_s);
      if (!t) continue;
      if (exhausted(*t)) break;
      Job j = base_job(*t);
      j.gpus = r->num_gpu;
      j.cores = std::max(1, (r->cpu_milli + 999) / 1000);
      j.runtime_s = r->deletion_s - r->scheduled_s;
      j.trace_id = static_cast<std::int64_t>(reader_->line());
      set_deadline(j);
      return j;
    }
    done_ = true;
    return std::nullopt;
  }

 private:
  std::string path_;
  std::optional<AlibabaGpuReader> reader_;
};

}  // namespace

std::unique_ptr<JobSource> make_trace_source(const model::Scenario& s, std::size_t k, std::uint64_t seed,
                                             double horizon_s) {
  switch (s.workload.classes[k].arrivals.format) {
    case model::TraceFormat::kSwf:
      return std::make_unique<SwfSource>(s, k, seed, horizon_s);
    case model::TraceFormat::kAzureInference:
      return std::make_unique<AzureSource>(s, k, seed, horizon_s);
    case model::TraceFormat::kAlibabaGpu:
      return std::make_unique<AlibabaSource>(s, k, seed, horizon_s);
  }
  return nullptr;
}

}  // namespace suanli::workload
