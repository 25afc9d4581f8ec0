// The controller of a run: one SimGrid actor that replays arrivals, places each job with its class's
// policy (enforcing capacity and budgets), sends input data over the SimGrid network, queues jobs per
// site pool, starts them on the executor and handles the agenda of completions and timers. Its parts
// live in their own files: Controller.cpp (the event loop, placement, queues, services, the end of a
// run), Outages.cpp (sites and plants out of service and back), PowerManager.* (idle power-off, boot,
// DVFS), SiteSampler.* (per-interval site records and the facility). Engine-internal.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <simgrid/s4u/Activity.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "energy/Conditions.hpp"
#include "engine/JobExecutor.hpp"
#include "engine/PowerManager.hpp"
#include "engine/RunState.hpp"
#include "engine/SiteSampler.hpp"
#include "engine/StepGate.hpp"
#include "io/OutputFile.hpp"
#include "metrics/Progress.hpp"
#include "metrics/RunMetrics.hpp"
#include "model/Scenario.hpp"
#include "platform/PlatformSpec.hpp"
#include "policy/CarbonOutlook.hpp"
#include "policy/Placement.hpp"
#include "policy/QueueScheduler.hpp"
#include "topology/Graph.hpp"
#include "workload/JobStream.hpp"

namespace suanli::engine {

using workload::Job;

/// What one outage did (summary.json "outages").
struct OutageCount {
  std::uint64_t running = 0, waiting = 0, replaced = 0, lost = 0;
  std::uint64_t hosts = 0;                               ///< SimGrid hosts taken out
  std::vector<std::pair<std::size_t, std::size_t>> out;  ///< (pool, host) taken out, restored at the repair
  std::set<std::uint64_t> moved;  ///< ids of the jobs it moved to other sites (placed again)
  std::uint64_t returned = 0;     ///< of those, sent back to the repaired site's queue
};

class Controller {
 public:
  Controller(const model::Scenario& s, const platform::PlatformSpec& spec, const topology::Graph& graph,
             const energy::SiteWeather& weather, const energy::GridCarbon& carbon,
             metrics::RunMetrics& metrics, JobExecutor& executor, bool progress);

  /// summary.json "outages": per outage, the jobs it hit and what became of them.
  nlohmann::json outage_summary() const;

  void run();

  /// After an error inside run(): stop every activity so the simulation ends now.
  void abandon();

  double stop_s() const { return stop_s_; }
  std::vector<metrics::SiteTotals> site_totals() const;

  /// Turns the decision log on (decisions.csv, committed by the caller).
  void set_decision_log(io::OutputFile* out);

  /// Simulate up to the horizon even when no work is left (idle hosts keep drawing power), instead of
  /// stopping when the last job ends: runs of different loads then cover the same period.
  void set_full_horizon(bool on) { full_horizon_ = on; }

  // Stepping (engine/Stepper.hpp) -----------------------------------------------------------------

  /// Lets `gate` pause the run between events; it also receives every placement decision.
  void set_gate(StepGate* gate);
  /// The time of the next sampling instant not yet handled.
  double next_sample_s() const { return next_sample_s_; }
  /// The live figures between events: per site, the GPUs and cores busy now, jobs queued and running,
  /// IT and facility power of the last sampling interval; and the jobs so far.
  nlohmann::json live_state() const;
  /// Class `job_class`'s placement policy becomes `name` from now on (every class when empty).
  /// Throws model::UserError for an unknown class or policy.
  void set_placement(const std::string& job_class, const std::string& name);
  /// Every pool's queue discipline becomes `name` from now on; the waiting jobs keep their order
  /// of arrival. Throws model::UserError for an unknown name.
  void set_queue(const std::string& name);
  const std::string& placement_name(std::size_t job_class) const { return policy_names_[job_class]; }
  const std::string& queue_name() const { return queue_name_; }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  void build_sites(const platform::PlatformSpec& spec);

  /// One-way latency from every origin to every site: over the fiber graph from a city's hub, or over
  /// straight-line access fiber from a demand point. A job's traffic enters the platform at the
  /// nearest site that has hosts.
  void build_latencies(const topology::Graph& graph);

  const std::vector<double>& latencies(const Job& job) const;
  simgrid::s4u::Host* entry_host(const Job& job) const;

  void build_classes();

  /// Asks the gate (if any) before an event at time t.
  void gate(double t) {
    if (gate_) gate_->before_event(t);
  }

  std::size_t new_slot(const Job& job);

  /// Places a job: a new arrival, or (`outage` >= 0) one moved off a site that went out of service,
  /// which is recorded as lost rather than rejected when no site takes it. Returns whether it was placed.
  bool arrive(const Job& job, std::ptrdiff_t outage = -1);

  /// Brings SimGrid's clock to the controller's before a transfer starts or is waited on (with the
  /// exact executor it may lag behind while nothing is in flight).
  void sync_clock();

  /// Sends the job's input to its site (if any), then queues it there.
  void dispatch(std::size_t slot);

  /// One line of decisions.csv: the candidates the policy saw, what it chose and why.
  void log_decision(const policy::PlacementRequest& r,
                    const std::optional<policy::PlacementDecision>& choice);

  void reject(const Job& job, std::ptrdiff_t site, std::string_view reason, double rtt,
              std::ptrdiff_t outage = -1);

  void enqueue(std::size_t slot);

  /// Starts what the pool's queue discipline picks, then boots hosts if the first waiting job needs
  /// some that are off.
  void try_start(Pool& pool);

  /// Backfilling: the scheduler sees the running jobs' expected ends and the first `window` waiting jobs.
  void backfill(Pool& pool);
  /// A pool's queue scheduler, of the current discipline (a fresh one: no reservations kept).
  std::unique_ptr<policy::QueueScheduler> make_scheduler(const Pool& pool) const;

  /// What the scheduler is told a job will take: its requested time, else its run time; a cloud
  /// service holds its cores until the horizon.
  double estimate(const Job& job, double now) const;

  /// Allocates and starts one queued job; false when it does not fit now.
  bool start_job(Pool& pool, std::size_t slot);

  /// A timer: a deferred job's release, an outage's start or end, or a host's power event.
  void fire(const Timer& t);

  /// The first job waiting in the pool's queue, if any.
  const Job* first_waiting(const Pool& pool) const {
    return pool.queue.empty() ? nullptr : &jobs_[pool.queue.front()].job;
  }

  /// A cloud service runs one segment per sampling interval, with round(cores x utilization(t)) of its
  /// cores busy, until the horizon.
  void start_segment(std::size_t slot);

  void push_completion(std::size_t slot, double end);

  void finish(std::size_t slot);

  // Outages -------------------------------------------------------------------------------------

  /// The hosts of a site that an outage takes out, per pool. A whole site: every host. A cooling or
  /// UPS failure: with `units` units failed the plant carries usable_w; if that is less than the
  /// installed servers' full-load power, each pool keeps its first hosts up to that share of its
  /// full-load power (the site's first host always stays) and the others go out.
  std::array<std::vector<std::size_t>, 2> hosts_out(std::size_t site_index, const model::Outage& o) const;

  /// Full-load power of one SimGrid host (all its servers).
  static double host_max_w(const Pool& pool, std::size_t h);

  /// An outage begins. The jobs running on the hosts it takes out stop (their work is lost); for a
  /// whole site, its queued, deferred and incoming jobs leave too. Each is placed again as if it had
  /// just arrived (keeping its submit time and deadline), or recorded as lost with the reason. The
  /// hosts switch off, except the site's first, which carries its network traffic in SimGrid (idle,
  /// it takes no job; its energy is counted).
  void outage_start(std::size_t site_index, std::size_t outage);

  /// Places a job taken off failed hosts again (from scratch: it keeps its submit time and deadline).
  void move_off(std::size_t slot, std::size_t outage);

  /// The repair: the hosts the outage took out switch on, idle, and take jobs again; with
  /// scheduling.after_repair = return, the jobs it moved that still wait elsewhere come back.
  void outage_end(std::size_t site_index, std::size_t outage);

  /// Sends the jobs `outage` moved that still wait in another site's queue back to the repaired site.
  void return_moved(std::size_t site_index, std::size_t outage);

  /// At the stop time: record what is still running, queued or in transfer, read the energy, and
  /// cancel the remaining activities so the simulation ends here.
  void wind_down();

  /// The job's load on its site's utilization from now on: +1 when it (a service: a segment) starts,
  /// -1 when it ends or stops. Cores on CPU-only hosts, GPUs on GPU hosts, times its weight.
  void count_busy(const ActiveJob& a, int sign);

  void unfinished(const ActiveJob& a, std::string_view reason);

  const model::Scenario& s_;
  metrics::RunMetrics& metrics_;
  JobExecutor& executor_;
  workload::MergedStream stream_;
  metrics::ProgressBar progress_;
  std::vector<SiteRuntime> sites_;
  std::vector<std::vector<double>> latency_[2];     ///< [city | demand point][site] one-way, s
  std::vector<simgrid::s4u::Host*> entry_host_[2];  ///< [city | demand point] where its traffic enters
  std::vector<std::unique_ptr<policy::PlacementPolicy>> policies_;
  std::vector<std::vector<bool>> allowed_;
  std::vector<double> budget_;
  std::vector<policy::SiteView> views_;
  std::vector<ActiveJob> jobs_;
  std::vector<std::size_t> free_slots_;
  std::vector<simgrid::s4u::ActivityPtr> comms_;
  std::vector<std::size_t> comm_slots_;
  std::vector<ExecPart> parts_;
  std::size_t queued_ = 0;
  std::size_t deferred_ = 0;
  std::vector<policy::RunningJob> running_view_;
  std::vector<policy::WaitingJob> waiting_view_;
  std::vector<std::size_t> started_;
  policy::CarbonOutlook outlook_;
  Agenda agenda_;
  PowerManager power_;
  SiteSampler sampler_;
  std::vector<std::string> policy_names_;      ///< per class
  std::vector<std::string> policy_summaries_;  ///< per class: the registry's one-line summary
  io::OutputFile* decisions_ = nullptr;
  double stop_s_ = 0;
  bool full_horizon_ = false;
  double now_ = 0;                     ///< the controller's clock: the time of the event being handled
  double next_sample_s_ = 0;           ///< the next sampling instant
  std::uint64_t arrived_ = 0;          ///< arrivals so far (each job once)
  std::string queue_name_;             ///< the queue discipline now (scheduling.queue at the start)
  model::QueueDiscipline queue_kind_;  ///< which kind queue_name_ is (fast paths for fcfs and easy)
  StepGate* gate_ = nullptr;
  std::vector<OutageCount> outage_counts_;  ///< per scenario outage
  std::vector<std::size_t> outage_of_;      ///< per site: the outage it is in (while down)
};

}  // namespace suanli::engine
