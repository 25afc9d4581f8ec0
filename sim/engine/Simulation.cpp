// The engine: one controller actor replays arrivals, places jobs, queues them per site pool, starts
// them on an executor (engine/JobExecutor.hpp: exact by default, SimGrid execs as the reference) and
// samples the sites. Jobs end at known times (capacity is never oversubscribed), so the controller keeps
// its own clock `now_`, the time of the event it handles; SimGrid's clock follows it to every event
// with the SimGrid executor, and only while an input transfer is in flight with the exact one (the
// network's sharing decides when a transfer ends).
#include "engine/Simulation.hpp"

#include <simgrid/s4u/Activity.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <queue>

#include "energy/Conditions.hpp"
#include "energy/Facility.hpp"
#include "engine/JobExecutor.hpp"
#include "metrics/OutputFile.hpp"
#include "metrics/Progress.hpp"
#include "metrics/RunMetrics.hpp"
#include "model/Error.hpp"
#include "model/Summary.hpp"
#include "platform/PlatformSpec.hpp"
#include "platform/SimGridPlatform.hpp"
#include "policy/CarbonOutlook.hpp"
#include "policy/ClassRules.hpp"
#include "policy/Placement.hpp"
#include "policy/Power.hpp"
#include "policy/QueueScheduler.hpp"
#include "policy/SitePool.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"
#include "workload/JobStream.hpp"
#include "workload/Random.hpp"

namespace sg4 = simgrid::s4u;

namespace suanli::engine {

namespace {

using workload::Job;

/// One queue-and-hosts unit of a site: its CPU-only hosts, or its hosts with GPUs.
struct Pool {
  Pool(std::size_t site_, std::size_t index_, std::vector<policy::HostCapacity> caps, policy::Fit fit)
      : site(site_), index(index_), resources(std::move(caps), fit) {}
  std::size_t site;
  std::size_t index;  ///< 0: CPU hosts, 1: GPU hosts
  policy::SitePool resources;
  std::vector<sg4::Host*> hosts;
  std::vector<std::size_t> ids;               ///< per host: the executor's host id
  std::vector<const model::NodeType*> types;  ///< per host
  std::vector<double> full_power_per_core_w;  ///< per host: max power / cores (energy attribution)
  std::deque<std::size_t> queue;              ///< job slots in arrival order
  std::map<std::size_t, policy::RunningJob> running_jobs;  ///< by slot: what backfilling expects of them
  std::unique_ptr<policy::QueueScheduler> scheduler;       ///< this pool's queue (keeps reservations)
  std::size_t running = 0;
  double dynamic_w_per_core = 0;  ///< (max - idle) / cores of the pool's first node type
  double cores_per_gpu = 0;       ///< of the pool's first node type (GPU pools)
  // Power management
  std::vector<policy::HostPower> power;
  std::vector<double> idle_since;  ///< when each host last became idle
  std::vector<std::uint64_t> epoch;  ///< per host: bumped when it fails or is repaired; older host timers are void
  std::size_t idle_on = 0;         ///< hosts on with nothing allocated
  std::size_t booting = 0;
  std::size_t reserve = 0;
};

/// Timed controller events besides job completions.
enum class TimerKind { kIdleCheck, kShutdownDone, kBootDone, kRelease, kOutageStart, kOutageEnd };
struct Timer {
  double time_s;
  std::uint64_t sequence;
  TimerKind kind;
  std::size_t site = 0, pool = 0, host = 0;  ///< host events
  std::size_t slot = 0;                      ///< kRelease: a deferred job
  double stamp = 0;                          ///< kIdleCheck: the idle_since it was set for
  std::uint64_t epoch = 0;                   ///< host events: the host's epoch when set (pool.epoch)
  std::size_t outage = 0;                    ///< kOutageStart / kOutageEnd: index into scenario.outages
  bool operator>(const Timer& o) const { return time_s != o.time_s ? time_s > o.time_s : sequence > o.sequence; }
};

struct SiteRuntime {
  std::vector<Pool> pools;  ///< [0] CPU hosts, [1] GPU hosts
  std::vector<sg4::Host*> hosts;
  sg4::Host* first_host = nullptr;
  double energy_at_last_sample_j = 0;
  metrics::SiteTotals totals;
  bool down = false;  ///< the whole site is out of service (an outage of kind site)
};

/// What one outage did (summary.json "outages").
struct OutageCount {
  std::uint64_t running = 0, waiting = 0, replaced = 0, lost = 0;
  std::uint64_t hosts = 0;                               ///< SimGrid hosts taken out
  std::vector<std::pair<std::size_t, std::size_t>> out;  ///< (pool, host) taken out, restored at the repair
};

struct ActiveJob {
  Job job;
  std::size_t site = 0;
  std::size_t pool = 0;
  policy::Allocation allocation;
  double start_s = -1;
  double rtt_s = 0;
  double energy_j = 0;
  bool in_transfer = false;
  bool service = false;          ///< a cloud service: runs in segments until the horizon
  double segment_start_s = 0;
  int segment_threads = 0;
  bool deferred = false;         ///< held back by its placement policy until a later start
  std::size_t pstate = 0;        ///< DVFS state of its hosts (0: fastest)
  /// The sequence of its pending completion; an entry of the completion queue with another
  /// sequence is void (the job was cancelled by an outage).
  std::uint64_t completion = std::numeric_limits<std::uint64_t>::max();
};

struct Completion {
  double time_s;
  std::uint64_t sequence;
  std::size_t slot;
  bool operator>(const Completion& o) const {
    return time_s != o.time_s ? time_s > o.time_s : sequence > o.sequence;
  }
};

class Controller {
 public:
  Controller(const model::Scenario& s, const platform::PlatformSpec& spec, const topology::Graph& graph,
             const energy::SiteWeather& weather, const energy::GridCarbon& carbon, metrics::RunMetrics& metrics,
             JobExecutor& executor, bool progress)
      : s_(s), weather_(weather), carbon_(carbon), metrics_(metrics), executor_(executor),
        stream_(workload::make_job_stream(s, s.horizon_s)), progress_(s.horizon_s, std::cerr, progress),
        outlook_(s.energy, carbon) {
    for (const auto& site : s.sites) facility_.push_back(energy::site_facility(s, site));
    build_sites(spec);
    build_latencies(graph);
    build_classes();
    update_marginal_facility(0);
    start_power_management();
    outage_counts_.resize(s.outages.size());
    outage_of_.resize(s.sites.size());
    for (std::size_t k = 0; k < s.outages.size(); ++k) {
      const auto& o = s.outages[k];
      const auto site = static_cast<std::size_t>(s.find_site(o.site) - s.sites.data());
      timers_.push({o.start_s, sequence_++, TimerKind::kOutageStart, site, 0, 0, 0, 0, 0, k});
      timers_.push({o.end_s, sequence_++, TimerKind::kOutageEnd, site, 0, 0, 0, 0, 0, k});
    }
  }

  /// summary.json "outages": per outage, the jobs it hit and what became of them.
  nlohmann::json outage_summary() const {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t k = 0; k < s_.outages.size(); ++k) {
      const auto& o = s_.outages[k];
      const auto& c = outage_counts_[k];
      nlohmann::json j = {{"site", o.site}, {"what", model::to_string(o.what)}, {"start_s", o.start_s},
                          {"end_s", o.end_s}, {"hosts_out", c.hosts}, {"running", c.running}, {"waiting", c.waiting},
                          {"replaced", c.replaced}, {"lost", c.lost}};
      if (o.what != model::OutageKind::kSite) j["units"] = o.units;
      out.push_back(j);
    }
    return out;
  }

  void run() {
    auto next_job = stream_.next();
    double next_sample = s_.outputs.sampling_interval_s;
    const double horizon = s_.horizon_s;
    while (true) {
      const double t_arrival = next_job ? next_job->submit_s : kInf;
      const double t_done = completions_.empty() ? kInf : completions_.top().time_s;
      const double t_timer = timers_.empty() ? kInf : timers_.top().time_s;
      const bool idle = !next_job && completions_.empty() && comms_.empty() && queued_ == 0 && deferred_ == 0;
      if (idle) break;
      const double t_next = std::min({t_arrival, t_done, t_timer, next_sample, horizon});
      if (!comms_.empty()) {
        sync_clock();
        const ssize_t done = sg4::Activity::wait_any_for(comms_, std::max(0.0, t_next - sg4::Engine::get_clock()));
        if (done >= 0) {  // a transfer ended: the network decided when
          now_ = std::max(now_, sg4::Engine::get_clock());
          const auto slot = comm_slots_[static_cast<std::size_t>(done)];
          comms_.erase(comms_.begin() + done);
          comm_slots_.erase(comm_slots_.begin() + done);
          jobs_[slot].in_transfer = false;
          enqueue(slot);
          continue;
        }
      } else if (t_next > now_ && executor_.needs_clock()) {
        sg4::this_actor::sleep_until(t_next);
      }
      // The event's own time, not SimGrid's clock: that clock carries the rounding of its solver
      // steps, and both executors must see the same times.
      now_ = std::max(now_, t_next);
      const double now = now_;
      while (!completions_.empty() && completions_.top().time_s <= now) {
        const auto c = completions_.top();
        completions_.pop();
        if (jobs_[c.slot].completion == c.sequence) finish(c.slot);
      }
      while (!timers_.empty() && timers_.top().time_s <= now) {
        const Timer timer = timers_.top();
        timers_.pop();
        fire(timer);
      }
      while (next_job && next_job->submit_s <= now) {
        arrive(*next_job);
        next_job = stream_.next();
      }
      if (next_sample <= now) {
        sample(next_sample);
        update_marginal_facility(next_sample);
        next_sample += s_.outputs.sampling_interval_s;
      }
      progress_.update(now, metrics_.jobs_recorded());
      if (now >= horizon) break;  // after the events of the horizon itself (last sample included)
    }
    stop_s_ = std::min(horizon, now_);
    wind_down();
    progress_.finish();
  }

  /// After an error inside run(): stop every activity so the simulation ends now.
  void abandon() {
    while (!completions_.empty()) {
      executor_.cancel(completions_.top().slot, now_);
      completions_.pop();
    }
    for (auto& c : comms_) c->cancel();
    comms_.clear();
  }

  double stop_s() const { return stop_s_; }
  std::vector<metrics::SiteTotals> site_totals() const {
    std::vector<metrics::SiteTotals> out;
    for (const auto& site : sites_) out.push_back(site.totals);
    return out;
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  void build_sites(const platform::PlatformSpec& spec) {
    sites_.resize(s_.sites.size());
    const auto fit = s_.scheduling.allocation == model::AllocationStrategy::kBestFit ? policy::Fit::kBest
                                                                                   : policy::Fit::kFirst;
    for (const auto& zone : spec.zones) {
      std::vector<policy::HostCapacity> caps[2];
      std::vector<sg4::Host*> hosts[2];
      std::vector<double> power[2];
      std::vector<const model::NodeType*> types[2];
      std::vector<std::size_t> ids[2];
      for (const auto& g : zone.groups) {
        const auto& type = s_.node_types[g.node_type];
        const int pool = type.gpus > 0 ? 1 : 0;
        for (std::int64_t i = 0; i < g.host_count(); ++i) {
          const auto servers = g.servers_in_host(i);
          auto* host = sg4::Host::by_name(platform::host_name(s_, zone, g, i));
          caps[pool].push_back({static_cast<int>(type.cores * servers), static_cast<int>(type.gpus * servers)});
          hosts[pool].push_back(host);
          ids[pool].push_back(executor_.add_host(host, zone.site, platform::host_power_profile(type, servers)));
          power[pool].push_back(type.pstates.front().max_w / type.cores);
          types[pool].push_back(&type);
          sites_[zone.site].hosts.push_back(host);
        }
      }
      auto& site = sites_[zone.site];
      for (int p = 0; p < 2; ++p) {
        auto& pool = site.pools.emplace_back(zone.site, static_cast<std::size_t>(p), std::move(caps[p]), fit);
        pool.hosts = std::move(hosts[p]);
        pool.ids = std::move(ids[p]);
        pool.full_power_per_core_w = std::move(power[p]);
        pool.types = std::move(types[p]);
        pool.scheduler = policy::make_queue_scheduler(model::to_string(s_.scheduling.queue),
                                                      static_cast<std::size_t>(s_.scheduling.backfill_window));
        if (!pool.types.empty()) {
          const auto& t = *pool.types.front();
          pool.dynamic_w_per_core = (t.pstates.front().max_w - t.pstates.front().idle_w) / t.cores;
          pool.cores_per_gpu = t.gpus > 0 ? static_cast<double>(t.cores) / t.gpus : 0;
        }
        const std::size_t n = pool.hosts.size();
        pool.power.assign(n, policy::HostPower::kOn);
        pool.idle_since.assign(n, 0.0);
        pool.epoch.assign(n, 0);
        pool.idle_on = n;
        pool.reserve = policy::reserve_hosts(s_.scheduling.power.reserve_fraction, n);
      }
      site.first_host = site.hosts.empty() ? nullptr : site.hosts.front();
      site.totals.cores_total = site.pools[0].resources.cores_total();
      site.totals.gpus_total = site.pools[1].resources.gpus_total();
    }
  }

  /// One-way latency from every origin to every site: over the fiber graph from a city's hub, or over
  /// straight-line access fiber from a demand point. A job's traffic enters the platform at the
  /// nearest site that has hosts.
  void build_latencies(const topology::Graph& graph) {
    auto lat = policy::origin_latencies(s_, graph);
    for (int level = 0; level < 2; ++level) {
      latency_[level] = std::move(level == 0 ? lat.city : lat.point);
      entry_host_[level].assign(latency_[level].size(), nullptr);
      for (std::size_t o = 0; o < latency_[level].size(); ++o) {
        double best = kInf;
        for (std::size_t i = 0; i < s_.sites.size(); ++i)
          if (sites_[i].first_host && latency_[level][o][i] < best) {
            best = latency_[level][o][i];
            entry_host_[level][o] = sites_[i].first_host;
          }
      }
    }
  }

  static int level_of(const model::JobClass& c) { return c.origin_level == model::OriginLevel::kCity ? 0 : 1; }
  const std::vector<double>& latencies(const Job& job) const {
    return latency_[level_of(s_.workload.classes[job.job_class])][job.origin];
  }
  sg4::Host* entry_host(const Job& job) const {
    return entry_host_[level_of(s_.workload.classes[job.job_class])][job.origin];
  }

  void build_classes() {
    for (std::size_t k = 0; k < s_.workload.classes.size(); ++k) {
      const auto& c = s_.workload.classes[k];
      auto rules = policy::class_rules(s_, k);
      const std::string& name = rules.placement;
      try {
        policies_.push_back(policy::make_placement(name, c.placement_params, workload::Random::derive(s_.seed, 1000 + k)));
        policy_names_.push_back(name);
        for (const auto& info : policy::placement_registry())
          if (info.name == name) policy_summaries_.emplace_back(info.summary);
      } catch (const policy::PolicyError& e) {
        throw model::UserError(s_.source_file, "/workload/classes/" + std::to_string(k) + "/placement", e.what());
      }
      allowed_.push_back(std::move(rules.allowed));
      budget_.push_back(rules.budget_s);
    }
    views_.resize(s_.sites.size());
  }

  std::size_t new_slot(const Job& job) {
    std::size_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = jobs_.size();
      jobs_.emplace_back();
    }
    jobs_[slot] = ActiveJob{};
    jobs_[slot].job = job;
    return slot;
  }

  /// Places a job: a new arrival, or (`outage` >= 0) one moved off a site that went out of service,
  /// which is recorded as lost rather than rejected when no site takes it. Returns whether it was placed.
  bool arrive(const Job& job, std::ptrdiff_t outage = -1) {
    const std::size_t pool = job.gpus > 0 ? 1 : 0;
    const auto& allowed = allowed_[job.job_class];
    const auto& origin_latency = latencies(job);
    bool any_eligible = false;
    for (std::size_t i = 0; i < sites_.size(); ++i) {
      auto& v = views_[i];
      const auto& p = sites_[i].pools[pool];
      v.site = i;
      v.eligible = allowed[i] && !sites_[i].down && p.resources.could_fit(job.cores, job.gpus);
      any_eligible = any_eligible || v.eligible;
      v.latency_s = origin_latency[i];
      v.cores_total = p.resources.cores_total();
      v.cores_free = p.resources.cores_free();
      v.cores_off = p.resources.cores_off();
      v.gpus_total = p.resources.gpus_total();
      v.gpus_free = p.resources.gpus_free();
      v.gpus_off = p.resources.gpus_off();
      v.queued = p.queue.size();
      v.running = p.running;
      v.liquid_share = s_.sites[i].cooling.liquid_share;
      const double threads = job.gpus > 0 ? p.cores_per_gpu * job.gpus : job.cores;
      v.job_it_w = threads * p.dynamic_w_per_core;
      v.facility_w_per_it_w = marginal_facility_[i];
      v.carbon_kg_per_kwh = carbon_now_;
    }
    const double budget = budget_[job.job_class];
    const auto& cls = s_.workload.classes[job.job_class];
    const policy::PlacementRequest request{job, now_, budget, views_, cls.deferrable, &outlook_};
    const auto choice = policies_[job.job_class]->place(request);
    if (decisions_) log_decision(request, choice);
    if (!choice) {
      reject(job, -1, any_eligible && budget > 0 ? "budget" : "no_site", 0, outage);
      return false;
    }
    // The engine enforces capacity and the budget whatever the policy said.
    const std::size_t site = choice->site;
    const double rtt = 2 * origin_latency[site];
    if (site >= sites_.size() || !views_[site].eligible) {
      reject(job, static_cast<std::ptrdiff_t>(site), "no_capacity", rtt, outage);
      return false;
    }
    if (budget > 0 && rtt > budget * (1 + 1e-12)) {
      reject(job, static_cast<std::ptrdiff_t>(site), "budget", rtt, outage);
      return false;
    }
    const std::size_t slot = new_slot(job);
    auto& a = jobs_[slot];
    a.site = site;
    a.pool = pool;
    a.rtt_s = rtt;
    const double now = now_;
    if (choice->start_not_before_s > now && std::isfinite(choice->start_not_before_s)) {
      a.deferred = true;
      ++deferred_;
      timers_.push({choice->start_not_before_s, sequence_++, TimerKind::kRelease, site, pool, 0, slot, 0});
      return true;
    }
    dispatch(slot);
    return true;
  }

  /// Brings SimGrid's clock to the controller's before a transfer starts or is waited on (with the
  /// exact executor it may lag behind while nothing is in flight).
  void sync_clock() {
    if (sg4::Engine::get_clock() < now_) sg4::this_actor::sleep_until(now_);
  }

  /// Sends the job's input to its site (if any), then queues it there.
  void dispatch(std::size_t slot) {
    auto& a = jobs_[slot];
    sg4::Host* from = entry_host(a.job);
    sg4::Host* to = sites_[a.site].first_host;
    if (a.job.input_bytes > 0 && from && to && from != to) {
      sync_clock();
      a.in_transfer = true;
      comms_.push_back(sg4::Comm::sendto_async(from, to, static_cast<std::uint64_t>(a.job.input_bytes)));
      comm_slots_.push_back(slot);
      return;
    }
    enqueue(slot);
  }

  /// One line of decisions.csv: the candidates the policy saw, what it chose and why.
  void log_decision(const policy::PlacementRequest& r, const std::optional<policy::PlacementDecision>& choice) {
    std::string candidates;
    for (const auto& v : r.sites)
      if (policy::candidate(r, v)) candidates += (candidates.empty() ? "" : ";") + s_.sites[v.site].name;
    const auto& name = policy_names_[r.job.job_class];
    std::string why = policy_summaries_[r.job.job_class];
    std::string chosen;
    if (!choice) {
      why = candidates.empty() ? "rejected: no eligible site within the budget" : "rejected by the policy";
    } else {
      chosen = choice->site < s_.sites.size() ? s_.sites[choice->site].name : "?";
      if (choice->start_not_before_s > r.now_s)
        why += "; deferred to t = " + metrics::format_double(choice->start_not_before_s) + " s";
    }
    decisions_->write(metrics::format_double(r.now_s) + "," + std::to_string(r.job.id) + "," +
                      metrics::csv_escape(s_.workload.classes[r.job.job_class].name) + "," + name + "," +
                      metrics::csv_escape(candidates) + "," + metrics::csv_escape(chosen) + "," +
                      metrics::csv_escape(why) + "\n");
  }

 public:
  /// Turns the decision log on (decisions.csv, committed by the caller).
  void set_decision_log(metrics::OutputFile* out) {
    decisions_ = out;
    if (decisions_) decisions_->write("time_s,job,class,policy,candidates,chosen,why\n");
  }

 private:
  void reject(const Job& job, std::ptrdiff_t site, std::string_view reason, double rtt, std::ptrdiff_t outage = -1) {
    metrics::JobRecord r;
    r.outcome = metrics::Outcome::kRejected;
    r.reason = reason;
    if (outage >= 0) {  // moved off a failed site and taken nowhere else
      r.outcome = metrics::Outcome::kLost;
      r.reason = reason == "budget" ? "outage_no_site_within_budget" : reason == "no_capacity" ? "outage_no_capacity"
                                                                                            : "outage_no_site";
      ++outage_counts_[static_cast<std::size_t>(outage)].lost;
    }
    r.site = site;
    r.network_rtt_s = rtt;
    metrics_.record_job(job, r);
  }

  void enqueue(std::size_t slot) {
    auto& a = jobs_[slot];
    auto& pool = sites_[a.site].pools[a.pool];
    pool.queue.push_back(slot);
    ++queued_;
    try_start(pool);
  }

  /// Starts what the pool's queue discipline picks, then boots hosts if the first waiting job needs
  /// some that are off.
  void try_start(Pool& pool) {
    if (!pool.queue.empty()) {
      if (s_.scheduling.queue == model::QueueDiscipline::kFcfs) {
        while (!pool.queue.empty() && start_job(pool, pool.queue.front())) {
          pool.queue.pop_front();
          --queued_;
        }
      } else {
        backfill(pool);
      }
    }
    if (s_.scheduling.power.idle_off_s > 0) provision(pool);
  }

  /// Backfilling: the scheduler sees the running jobs' expected ends and the first `window` waiting jobs.
  void backfill(Pool& pool) {
    const double now = now_;
    const std::size_t window = std::min(pool.queue.size(), static_cast<std::size_t>(s_.scheduling.backfill_window));
    if (s_.scheduling.queue == model::QueueDiscipline::kEasy) {
      // EASY keeps nothing between calls and only starts jobs the pool takes now: when no job in the
      // window fits the pool's free cores and GPUs, the call would start nothing.
      const auto cores = pool.resources.cores_free(), gpus = pool.resources.gpus_free();
      bool any = false;
      for (std::size_t i = 0; i < window && !any; ++i) {
        const auto& job = jobs_[pool.queue[i]].job;
        any = job.cores <= cores && job.gpus <= gpus;
      }
      if (!any) return;
    }
    running_view_.clear();
    for (const auto& [slot, r] : pool.running_jobs) running_view_.push_back(r);
    waiting_view_.clear();
    for (std::size_t i = 0; i < window; ++i) {
      const auto& job = jobs_[pool.queue[i]].job;
      waiting_view_.push_back({job.cores, job.gpus, estimate(job, now), job.id});
    }
    started_.clear();
    const policy::QueueState state{now, pool.resources.cores_free(), pool.resources.gpus_free(), running_view_,
                                   waiting_view_};
    pool.scheduler->schedule(state, [&](std::size_t position) {
      if (position >= window || !start_job(pool, pool.queue[position])) return false;
      started_.push_back(position);
      return true;
    });
    std::sort(started_.begin(), started_.end(), std::greater<>());
    for (const auto position : started_) {
      pool.queue.erase(pool.queue.begin() + static_cast<std::ptrdiff_t>(position));
      --queued_;
    }
  }

  /// What the scheduler is told a job will take: its requested time, else its run time; a cloud
  /// service holds its cores until the horizon.
  double estimate(const Job& job, double now) const {
    if (s_.workload.classes[job.job_class].kind == model::JobKind::kCloudService) return std::max(0.0, s_.horizon_s - now);
    return job.walltime_s > 0 ? job.walltime_s : job.runtime_s;
  }

  /// Allocates and starts one queued job; false when it does not fit now.
  bool start_job(Pool& pool, std::size_t slot) {
    auto& a = jobs_[slot];
    auto alloc = pool.resources.allocate(a.job.cores, a.job.gpus);
    if (!alloc) return false;
    const double now = now_;
    a.allocation = std::move(*alloc);
    a.start_s = now;
    a.energy_j = 0;
    a.pstate = 0;
    pool.running++;
    for (const auto& part : a.allocation.parts) {  // hosts that were idle are idle no more
      const auto& f = pool.resources.free(part.host);
      const auto& cap = pool.resources.capacity(part.host);
      if (f.cores + part.cores == cap.cores && f.gpus + part.gpus == cap.gpus) --pool.idle_on;
    }
    if (s_.workload.classes[a.job.job_class].kind == model::JobKind::kCloudService) {
      a.service = true;
      pool.running_jobs[slot] = {s_.horizon_s, a.job.cores, a.job.gpus};
      start_segment(slot);
      return true;
    }
    double runtime = a.job.runtime_s;
    double speed_ratio = 1;  // pstate speed / fastest
    if (s_.scheduling.dvfs == model::DvfsMode::kDeadline && std::isfinite(a.job.deadline_s)) {
      a.pstate = dvfs_state(pool, a);
      if (a.pstate > 0) {
        const auto& ps = pool.types[a.allocation.parts.front().host]->pstates;
        speed_ratio = ps[a.pstate].core_speed_flops / ps.front().core_speed_flops;
        runtime /= speed_ratio;
        for (const auto& part : a.allocation.parts) executor_.set_pstate(pool.ids[part.host], static_cast<int>(a.pstate), now_);
      }
    }
    parts_.clear();
    for (const auto& part : a.allocation.parts) {
      auto* host = pool.hosts[part.host];
      const auto& ps = pool.types[part.host]->pstates;
      parts_.push_back({host, pool.ids[part.host], part.threads, ps.front().core_speed_flops * speed_ratio});
      a.energy_j += runtime * part.threads * pool.full_power_per_core_w[part.host] * ps[a.pstate].max_w / ps.front().max_w;
    }
    pool.running_jobs[slot] = {now + estimate(a.job, now) / speed_ratio, a.job.cores, a.job.gpus};
    push_completion(slot, executor_.start(slot, parts_, runtime, now_));
    return true;
  }

  /// DVFS under a deadline: the slowest state that still meets it, when the job holds its hosts alone
  /// (a host runs one state for all its jobs) and they all share one node type.
  std::size_t dvfs_state(const Pool& pool, const ActiveJob& a) const {
    const auto* type = pool.types[a.allocation.parts.front().host];
    for (const auto& part : a.allocation.parts) {
      const auto& cap = pool.resources.capacity(part.host);
      if (pool.types[part.host] != type || part.cores != cap.cores || part.gpus != cap.gpus) return 0;
    }
    std::vector<double> speeds;
    for (const auto& p : type->pstates) speeds.push_back(p.core_speed_flops);
    const double run = a.job.walltime_s > 0 ? std::max(a.job.walltime_s, a.job.runtime_s) : a.job.runtime_s;
    return policy::slowest_pstate_meeting(speeds, run, now_, a.job.deadline_s);
  }

  // Power management ------------------------------------------------------------------------------

  void start_power_management() {
    if (s_.scheduling.power.idle_off_s <= 0) return;
    for (std::size_t i = 0; i < sites_.size(); ++i)
      for (std::size_t p = 0; p < sites_[i].pools.size(); ++p)
        for (std::size_t h = 0; h < sites_[i].pools[p].hosts.size(); ++h) watch_idle(i, p, h, 0);
  }

  /// The site's first host is never switched off: it terminates the site's network traffic (input
  /// transfers), and SimGrid cannot send to or from a host that is off.
  void watch_idle(std::size_t site, std::size_t pool, std::size_t host, double since) {
    auto& p = sites_[site].pools[pool];
    p.idle_since[host] = since;
    if (s_.scheduling.power.idle_off_s > 0 && p.hosts[host] != sites_[site].first_host)
      timers_.push({since + s_.scheduling.power.idle_off_s, sequence_++, TimerKind::kIdleCheck, site, pool, host, 0, since,
                    p.epoch[host]});
  }

  void fire(const Timer& t) {
    if (t.kind == TimerKind::kRelease) {
      --deferred_;
      jobs_[t.slot].deferred = false;
      if (sites_[jobs_[t.slot].site].down) {  // its site failed meanwhile: place it again
        ++outage_counts_[outage_of_[jobs_[t.slot].site]].waiting;
        move_off(t.slot, outage_of_[jobs_[t.slot].site]);
        return;
      }
      dispatch(t.slot);
      return;
    }
    if (t.kind == TimerKind::kOutageStart) {
      outage_start(t.site, t.outage);
      return;
    }
    if (t.kind == TimerKind::kOutageEnd) {
      outage_end(t.site, t.outage);
      return;
    }
    auto& pool = sites_[t.site].pools[t.pool];
    if (t.epoch != pool.epoch[t.host]) return;  // set before the host failed or was repaired
    const auto& type = *pool.types[t.host];
    switch (t.kind) {
      case TimerKind::kIdleCheck:
        // Still idle since then, and not needed as spare: switch it off.
        if (pool.power[t.host] != policy::HostPower::kOn || !pool.resources.idle(t.host) ||
            pool.idle_since[t.host] != t.stamp)
          return;
        if (pool.idle_on <= pool.reserve) {  // kept as spare for now: look again later
          timers_.push({t.time_s + s_.scheduling.power.idle_off_s, sequence_++, TimerKind::kIdleCheck, t.site, t.pool,
                        t.host, 0, t.stamp, t.epoch});
          return;
        }
        pool.power[t.host] = policy::HostPower::kShuttingDown;
        pool.resources.set_online(t.host, false);
        --pool.idle_on;
        executor_.set_pstate(pool.ids[t.host], type.shutdown_pstate(), now_);
        timers_.push({t.time_s + type.shutdown_s, sequence_++, TimerKind::kShutdownDone, t.site, t.pool, t.host, 0, 0, t.epoch});
        return;
      case TimerKind::kShutdownDone:
        executor_.turn_off(pool.ids[t.host], now_);
        pool.power[t.host] = policy::HostPower::kOff;
        if (!pool.queue.empty()) provision(pool);
        return;
      case TimerKind::kBootDone:
        executor_.set_pstate(pool.ids[t.host], 0, now_);
        pool.power[t.host] = policy::HostPower::kOn;
        --pool.booting;
        pool.resources.set_online(t.host, true);
        ++pool.idle_on;
        watch_idle(t.site, t.pool, t.host, t.time_s);
        try_start(pool);
        return;
      case TimerKind::kRelease:
      case TimerKind::kOutageStart:
      case TimerKind::kOutageEnd:
        return;
    }
  }

  /// Boots hosts for the first waiting job if it needs hosts that are off, and to keep the idle reserve.
  void provision(Pool& pool) {
    if (!pool.queue.empty()) {
      const auto& job = jobs_[pool.queue.front()].job;
      for (const auto h : policy::hosts_to_boot(pool.resources, pool.power, job.cores, job.gpus)) boot(pool, h);
    }
    for (std::size_t h = 0; h < pool.hosts.size() && pool.idle_on + pool.booting < pool.reserve; ++h)
      if (pool.power[h] == policy::HostPower::kOff) boot(pool, h);
  }

  void boot(Pool& pool, std::size_t h) {
    const auto& type = *pool.types[h];
    executor_.turn_on(pool.ids[h], now_);
    executor_.set_pstate(pool.ids[h], type.boot_pstate(), now_);
    pool.power[h] = policy::HostPower::kBooting;
    ++pool.booting;
    timers_.push({now_ + type.boot_s, sequence_++, TimerKind::kBootDone, pool.site, pool.index, h, 0, 0,
                  pool.epoch[h]});
  }

  /// Marginal facility watts per IT watt of every site at time t, from the IT power of the last interval
  /// (before the first sample: the idle power of the site's servers).
  void update_marginal_facility(double t) {
    const std::size_t hour = energy::hour_of_year(s_.energy, t);
    carbon_now_ = carbon_.kg_per_kwh(hour);
    marginal_facility_.resize(sites_.size());
    for (std::size_t i = 0; i < sites_.size(); ++i) {
      const auto& f = facility_[i];
      const double it = last_it_w_.empty() ? 0.3 * f.rated_it_w : last_it_w_[i];
      const double delta = std::max(1000.0, 0.01 * f.rated_it_w);
      const double wb = weather_.of(i).wet_bulb_c[hour];
      const double p0 = energy::facility_power(f, s_.energy.facility, it, wb).facility_w();
      const double p1 = energy::facility_power(f, s_.energy.facility, it + delta, wb).facility_w();
      marginal_facility_[i] = (p1 - p0) / delta;
    }
  }

  /// A cloud service runs one segment per sampling interval, with round(cores x utilization(t)) of its
  /// cores busy, until the horizon.
  void start_segment(std::size_t slot) {
    auto& a = jobs_[slot];
    const auto& pool = sites_[a.site].pools[a.pool];
    const double now = now_;
    const double interval = s_.outputs.sampling_interval_s;
    const double end = std::min(s_.horizon_s, (std::floor(now / interval + 1e-9) + 1) * interval);
    const double u = workload::service_utilization(s_.workload.classes[a.job.job_class], now);
    parts_.clear();
    a.segment_threads = 0;
    for (const auto& part : a.allocation.parts) {
      const int threads = static_cast<int>(std::lround(part.threads * u));
      if (threads == 0) continue;
      auto* host = pool.hosts[part.host];
      parts_.push_back({host, pool.ids[part.host], threads, host->get_speed()});
      a.segment_threads += threads;
      a.energy_j += (end - now) * threads * pool.full_power_per_core_w[part.host];
    }
    a.segment_start_s = now;
    push_completion(slot, executor_.start(slot, parts_, end - now, now_));
  }

  void push_completion(std::size_t slot, double end) {
    jobs_[slot].completion = sequence_;
    completions_.push({end, sequence_++, slot});
  }

  void finish(std::size_t slot) {
    const double end = executor_.finish(slot, now_);
    auto& a = jobs_[slot];
    if (a.service) {
      sites_[a.site].totals.busy_core_s += a.segment_threads * (end - a.segment_start_s);
      if (end < s_.horizon_s) {
        start_segment(slot);
      } else {  // holds its cores until the run stops
        a.segment_threads = 0;
        push_completion(slot, kInf);
      }
      return;
    }
    auto& site = sites_[a.site];
    auto& pool = site.pools[a.pool];
    pool.resources.release(a.allocation);
    pool.running--;
    pool.running_jobs.erase(slot);
    for (const auto& part : a.allocation.parts) {
      if (a.pstate > 0) executor_.set_pstate(pool.ids[part.host], 0, now_);
      if (pool.resources.idle(part.host)) {
        ++pool.idle_on;
        watch_idle(a.site, a.pool, part.host, end);
      }
    }
    site.totals.busy_core_s += a.job.cores * (end - a.start_s);
    site.totals.busy_gpu_s += a.job.gpus * (end - a.start_s);
    site.totals.completed++;
    metrics::JobRecord r;
    r.site = static_cast<std::ptrdiff_t>(a.site);
    r.start_s = a.start_s;
    r.end_s = end;  // as SimGrid ran it
    r.network_rtt_s = a.rtt_s;
    r.energy_j = a.energy_j;
    metrics_.record_job(a.job, r);
    free_slots_.push_back(slot);
    try_start(pool);
  }

  // Outages -------------------------------------------------------------------------------------

  /// The hosts of a site that an outage takes out, per pool. A whole site: every host. A cooling or
  /// UPS failure: with `units` units failed the plant carries usable_w; if that is less than the
  /// installed servers' full-load power, each pool keeps its first hosts up to that share of its
  /// full-load power (the site's first host always stays) and the others go out.
  std::array<std::vector<std::size_t>, 2> hosts_out(std::size_t site_index, const model::Outage& o) const {
    const auto& site = sites_[site_index];
    const auto& cfg = s_.sites[site_index];
    std::array<std::vector<std::size_t>, 2> out;
    double keep = 0;  // share of full-load power that stays
    if (o.what != model::OutageKind::kSite) {
      model::Plant plant = o.what == model::OutageKind::kUps ? cfg.ups : cfg.cooling.plant;
      plant.failed_units = o.units;
      const double committed = model::site_figures(s_, cfg).it_power_max_w;
      keep = committed > 0 ? plant.usable_w(cfg.rated_it_w()) / committed : 1.0;
    }
    for (std::size_t p = 0; p < site.pools.size(); ++p) {
      const auto& pool = site.pools[p];
      if (o.what == model::OutageKind::kSite) {
        for (std::size_t h = 0; h < pool.hosts.size(); ++h) out[p].push_back(h);
        continue;
      }
      double total = 0;
      for (std::size_t h = 0; h < pool.hosts.size(); ++h) total += host_max_w(pool, h);
      const double allowed = keep * total * (1 + 1e-12);
      double kept = 0;
      for (std::size_t h = 0; h < pool.hosts.size(); ++h) {
        const double w = host_max_w(pool, h);
        if (pool.hosts[h] == site.first_host || kept + w <= allowed) {
          kept += w;
        } else {
          out[p].push_back(h);
        }
      }
    }
    return out;
  }

  /// Full-load power of one SimGrid host (all its servers).
  static double host_max_w(const Pool& pool, std::size_t h) {
    return pool.full_power_per_core_w[h] * pool.resources.capacity(h).cores;
  }

  /// An outage begins. The jobs running on the hosts it takes out stop (their work is lost); for a
  /// whole site, its queued, deferred and incoming jobs leave too. Each is placed again as if it had
  /// just arrived (keeping its submit time and deadline), or recorded as lost with the reason. The
  /// hosts switch off, except the site's first, which carries its network traffic in SimGrid (idle,
  /// it takes no job; its energy is counted).
  void outage_start(std::size_t site_index, std::size_t outage) {
    auto& site = sites_[site_index];
    const auto& o = s_.outages[outage];
    auto& count = outage_counts_[outage];
    const bool whole = o.what == model::OutageKind::kSite;
    if (whole) {
      site.down = true;
      outage_of_[site_index] = outage;
    }
    const double now = now_;
    const auto out = hosts_out(site_index, o);
    std::vector<std::pair<std::uint64_t, std::size_t>> moved;  // (job id, slot)
    for (std::size_t p = 0; p < site.pools.size(); ++p) {
      auto& pool = site.pools[p];
      std::vector<bool> failing(pool.hosts.size(), false);
      for (auto h : out[p]) failing[h] = true;
      // Jobs with a part on a failing host stop.
      std::vector<std::size_t> stopped;
      for (const auto& [slot, unused] : pool.running_jobs)
        for (const auto& part : jobs_[slot].allocation.parts)
          if (failing[part.host]) {
            stopped.push_back(slot);
            break;
          }
      for (auto slot : stopped) {
        auto& a = jobs_[slot];
        executor_.cancel(slot, now_);
        a.completion = std::numeric_limits<std::uint64_t>::max();
        add_busy_time(site.totals, a, now);
        pool.resources.release(a.allocation);
        for (const auto& part : a.allocation.parts) {
          if (a.pstate > 0) executor_.set_pstate(pool.ids[part.host], 0, now_);
          if (!failing[part.host] && pool.resources.idle(part.host)) watch_idle(site_index, p, part.host, now);
        }
        pool.running_jobs.erase(slot);
        --pool.running;
        ++count.running;
        moved.emplace_back(a.job.id, slot);
      }
      if (whole) {
        for (auto slot : pool.queue) {
          ++count.waiting;
          moved.emplace_back(jobs_[slot].job.id, slot);
        }
        queued_ -= pool.queue.size();
        pool.queue.clear();
        pool.scheduler = policy::make_queue_scheduler(model::to_string(s_.scheduling.queue),
                                                      static_cast<std::size_t>(s_.scheduling.backfill_window));
      }
      for (auto h : out[p]) {
        if (pool.resources.online(h)) pool.resources.set_online(h, false);
        pool.power[h] = policy::HostPower::kFailed;
        ++pool.epoch[h];
        if (pool.hosts[h] != site.first_host && executor_.is_on(pool.ids[h])) executor_.turn_off(pool.ids[h], now_);
        else if (pool.hosts[h] == site.first_host) executor_.set_pstate(pool.ids[h], 0, now_);
        count.out.emplace_back(p, h);
        ++count.hosts;
      }
      recount_power(pool);
    }
    if (whole)
      for (std::size_t c = comms_.size(); c-- > 0;) {
        const auto slot = comm_slots_[c];
        if (jobs_[slot].site != site_index) continue;
        comms_[c]->cancel();
        comms_.erase(comms_.begin() + static_cast<std::ptrdiff_t>(c));
        comm_slots_.erase(comm_slots_.begin() + static_cast<std::ptrdiff_t>(c));
        jobs_[slot].in_transfer = false;
        ++count.waiting;
        moved.emplace_back(jobs_[slot].job.id, slot);
      }
    std::sort(moved.begin(), moved.end());
    for (const auto& [id, slot] : moved) move_off(slot, outage);
    // Deferred jobs bound for a failed site move when they are released (fire, kRelease).
    for (auto& pool : site.pools) try_start(pool);
  }

  /// Idle hosts on and hosts booting, counted again after an outage changed hosts' states.
  static void recount_power(Pool& pool) {
    pool.idle_on = 0;
    pool.booting = 0;
    for (std::size_t h = 0; h < pool.hosts.size(); ++h) {
      if (pool.power[h] == policy::HostPower::kOn && pool.resources.idle(h)) ++pool.idle_on;
      if (pool.power[h] == policy::HostPower::kBooting) ++pool.booting;
    }
  }

  /// Places a job taken off failed hosts again (from scratch: it keeps its submit time and deadline).
  void move_off(std::size_t slot, std::size_t outage) {
    const Job job = jobs_[slot].job;
    free_slots_.push_back(slot);
    if (arrive(job, static_cast<std::ptrdiff_t>(outage))) ++outage_counts_[outage].replaced;
  }

  /// The repair: the hosts the outage took out switch on, idle, and take jobs again.
  void outage_end(std::size_t site_index, std::size_t outage) {
    auto& site = sites_[site_index];
    if (s_.outages[outage].what == model::OutageKind::kSite) site.down = false;
    const double now = now_;
    for (const auto& [p, h] : outage_counts_[outage].out) {
      auto& pool = site.pools[p];
      if (!executor_.is_on(pool.ids[h])) executor_.turn_on(pool.ids[h], now_);
      executor_.set_pstate(pool.ids[h], 0, now_);
      if (!pool.resources.online(h)) pool.resources.set_online(h, true);
      pool.power[h] = policy::HostPower::kOn;
      ++pool.epoch[h];
      watch_idle(site_index, p, h, now);
    }
    outage_counts_[outage].out.clear();
    for (auto& pool : site.pools) {
      recount_power(pool);
      try_start(pool);
    }
  }

  /// Records every site over (last sample, t]: utilization and queues at t, the IT power SimGrid
  /// measured over the interval, and the facility around it under the weather of the interval's hour.
  void sample(double t) {
    const double dt = t - last_sample_s_;
    if (dt <= 0) return;
    const std::size_t hour = energy::hour_of_year(s_.energy, (last_sample_s_ + t) / 2);
    const double hour_of_day = std::fmod(s_.energy.start_hour_of_year + (last_sample_s_ + t) / 2 / 3600.0, 24.0);
    const double price = energy::tariff_price(s_.energy.tariff, hour_of_day);
    const double carbon = carbon_.kg_per_kwh(hour);
    last_sample_s_ = t;
    for (std::size_t i = 0; i < sites_.size(); ++i) {
      auto& site = sites_[i];
      const double energy = executor_.site_energy_j(i, t);
      const double it_w = (energy - site.energy_at_last_sample_j) / dt;
      site.energy_at_last_sample_j = energy;
      last_it_w_.resize(sites_.size());
      last_it_w_[i] = it_w;
      const auto& w = weather_.of(i);
      const auto p = energy::facility_power(facility_[i], s_.energy.facility, it_w, w.wet_bulb_c[hour]);
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
      const auto& cpu = site.pools[0].resources;
      const auto& gpu = site.pools[1].resources;
      const double cpu_util = cpu.cores_total() > 0
                                  ? static_cast<double>(cpu.cores_total() - cpu.cores_free() - cpu.cores_off()) /
                                        static_cast<double>(cpu.cores_total())
                                  : 0.0;
      const double gpu_util = gpu.gpus_total() > 0
                                  ? static_cast<double>(gpu.gpus_total() - gpu.gpus_free() - gpu.gpus_off()) /
                                        static_cast<double>(gpu.gpus_total())
                                  : 0.0;
      metrics_.record_sample(t, i, cpu_util, gpu_util, site.pools[0].running + site.pools[1].running,
                             site.pools[0].queue.size() + site.pools[1].queue.size(), p,
                             {w.dry_bulb_c[hour], w.wet_bulb_c[hour], carbon});
    }
  }

  /// At the stop time: record what is still running, queued or in transfer, read the energy, and
  /// cancel the remaining activities so the simulation ends here.
  void wind_down() {
    sample(stop_s_);  // the last, possibly partial, interval
    for (std::size_t i = 0; i < sites_.size(); ++i) sites_[i].totals.it_energy_j = executor_.site_energy_j(i, stop_s_);
    std::vector<std::size_t> running;
    while (!completions_.empty()) {
      if (jobs_[completions_.top().slot].completion == completions_.top().sequence) running.push_back(completions_.top().slot);
      completions_.pop();
    }
    std::sort(running.begin(), running.end(), [&](std::size_t x, std::size_t y) { return jobs_[x].job.id < jobs_[y].job.id; });
    for (auto slot : running) {
      auto& a = jobs_[slot];
      executor_.cancel(slot, now_);
      add_busy_time(sites_[a.site].totals, a, stop_s_);
      unfinished(a, a.service ? "service" : "running");
    }
    std::vector<std::size_t> waiting;
    for (auto& site : sites_)
      for (auto& pool : site.pools)
        for (auto slot : pool.queue) waiting.push_back(slot);
    for (auto slot : comm_slots_) waiting.push_back(slot);
    for (; !timers_.empty(); timers_.pop())
      if (timers_.top().kind == TimerKind::kRelease) waiting.push_back(timers_.top().slot);
    std::sort(waiting.begin(), waiting.end(), [&](std::size_t x, std::size_t y) { return jobs_[x].job.id < jobs_[y].job.id; });
    for (auto slot : waiting)
      unfinished(jobs_[slot], jobs_[slot].deferred ? "deferred" : jobs_[slot].in_transfer ? "in_transfer" : "queued");
    for (auto& c : comms_) c->cancel();
    comms_.clear();
  }

  /// The core- and GPU-seconds a running job (a service: its current segment) used up to `until`.
  static void add_busy_time(metrics::SiteTotals& totals, const ActiveJob& a, double until) {
    if (a.service) {
      totals.busy_core_s += a.segment_threads * std::max(0.0, until - a.segment_start_s);
      return;
    }
    totals.busy_core_s += a.job.cores * (until - a.start_s);
    totals.busy_gpu_s += a.job.gpus * (until - a.start_s);
  }

  void unfinished(const ActiveJob& a, std::string_view reason) {
    metrics::JobRecord r;
    r.outcome = metrics::Outcome::kUnfinished;
    r.reason = reason;
    r.site = static_cast<std::ptrdiff_t>(a.site);
    r.start_s = a.start_s;
    r.network_rtt_s = a.rtt_s;
    metrics_.record_job(a.job, r);
  }

  const model::Scenario& s_;
  const energy::SiteWeather& weather_;
  const energy::GridCarbon& carbon_;
  std::vector<energy::SiteFacility> facility_;
  double last_sample_s_ = 0;
  metrics::RunMetrics& metrics_;
  JobExecutor& executor_;
  workload::MergedStream stream_;
  metrics::ProgressBar progress_;
  std::vector<SiteRuntime> sites_;
  std::vector<std::vector<double>> latency_[2];  ///< [city | demand point][site] one-way, s
  std::vector<sg4::Host*> entry_host_[2];        ///< [city | demand point] where its traffic enters
  std::vector<std::unique_ptr<policy::PlacementPolicy>> policies_;
  std::vector<std::vector<bool>> allowed_;
  std::vector<double> budget_;
  std::vector<policy::SiteView> views_;
  std::vector<ActiveJob> jobs_;
  std::vector<std::size_t> free_slots_;
  std::priority_queue<Completion, std::vector<Completion>, std::greater<>> completions_;
  std::uint64_t sequence_ = 0;
  std::vector<sg4::ActivityPtr> comms_;
  std::vector<std::size_t> comm_slots_;
  std::vector<ExecPart> parts_;
  std::size_t queued_ = 0;
  std::size_t deferred_ = 0;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::vector<policy::RunningJob> running_view_;
  std::vector<policy::WaitingJob> waiting_view_;
  std::vector<std::size_t> started_;
  policy::CarbonOutlook outlook_;
  std::vector<double> marginal_facility_;  ///< per site: facility W per IT W at the margin, now
  std::vector<double> last_it_w_;          ///< per site: IT power over the last sampling interval
  double carbon_now_ = 0;
  std::vector<std::string> policy_names_;      ///< per class
  std::vector<std::string> policy_summaries_;  ///< per class: the registry's one-line summary
  metrics::OutputFile* decisions_ = nullptr;
  double stop_s_ = 0;
  double now_ = 0;  ///< the controller's clock: the time of the event being handled
  std::vector<OutageCount> outage_counts_;  ///< per scenario outage
  std::vector<std::size_t> outage_of_;      ///< per site: the outage it is in (while down)
};

}  // namespace

nlohmann::json run_simulation(const model::Scenario& scenario, const RunOptions& options) {
  const energy::SiteWeather weather(scenario);  // inputs first: a bad EPW or carbon file fails here
  const energy::GridCarbon carbon(scenario);
  std::filesystem::create_directories(options.output_dir);
  std::vector<std::string> args{"suanli", "--log=root.thres:critical"};
  args.insert(args.end(), options.simgrid_args.begin(), options.simgrid_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  sg4::Engine engine(&argc, argv.data());

  const topology::Graph graph(scenario);
  const auto spec = platform::build_platform_spec(scenario, graph);
  platform::configure_engine(engine, spec);
  if (options.executor == ExecutorKind::kSimGrid) platform::enable_host_energy();
  platform::build_simgrid_platform(scenario, spec, {}, true);

  // The controller and the exec workers live on a host of their own, outside every site: their
  // sleeps then never touch the CPU of a host that runs jobs (which would make SimGrid re-solve it).
  sg4::Host* home = sg4::Host::by_name(platform::kControlHostName);
  metrics::RunMetrics metrics(scenario, options.output_dir, options.gzip);
  const auto executor = make_executor(options.executor, home);
  Controller controller(scenario, spec, graph, weather, carbon, metrics, *executor, options.progress);
  std::unique_ptr<metrics::OutputFile> decisions;
  if (options.decision_log) {
    decisions = std::make_unique<metrics::OutputFile>(
        (std::filesystem::path(options.output_dir) / "decisions.csv").string(), false);
    controller.set_decision_log(decisions.get());
  }
  // A user error found mid-run (a malformed line deep in a trace) stops the run; it is rethrown here,
  // and the partial outputs are removed by RunMetrics' files.
  std::exception_ptr failure;
  sg4::Actor::create("controller", home, [&controller, &failure] {
    try {
      controller.run();
    } catch (...) {
      failure = std::current_exception();
      controller.abandon();
    }
  });
  engine.run();
  if (failure) std::rethrow_exception(failure);

  auto summary = metrics.summary(controller.stop_s(), controller.site_totals());
  summary["engine"] = std::string(to_string(options.executor));
  if (!scenario.outages.empty()) summary["outages"] = controller.outage_summary();
  if (decisions) decisions->commit();
  metrics.commit(summary);
  return summary;
}

}  // namespace suanli::engine
