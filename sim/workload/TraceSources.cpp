// Adapters from trace records to jobs: one replay loop, and per format what a record means.
#include "workload/TraceSources.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "model/Error.hpp"
#include "workload/AlibabaGpuReader.hpp"
#include "workload/AzureInferenceReader.hpp"
#include "workload/JobStream.hpp"
#include "workload/Random.hpp"
#include "workload/SwfReader.hpp"

namespace suanli::workload {

namespace {

/// Most cores one trace job may ask for (2^31 - 1: a job's size is an int).
constexpr std::int64_t kMaxJobCores = std::numeric_limits<int>::max();

/// Replays the records of `Format::Reader` as jobs: time shift and scaling, start_s, horizon,
/// max_jobs, repeat, and seeded origin draws. `Format` says what a record means (static functions
/// `time_s`, `accept` and `fill`).
template <typename Format>
class ReplaySource : public JobSource {
 public:
  ReplaySource(const model::Scenario& s, std::size_t class_index, std::uint64_t seed, double horizon_s)
      : class_(s.workload.classes[class_index]),
        class_index_(class_index),
        horizon_s_(horizon_s),
        path_(s.resolve_path(class_.arrivals.file)),
        rng_(Random::derive(seed, 2 * class_index + 1)),
        origins_(origin_cumulative_weights(s, class_)) {
    reader_.emplace(path_);
  }

  std::optional<Job> next() override {
    while (!done_) {
      auto r = reader_->next();
      if (!r && !any_record_) throw model::UserError(path_, "", "the trace has no records");
      any_record_ = any_record_ || r.has_value();
      if (!r) {
        if (!start_over()) break;
        reader_.emplace(path_);
        continue;
      }
      if (!Format::accept(*r)) continue;
      const auto t = arrival(Format::time_s(*r));
      if (!t) continue;
      if (*t >= horizon_s_ || (class_.arrivals.max_jobs >= 0 && emitted_ >= class_.arrivals.max_jobs)) break;
      ++emitted_;
      Job j = class_job(class_, class_index_, *t, rng_.pick_cumulative(origins_));
      Format::fill(j, *r, class_, path_, reader_->line());
      if (class_.deadline_factor > 0) j.deadline_s = j.submit_s + class_.deadline_factor * j.runtime_s;
      return j;
    }
    done_ = true;
    return std::nullopt;
  }

 private:
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

  const model::JobClass& class_;
  std::size_t class_index_;
  double horizon_s_;
  std::string path_;
  std::optional<typename Format::Reader> reader_;
  Random rng_;
  std::vector<double> origins_;
  std::optional<double> t0_;
  double last_t_ = 0;
  double offset_s_ = 0;
  std::int64_t in_pass_ = 0;
  std::int64_t emitted_ = 0;
  bool done_ = false;
  bool any_record_ = false;
};

/// SWF jobs: cores = processors x cores_per_proc, run time = the logged run time (jobs of unknown
/// size or zero length are skipped). The product is checked: a job of more than kMaxJobCores cores is
/// refused, never wrapped.
struct SwfFormat {
  using Reader = SwfReader;
  static double time_s(const SwfJob& r) { return r.submit_s; }
  static bool accept(const SwfJob& r) { return r.procs() > 0 && r.run_s > 0; }
  static void fill(Job& j, const SwfJob& r, const model::JobClass& c, const std::string& path,
                   std::size_t line) {
    const std::int64_t cores = static_cast<std::int64_t>(r.procs()) * c.cores_per_proc;
    if (cores > kMaxJobCores)
      throw model::UserError(path, "line " + std::to_string(line),
                             std::to_string(r.procs()) + " processors x cores_per_proc " +
                                 std::to_string(c.cores_per_proc) + " = " + std::to_string(cores) +
                                 " cores: more than a job may hold (" + std::to_string(kMaxJobCores) + ")");
    j.cores = static_cast<int>(cores);
    j.gpus = 0;
    j.runtime_s = r.run_s;
    j.walltime_s = r.requested_time_s > 0 ? r.requested_time_s : 0;
    j.trace_id = r.id;
  }
};

/// LLM inference requests: run time = generated x seconds_per_token + context x prefill.
struct AzureFormat {
  using Reader = AzureInferenceReader;
  static double time_s(const InferenceRequest& r) { return r.t_s; }
  static bool accept(const InferenceRequest&) { return true; }
  static void fill(Job& j, const InferenceRequest& r, const model::JobClass& c, const std::string&,
                   std::size_t line) {
    j.runtime_s = r.generated_tokens * c.seconds_per_token + r.context_tokens * c.prefill_seconds_per_token;
    if (j.runtime_s <= 0) j.runtime_s = c.prefill_seconds_per_token;
    j.trace_id = static_cast<std::int64_t>(line);
  }
};

/// GPU pods: GPUs = num_gpu (a fractional share counts as one GPU), cores = ceil(cpu_milli / 1000),
/// run time = deletion - scheduling (never-scheduled pods are skipped).
struct AlibabaFormat {
  using Reader = AlibabaGpuReader;
  static double time_s(const GpuPod& r) { return r.creation_s; }
  static bool accept(const GpuPod& r) { return r.scheduled_s >= 0 && r.deletion_s > r.scheduled_s; }
  static void fill(Job& j, const GpuPod& r, const model::JobClass&, const std::string&, std::size_t line) {
    j.gpus = r.num_gpu;
    j.cores = static_cast<int>(std::max<std::int64_t>(1, (std::int64_t{r.cpu_milli} + 999) / 1000));
    j.runtime_s = r.deletion_s - r.scheduled_s;
    j.trace_id = static_cast<std::int64_t>(line);
  }
};

/// Every accepted record of a trace as a job shape.
template <typename Format>
std::shared_ptr<const ShapeTable> read_shapes(const model::Scenario& s, std::size_t k) {
  const auto& c = s.workload.classes[k];
  const auto path = s.resolve_path(c.arrivals.file);
  typename Format::Reader reader(path);
  auto table = std::make_shared<ShapeTable>();
  double total = 0;
  while (auto r = reader.next()) {
    if (!Format::accept(*r)) continue;
    Job j = class_job(c, k, 0, 0);
    Format::fill(j, *r, c, path, reader.line());
    table->shapes.push_back({j.cores, j.gpus, j.runtime_s, j.walltime_s, j.trace_id});
    total += j.runtime_s;
    table->cumulative_runtime_s.push_back(total);
  }
  if (table->shapes.empty()) throw model::UserError(path, "", "the trace has no records to resample");
  return table;
}

}  // namespace

std::shared_ptr<const ShapeTable> load_trace_shapes(const model::Scenario& s, std::size_t k) {
  switch (s.workload.classes[k].arrivals.format) {
    case model::TraceFormat::kSwf:
      return read_shapes<SwfFormat>(s, k);
    case model::TraceFormat::kAzureInference:
      return read_shapes<AzureFormat>(s, k);
    case model::TraceFormat::kAlibabaGpu:
      return read_shapes<AlibabaFormat>(s, k);
  }
  return nullptr;
}

std::unique_ptr<JobSource> make_trace_source(const model::Scenario& s, std::size_t k, std::uint64_t seed,
                                             double horizon_s) {
  switch (s.workload.classes[k].arrivals.format) {
    case model::TraceFormat::kSwf:
      return std::make_unique<ReplaySource<SwfFormat>>(s, k, seed, horizon_s);
    case model::TraceFormat::kAzureInference:
      return std::make_unique<ReplaySource<AzureFormat>>(s, k, seed, horizon_s);
    case model::TraceFormat::kAlibabaGpu:
      return std::make_unique<ReplaySource<AlibabaFormat>>(s, k, seed, horizon_s);
  }
  return nullptr;
}

}  // namespace suanli::workload
