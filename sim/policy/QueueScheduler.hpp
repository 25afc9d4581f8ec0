// Queues inside a cluster: which waiting jobs of one site pool start now (no SimGrid here).
//
// The scheduler sees the pool as two aggregate resources (cores, GPUs), the running jobs with the
// time each is expected to end (start + its requested time), and the queue in arrival order. It
// returns nothing; it calls `try_start(position)` for each queued job it wants to start now, in the
// order it wants them started. The engine answers whether the job really started: the pool may
// refuse because of how free capacity is spread over hosts (a GPU job needs one host). A refused job
// is treated as not startable now. A scheduler may keep state between calls (conservative
// backfilling keeps its reservations), so one instance serves one queue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace suanli::model {
struct Scenario;
}

namespace suanli::policy {

/// A running job as the queue sees it.
struct RunningJob {
  double expected_end_s = 0;  ///< start + requested time; a job past it is expected to end now
  int cores = 0;
  int gpus = 0;
};

/// A waiting job, in queue order.
struct WaitingJob {
  int cores = 0;
  int gpus = 0;
  double estimate_s = 0;      ///< requested time (walltime) or, when unknown, the run time
  std::uint64_t id = 0;       ///< stable identity across calls (the engine's job id), unique in the queue
  double submit_s = 0;        ///< when the job was submitted
  std::size_t job_class = 0;  ///< index into the scenario's workload classes
};

/// The running jobs in order of expected end (earliest first; never-ending ones last): visit(job) is
/// called for each until it returns false. Lets a scheduler that needs only the earliest ends (EASY)
/// read them without a copy of every running job.
using RunningByEnd = std::function<void(const std::function<bool(const RunningJob&)>& visit)>;

struct QueueState {
  double now_s = 0;
  std::int64_t cores_free = 0;  ///< free now on hosts that can take work
  std::int64_t gpus_free = 0;
  std::span<const RunningJob> running;  ///< in any order (empty when running_by_end is given)
  std::span<const WaitingJob> queue;
  RunningByEnd running_by_end;  ///< optional: the same jobs in order of expected end
};

/// Free cores and GPUs over future time, a step function from now on: the availability profile of
/// backfilling schedulers. Free capacity may go negative (reservations kept from earlier calls that
/// overbook a capacity that shrank, e.g. behind a job past its expected end): such steps fit nothing.
class Profile {
 public:
  /// Free capacity now, plus each running job's resources released at its expected end (ends in the
  /// past count as now).
  Profile(double now_s, std::int64_t cores_free, std::int64_t gpus_free, std::span<const RunningJob> running);
  /// Earliest t >= now at which (cores, gpus) stay free for `duration_s`; +inf when never.
  double earliest_start(int cores, int gpus, double duration_s) const;
  /// Takes (cores, gpus) over [start_s, start_s + duration_s).
  void reserve(double start_s, double duration_s, int cores, int gpus);
  /// Gives back what reserve(start_s, duration_s, cores, gpus) took.
  void release(double start_s, double duration_s, int cores, int gpus);
  /// Free capacity at time t.
  std::int64_t cores_at(double t) const;
  std::int64_t gpus_at(double t) const;

 private:
  struct Step {
    double t;
    std::int64_t cores, gpus;  ///< free from t until the next step
  };
  std::vector<Step> steps_;  ///< sorted by t, first at now
  std::size_t split(double t);
};

class QueueScheduler {
 public:
  virtual ~QueueScheduler() = default;
  virtual std::string_view name() const = 0;
  /// Calls try_start(position in state.queue) for each job to start now; try_start returns whether
  /// it started. Positions are offered at most once per call.
  virtual void schedule(const QueueState& state, const std::function<bool(std::size_t)>& try_start) = 0;
};

/// First come, first served: start jobs in order until one does not start.
class FcfsScheduler : public QueueScheduler {
 public:
  std::string_view name() const override { return "fcfs"; }
  void schedule(const QueueState& state, const std::function<bool(std::size_t)>& try_start) override;
};

/// EASY backfilling (Lifka 1995): FCFS until the first job that cannot start; that job gets a
/// reservation at the earliest time the running jobs' expected ends allow (the shadow time); later
/// jobs (within `window` positions) start now if doing so leaves the reservation intact. Decided
/// without a step profile, from the running jobs in order of expected end (see the .cpp): with
/// QueueState::running_by_end it reads only the ends up to the head's reservation.
class EasyScheduler : public QueueScheduler {
 public:
  explicit EasyScheduler(std::size_t window = 256) : window_(window) {}
  std::string_view name() const override { return "easy"; }
  void schedule(const QueueState& state, const std::function<bool(std::size_t)>& try_start) override;

 private:
  struct End {
    double t;
    std::int64_t cores, gpus;  ///< released at t
  };
  std::size_t window_;
  std::vector<End> ends_;     ///< scratch
  std::vector<End> started_;  ///< scratch: ends of the jobs started in this call, in time order
};

/// Conservative backfilling with compression (Mu'alem & Feitelson 2001): every job within `window`
/// positions gets a reservation when it first comes into view, and keeps it across calls. Each call
/// holds all kept reservations, then, in queue order, moves each job to the earliest start that its
/// own slot and the free capacity allow (never later than before while estimates hold, so no job
/// ever delays an earlier reservation); a job starts when its reservation is now. A job refused by
/// the pool stays reserved at now; one that can never fit gets no reservation. Reservations are kept
/// by WaitingJob::id and forgotten when the job leaves the window, so one instance serves one queue.
class ConservativeScheduler : public QueueScheduler {
 public:
  explicit ConservativeScheduler(std::size_t window = 256) : window_(window) {}
  std::string_view name() const override { return "conservative"; }
  void schedule(const QueueState& state, const std::function<bool(std::size_t)>& try_start) override;
  /// Start of the reservation the waiting job `id` holds after the last call; none when it has none.
  std::optional<double> reservation_of(std::uint64_t id) const;

 private:
  struct Reservation {
    double start_s, duration_s;
    int cores, gpus;
  };
  std::size_t window_;
  std::unordered_map<std::uint64_t, Reservation> reservations_;  ///< by job id, after the last call
  std::unordered_map<std::uint64_t, Reservation> next_;          ///< scratch: those being made
  std::vector<std::optional<Reservation>> held_;                 ///< scratch: kept ones, by position
};

/// What a scheduler is made for: one pool (the CPU or the GPU hosts) of one site in a run.
struct QueueContext {
  std::size_t window = 256;                   ///< backfilling look-ahead: the engine offers this many jobs
  const model::Scenario* scenario = nullptr;  ///< the run's scenario; nullptr outside a run
  std::size_t site = 0;                       ///< index into scenario->sites
  bool gpu_pool = false;                      ///< the site's GPU hosts (else its CPU hosts)
};

/// Makes a scheduler added at run time.
using QueueFactory = std::function<std::unique_ptr<QueueScheduler>(const QueueContext&)>;

/// Adds a queue discipline under `name` for this process (how the Python module plugs in Python
/// callables); make_queue_scheduler and a scenario's /scheduling/queue then accept the name. A
/// built-in name cannot be replaced (std::invalid_argument); adding a name again replaces the
/// previous addition.
void add_queue_scheduler(const std::string& name, const std::string& summary, QueueFactory make);
/// Whether `name` is one of the built-in disciplines (fcfs, easy, conservative).
bool is_builtin_queue_scheduler(std::string_view name);
/// Names accepted by make_queue_scheduler: the built-in ones, then those added.
std::vector<std::string> queue_scheduler_names();
/// The one-line summary of a built-in or added discipline ("" when unknown).
std::string queue_scheduler_summary(std::string_view name);
/// The scheduler of that name (window: backfilling look-ahead), or nullptr when unknown.
std::unique_ptr<QueueScheduler> make_queue_scheduler(std::string_view name, std::size_t window = 256);
/// The same for a pool of a run: added disciplines get the context.
std::unique_ptr<QueueScheduler> make_queue_scheduler(std::string_view name, const QueueContext& context);

}  // namespace suanli::policy
