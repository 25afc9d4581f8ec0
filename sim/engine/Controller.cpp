// The controller's event loop, placement, queues, services and the end of a run (see Controller.hpp).
// Jobs end at known times (capacity is never oversubscribed), so the controller keeps its own clock
// `now_`, the time of the event it handles; SimGrid's clock follows it to every event with the SimGrid
// executor, and only while an input transfer is in flight with the exact one (the network's sharing
// decides when a transfer ends).
#include "engine/Controller.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <simgrid/s4u/Activity.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>

#include "io/Format.hpp"
#include "model/Error.hpp"
#include "model/Summary.hpp"
#include "platform/SimGridPlatform.hpp"
#include "policy/ClassRules.hpp"
#include "policy/Power.hpp"
#include "policy/QueueScheduler.hpp"
#include "policy/SitePool.hpp"
#include "workload/Random.hpp"

namespace sg4 = simgrid::s4u;

namespace suanli::engine {

Controller::Controller(const model::Scenario& s, const platform::PlatformSpec& spec,
                       const topology::Graph& graph, const energy::SiteWeather& weather,
                       const energy::GridCarbon& carbon, metrics::RunMetrics& metrics, JobExecutor& executor,
                       bool progress)
    : s_(s),
      metrics_(metrics),
      executor_(executor),
      stream_(workload::make_job_stream(s, s.horizon_s)),
      progress_(s.horizon_s, std::cerr, progress),
      outlook_(s.energy, carbon),
      power_(s, executor, agenda_),
      sampler_(s, weather, carbon, metrics, executor),
      queue_name_(s.scheduling.queue_name()),
      queue_kind_(s.scheduling.queue) {
  build_sites(spec);
  build_latencies(graph);
  build_classes();
  sampler_.update_marginal_facility(0);
  power_.start(sites_);
  outage_counts_.resize(s.outages.size());
  outage_of_.resize(s.sites.size());
  for (std::size_t k = 0; k < s.outages.size(); ++k) {
    const auto& o = s.outages[k];
    const auto site = static_cast<std::size_t>(s.find_site(o.site) - s.sites.data());
    agenda_.schedule({.time_s = o.start_s, .kind = TimerKind::kOutageStart, .site = site, .outage = k});
    agenda_.schedule({.time_s = o.end_s, .kind = TimerKind::kOutageEnd, .site = site, .outage = k});
  }
}

void Controller::run() {
  auto next_job = stream_.next();
  next_sample_s_ = s_.outputs.sampling_interval_s;
  const double horizon = s_.horizon_s;
  while (true) {
    const double t_arrival = next_job ? next_job->submit_s : kInf;
    const double t_done = agenda_.completions.empty() ? kInf : agenda_.completions.top().time_s;
    const double t_timer = agenda_.timers.empty() ? kInf : agenda_.timers.top().time_s;
    const bool idle =
        !next_job && agenda_.completions.empty() && comms_.empty() && queued_ == 0 && deferred_ == 0;
    if (idle && !full_horizon_) break;
    const double t_next = std::min({t_arrival, t_done, t_timer, next_sample_s_, horizon});
    if (!comms_.empty()) {
      sync_clock();
      const ssize_t done =
          sg4::Activity::wait_any_for(comms_, std::max(0.0, t_next - sg4::Engine::get_clock()));
      if (done >= 0) {  // a transfer ended: the network decided when
        now_ = std::max(now_, sg4::Engine::get_clock());
        gate(now_);
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
    while (!agenda_.completions.empty() && agenda_.completions.top().time_s <= now) {
      if (const auto& top = agenda_.completions.top(); jobs_[top.slot].completion == top.sequence) gate(now);
      const auto c = agenda_.completions.top();
      agenda_.completions.pop();
      if (jobs_[c.slot].completion == c.sequence) finish(c.slot);
    }
    while (!agenda_.timers.empty() && agenda_.timers.top().time_s <= now) {
      gate(now);
      const Timer timer = agenda_.timers.top();
      agenda_.timers.pop();
      fire(timer);
    }
    while (next_job && next_job->submit_s <= now) {
      gate(now);
      ++arrived_;
      arrive(*next_job);
      next_job = stream_.next();
    }
    if (next_sample_s_ <= now) {
      gate(now);
      sampler_.sample(next_sample_s_, sites_);
      sampler_.update_marginal_facility(next_sample_s_);
      next_sample_s_ += s_.outputs.sampling_interval_s;
    }
    progress_.update(now, metrics_.jobs_recorded());
    if (now >= horizon) break;  // after the events of the horizon itself (last sample included)
  }
  stop_s_ = std::min(horizon, now_);
  wind_down();
  progress_.finish();
  if (gate_) gate_->ended();
}

void Controller::abandon() {
  while (!agenda_.completions.empty()) {
    executor_.cancel(agenda_.completions.top().slot, now_);
    agenda_.completions.pop();
  }
  for (auto& c : comms_) c->cancel();
  comms_.clear();
}

std::vector<metrics::SiteTotals> Controller::site_totals() const {
  std::vector<metrics::SiteTotals> out;
  for (const auto& site : sites_) out.push_back(site.totals);
  return out;
}

void Controller::build_sites(const platform::PlatformSpec& spec) {
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
      const auto pool = index_of(pool_for(type.gpus));
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
      auto& pool = site.pools.emplace_back(zone.site, static_cast<PoolKind>(p), std::move(caps[p]), fit);
      pool.hosts = std::move(hosts[p]);
      pool.ids = std::move(ids[p]);
      pool.full_power_per_core_w = std::move(power[p]);
      pool.types = std::move(types[p]);
      pool.scheduler = make_scheduler(pool);
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
    for (auto& pool : site.pools)
      for (std::size_t h = 0; h < pool.hosts.size(); ++h)
        if (pool.hosts[h] == site.first_host) pool.gateway = static_cast<std::ptrdiff_t>(h);
    site.totals.cores_total = site.pool(PoolKind::kCpu).resources.cores_total();
    site.totals.gpus_total = site.pool(PoolKind::kGpu).resources.gpus_total();
  }
}

void Controller::build_latencies(const topology::Graph& graph) {
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

const std::vector<double>& Controller::latencies(const Job& job) const {
  return latency_[index_of(s_.workload.classes[job.job_class].origin_level)][job.origin];
}

sg4::Host* Controller::entry_host(const Job& job) const {
  return entry_host_[index_of(s_.workload.classes[job.job_class].origin_level)][job.origin];
}

void Controller::build_classes() {
  for (std::size_t k = 0; k < s_.workload.classes.size(); ++k) {
    const auto& c = s_.workload.classes[k];
    auto rules = policy::class_rules(s_, k);
    const std::string& name = rules.placement;
    try {
      policies_.push_back(
          policy::make_placement(name, c.placement_params, workload::Random::derive(s_.seed, 1000 + k), &s_));
      policy_names_.push_back(name);
      policy_summaries_.push_back(policy::placement_summary(name));
    } catch (const policy::PolicyError& e) {
      throw model::UserError(s_.source_file, "/workload/classes/" + std::to_string(k) + "/placement",
                             e.what());
    }
    allowed_.push_back(std::move(rules.allowed));
    budget_.push_back(rules.budget_s);
  }
  views_.resize(s_.sites.size());
}

std::size_t Controller::new_slot(const Job& job) {
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

bool Controller::arrive(const Job& job, std::ptrdiff_t outage) {
  const PoolKind pool = pool_for(job.gpus);
  const auto& allowed = allowed_[job.job_class];
  const auto& origin_latency = latencies(job);
  bool any_eligible = false;
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    auto& v = views_[i];
    const auto& p = sites_[i].pool(pool);
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
    v.facility_w_per_it_w = sampler_.marginal_facility(i);
    v.carbon_kg_per_kwh = sampler_.carbon_now();
  }
  const double budget = budget_[job.job_class];
  const auto& cls = s_.workload.classes[job.job_class];
  // A job already running at the start (warm start) has started: it cannot be deferred.
  const policy::PlacementRequest request{job, now_, budget, views_, cls.deferrable && !job.warm, &outlook_};
  const auto choice = policies_[job.job_class]->place(request);
  if (decisions_ || gate_) log_decision(request, choice);
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
    agenda_.schedule({.time_s = choice->start_not_before_s,
                      .kind = TimerKind::kRelease,
                      .site = site,
                      .pool = pool,
                      .slot = slot});
    return true;
  }
  dispatch(slot);
  return true;
}

void Controller::sync_clock() {
  if (sg4::Engine::get_clock() < now_) sg4::this_actor::sleep_until(now_);
}

void Controller::dispatch(std::size_t slot) {
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

void Controller::log_decision(const policy::PlacementRequest& r,
                              const std::optional<policy::PlacementDecision>& choice) {
  DecisionRow row;
  row.time_s = r.now_s;
  row.job = r.job.id;
  row.job_class = s_.workload.classes[r.job.job_class].name;
  row.policy = policy_names_[r.job.job_class];
  row.why = policy_summaries_[r.job.job_class];
  for (const auto& v : r.sites)
    if (policy::candidate(r, v))
      row.candidates += (row.candidates.empty() ? "" : ";") + s_.sites[v.site].name;
  if (!choice) {
    row.why =
        row.candidates.empty() ? "rejected: no eligible site within the budget" : "rejected by the policy";
  } else {
    row.chosen = choice->site < s_.sites.size() ? s_.sites[choice->site].name : "?";
    if (choice->start_not_before_s > r.now_s)
      row.why += "; deferred to t = " + io::format_double(choice->start_not_before_s) + " s";
  }
  if (gate_) gate_->decision(row);
  if (!decisions_) return;
  decisions_->write(io::format_double(row.time_s) + "," + std::to_string(row.job) + "," +
                    io::csv_escape(row.job_class) + "," + row.policy + "," + io::csv_escape(row.candidates) +
                    "," + io::csv_escape(row.chosen) + "," + io::csv_escape(row.why) + "\n");
}

void Controller::set_decision_log(io::OutputFile* out) {
  decisions_ = out;
  if (decisions_) decisions_->write("time_s,job,class,policy,candidates,chosen,why\n");
}

void Controller::reject(const Job& job, std::ptrdiff_t site, std::string_view reason, double rtt,
                        std::ptrdiff_t outage) {
  metrics::JobRecord r;
  r.outcome = metrics::Outcome::kRejected;
  r.reason = reason;
  if (outage >= 0) {  // moved off a failed site and taken nowhere else
    r.outcome = metrics::Outcome::kLost;
    r.reason = reason == "budget"        ? "outage_no_site_within_budget"
               : reason == "no_capacity" ? "outage_no_capacity"
                                         : "outage_no_site";
    ++outage_counts_[static_cast<std::size_t>(outage)].lost;
  }
  r.site = site;
  r.network_rtt_s = rtt;
  metrics_.record_job(job, r);
}

void Controller::enqueue(std::size_t slot) {
  auto& a = jobs_[slot];
  auto& pool = sites_[a.site].pool(a.pool);
  pool.queue.push_back(slot);
  ++queued_;
  try_start(pool);
}

void Controller::try_start(Pool& pool) {
  if (!pool.queue.empty()) {
    if (queue_kind_ == model::QueueDiscipline::kFcfs) {
      while (!pool.queue.empty() && start_job(pool, pool.queue.front())) {
        pool.queue.pop_front();
        --queued_;
      }
    } else {
      backfill(pool);
    }
  }
  if (power_.enabled()) power_.provision(pool, first_waiting(pool), now_);
}

std::unique_ptr<policy::QueueScheduler> Controller::make_scheduler(const Pool& pool) const {
  policy::QueueContext context;
  context.window = static_cast<std::size_t>(s_.scheduling.backfill_window);
  context.scenario = &s_;
  context.site = pool.site;
  context.gpu_pool = pool.kind == PoolKind::kGpu;
  auto scheduler = policy::make_queue_scheduler(queue_name_, context);
  if (!scheduler)
    throw model::UserError(s_.source_file, "/scheduling/queue",
                           "unknown queue discipline \"" + queue_name_ + "\"");
  return scheduler;
}

void Controller::backfill(Pool& pool) {
  const double now = now_;
  const std::size_t window =
      std::min(pool.queue.size(), static_cast<std::size_t>(s_.scheduling.backfill_window));
  if (queue_kind_ == model::QueueDiscipline::kEasy || queue_kind_ == model::QueueDiscipline::kAdded) {
    // EASY keeps nothing between calls and only starts jobs the pool takes now: when no job in the
    // window fits the pool's free cores and GPUs, the call would start nothing. An added (Python)
    // discipline is not asked then either: the engine would refuse whatever it chose.
    const auto cores = pool.resources.cores_free(), gpus = pool.resources.gpus_free();
    bool any = false;
    for (std::size_t i = 0; i < window && !any; ++i) {
      const auto& job = jobs_[pool.queue[i]].job;
      any = job.cores <= cores && job.gpus <= gpus;
    }
    if (!any) return;
  }
  running_view_.clear();
  const bool by_end = queue_kind_ == model::QueueDiscipline::kEasy;  // EASY reads only the earliest ends
  if (!by_end)
    for (const auto& [slot, r] : pool.running_jobs.by_slot()) running_view_.push_back(r);
  waiting_view_.clear();
  for (std::size_t i = 0; i < window; ++i) {
    const auto& job = jobs_[pool.queue[i]].job;
    waiting_view_.push_back({job.cores, job.gpus, estimate(job, now), job.id, job.submit_s, job.job_class});
  }
  started_.clear();
  policy::QueueState state{
      now, pool.resources.cores_free(), pool.resources.gpus_free(), running_view_, waiting_view_, {}};
  if (by_end)
    state.running_by_end = [&pool, mark = pool.running_jobs.mark()](
                               const std::function<bool(const policy::RunningJob&)>& visit) {
      pool.running_jobs.visit_by_end(visit, mark);
    };
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

double Controller::estimate(const Job& job, double now) const {
  if (s_.workload.classes[job.job_class].kind == model::JobKind::kCloudService)
    return std::max(0.0, s_.horizon_s - now);
  return job.walltime_s > 0 ? job.walltime_s : job.runtime_s;
}

bool Controller::start_job(Pool& pool, std::size_t slot) {
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
    pool.running_jobs.add(slot, {s_.horizon_s, a.job.cores, a.job.gpus});
    start_segment(slot);
    return true;
  }
  double runtime = a.job.runtime_s;
  double speed_ratio = 1;  // pstate speed / fastest
  if (s_.scheduling.dvfs == model::DvfsMode::kDeadline && std::isfinite(a.job.deadline_s)) {
    a.pstate = power_.dvfs_state(pool, a, now_);
    if (a.pstate > 0) {
      const auto& ps = pool.types[a.allocation.parts.front().host]->pstates;
      speed_ratio = ps[a.pstate].core_speed_flops / ps.front().core_speed_flops;
      runtime /= speed_ratio;
      for (const auto& part : a.allocation.parts)
        executor_.set_pstate(pool.ids[part.host], static_cast<int>(a.pstate), now_);
    }
  }
  parts_.clear();
  for (const auto& part : a.allocation.parts) {
    auto* host = pool.hosts[part.host];
    const auto& ps = pool.types[part.host]->pstates;
    parts_.push_back({host, pool.ids[part.host], part.threads, ps.front().core_speed_flops * speed_ratio});
    a.energy_j += runtime * part.threads * pool.full_power_per_core_w[part.host] * ps[a.pstate].max_w /
                  ps.front().max_w;
  }
  pool.running_jobs.add(slot, {now + estimate(a.job, now) / speed_ratio, a.job.cores, a.job.gpus});
  count_busy(a, +1);
  push_completion(slot, executor_.start(slot, parts_, runtime, now_));
  return true;
}

void Controller::fire(const Timer& t) {
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
  auto& pool = sites_[t.site].pool(t.pool);
  if (power_.fire(t, pool, first_waiting(pool), now_)) try_start(pool);
}

void Controller::start_segment(std::size_t slot) {
  auto& a = jobs_[slot];
  const auto& pool = sites_[a.site].pool(a.pool);
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
  count_busy(a, +1);
  push_completion(slot, executor_.start(slot, parts_, end - now, now_));
}

void Controller::count_busy(const ActiveJob& a, int sign) {
  auto& site = sites_[a.site];
  const double w = sign * a.job.weight;
  if (a.pool == PoolKind::kGpu) {
    site.busy_gpus.add(w * a.job.gpus, now_);
  } else {
    site.busy_cores.add(w * (a.service ? a.segment_threads : a.job.cores), now_);
  }
}

void Controller::push_completion(std::size_t slot, double end) {
  jobs_[slot].completion = agenda_.complete(slot, end);
}

void Controller::finish(std::size_t slot) {
  const double end = executor_.finish(slot, now_);
  auto& a = jobs_[slot];
  if (a.service) {
    count_busy(a, -1);
    if (end < s_.horizon_s) {
      start_segment(slot);
    } else {  // holds its cores until the run stops
      a.segment_threads = 0;
      push_completion(slot, kInf);
    }
    return;
  }
  auto& site = sites_[a.site];
  auto& pool = site.pool(a.pool);
  pool.resources.release(a.allocation);
  pool.running--;
  pool.running_jobs.remove(slot);
  for (const auto& part : a.allocation.parts) {
    if (a.pstate > 0) executor_.set_pstate(pool.ids[part.host], 0, now_);
    if (pool.resources.idle(part.host)) {
      ++pool.idle_on;
      power_.watch_idle(pool, part.host, end);
    }
  }
  count_busy(a, -1);
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

void Controller::wind_down() {
  sampler_.sample(stop_s_, sites_);  // the last, possibly partial, interval
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    auto& site = sites_[i];
    site.totals.it_energy_j = executor_.site_energy_j(i, stop_s_);
    site.totals.busy_core_s = site.busy_cores.at(stop_s_);  // running jobs count up to the stop
    site.totals.busy_gpu_s = site.busy_gpus.at(stop_s_);
  }
  std::vector<std::size_t> running;
  while (!agenda_.completions.empty()) {
    if (jobs_[agenda_.completions.top().slot].completion == agenda_.completions.top().sequence)
      running.push_back(agenda_.completions.top().slot);
    agenda_.completions.pop();
  }
  std::sort(running.begin(), running.end(),
            [&](std::size_t x, std::size_t y) { return jobs_[x].job.id < jobs_[y].job.id; });
  for (auto slot : running) {
    auto& a = jobs_[slot];
    executor_.cancel(slot, now_);
    unfinished(a, a.service ? "service" : "running");
  }
  std::vector<std::size_t> waiting;
  for (auto& site : sites_)
    for (auto& pool : site.pools)
      for (auto slot : pool.queue) waiting.push_back(slot);
  for (auto slot : comm_slots_) waiting.push_back(slot);
  for (; !agenda_.timers.empty(); agenda_.timers.pop())
    if (agenda_.timers.top().kind == TimerKind::kRelease) waiting.push_back(agenda_.timers.top().slot);
  std::sort(waiting.begin(), waiting.end(),
            [&](std::size_t x, std::size_t y) { return jobs_[x].job.id < jobs_[y].job.id; });
  for (auto slot : waiting)
    unfinished(jobs_[slot], jobs_[slot].deferred      ? "deferred"
                            : jobs_[slot].in_transfer ? "in_transfer"
                                                      : "queued");
  for (auto& c : comms_) c->cancel();
  comms_.clear();
}

void Controller::unfinished(const ActiveJob& a, std::string_view reason) {
  metrics::JobRecord r;
  r.outcome = metrics::Outcome::kUnfinished;
  r.reason = reason;
  r.site = static_cast<std::ptrdiff_t>(a.site);
  r.start_s = a.start_s;
  r.network_rtt_s = a.rtt_s;
  metrics_.record_job(a.job, r);
}

}  // namespace suanli::engine

// Stepping ----------------------------------------------------------------------------------------

namespace suanli::engine {

void Controller::set_gate(StepGate* gate) {
  gate_ = gate;
  if (gate_) gate_->attach(*this);
}

nlohmann::json Controller::live_state() const {
  nlohmann::json sites = nlohmann::json::array();
  double it_w = 0, facility_w = 0;
  std::size_t queued = 0, running = 0;
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    const auto& site = sites_[i];
    const auto& cpu = site.pools[index_of(PoolKind::kCpu)];
    const auto& gpu = site.pools[index_of(PoolKind::kGpu)];
    const auto cores = cpu.resources.cores_total();
    const auto gpus = gpu.resources.gpus_total();
    const std::size_t q = cpu.queue.size() + gpu.queue.size();
    const std::size_t r = cpu.running + gpu.running;
    const double it = sampler_.last_it_w(i), fac = sampler_.last_facility_w(i);
    sites.push_back({{"cpu_busy", cores > 0 ? site.busy_cores.level / static_cast<double>(cores) : 0.0},
                     {"gpu_busy", gpus > 0 ? site.busy_gpus.level / static_cast<double>(gpus) : 0.0},
                     {"queued", q},
                     {"running", r},
                     {"down", site.down},
                     {"it_power_w", it},
                     {"facility_w", fac},
                     {"pue", it > 0 ? fac / it : 0.0}});
    it_w += it;
    facility_w += fac;
    queued += q;
    running += r;
  }
  const auto t = metrics_.totals();
  return {{"sites", std::move(sites)},
          {"totals",
           {{"arrived", arrived_},
            {"completed", t.completed},
            {"rejected", t.rejected},
            {"lost", t.lost},
            {"queued", queued},
            {"running", running},
            {"deferred", deferred_},
            {"wait_mean_s", t.wait_mean_s},
            {"it_power_w", it_w},
            {"facility_w", facility_w},
            {"pue", it_w > 0 ? facility_w / it_w : 0.0},
            {"carbon_kg_per_kwh", sampler_.carbon_now()}}}};
}

void Controller::set_placement(const std::string& job_class, const std::string& name) {
  bool any = false;
  for (std::size_t k = 0; k < s_.workload.classes.size(); ++k) {
    const auto& c = s_.workload.classes[k];
    if (!job_class.empty() && job_class != "*" && c.name != job_class) continue;
    any = true;
    // The class's own parameters go with its own policy; another policy starts from its defaults.
    const auto params =
        name == policy::class_rules(s_, k).placement ? c.placement_params : nlohmann::json::object();
    try {
      policies_[k] = policy::make_placement(name, params, workload::Random::derive(s_.seed, 1000 + k), &s_);
    } catch (const policy::PolicyError& e) {
      throw StepError(e.what());
    }
    policy_names_[k] = name;
    policy_summaries_[k] = policy::placement_summary(name);
  }
  if (!any) throw StepError("no job class named '" + job_class + "'");
}

void Controller::set_queue(const std::string& name) {
  const auto known = policy::queue_scheduler_names();
  if (std::find(known.begin(), known.end(), name) == known.end()) {
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    throw StepError("unknown queue discipline '" + name + "' (known: " + list + ")");
  }
  queue_name_ = name;
  queue_kind_ = name == "fcfs"           ? model::QueueDiscipline::kFcfs
                : name == "easy"         ? model::QueueDiscipline::kEasy
                : name == "conservative" ? model::QueueDiscipline::kConservative
                                         : model::QueueDiscipline::kAdded;
  // Reservations and backfilling start afresh from the queue as it is, at the pool's next pass.
  for (auto& site : sites_)
    for (auto& pool : site.pools) pool.scheduler = make_scheduler(pool);
}

}  // namespace suanli::engine
