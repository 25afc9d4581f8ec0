// Queue disciplines: FCFS, EASY and conservative backfilling over an availability profile.
#include "policy/QueueScheduler.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <stdexcept>

#include "model/Names.hpp"

namespace suanli::policy {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

/// The step holding time t (the first step when t is before now).
template <class Steps>
const auto& step_at(const Steps& steps, double t) {
  auto it = std::upper_bound(steps.begin(), steps.end(), t, [](double v, const auto& s) { return v < s.t; });
  return it == steps.begin() ? *it : *std::prev(it);
}

double earliest_start(const Profile& p, const WaitingJob& j) {
  return p.earliest_start(j.cores, j.gpus, j.estimate_s);
}
void reserve(Profile& p, double start_s, const WaitingJob& j) {
  p.reserve(start_s, j.estimate_s, j.cores, j.gpus);
}
}  // namespace

Profile::Profile(double now_s, std::int64_t cores_free, std::int64_t gpus_free,
                 std::span<const RunningJob> running)
    : steps_{{now_s, cores_free, gpus_free}} {
  for (const auto& r : running) {
    if (!(r.expected_end_s < kInf)) continue;  // never expected to end
    for (auto i = split(r.expected_end_s); i < steps_.size(); ++i) {
      steps_[i].cores += r.cores;
      steps_[i].gpus += r.gpus;
    }
  }
}

// Index of the step starting at t, inserted if needed; t before now maps to now, +inf to the end.
std::size_t Profile::split(double t) {
  if (t <= steps_.front().t) return 0;
  if (!(t < kInf)) return steps_.size();
  auto it =
      std::upper_bound(steps_.begin(), steps_.end(), t, [](double v, const Step& s) { return v < s.t; });
  const Step& prev = *std::prev(it);
  if (prev.t == t) return static_cast<std::size_t>(std::prev(it) - steps_.begin());
  const Step added{t, prev.cores, prev.gpus};
  const auto i = static_cast<std::size_t>(it - steps_.begin());
  steps_.insert(it, added);
  return i;
}

// One sweep: `first` is the earliest step from which every step up to j has room; a duration of 0
// needs only the step holding the start.
double Profile::earliest_start(int cores, int gpus, double duration_s) const {
  std::size_t first = 0;
  for (std::size_t j = 0; j < steps_.size(); ++j) {
    if (steps_[j].cores < cores || steps_[j].gpus < gpus) {
      first = j + 1;
      continue;
    }
    const double end_s = j + 1 < steps_.size() ? steps_[j + 1].t : kInf;
    if (steps_[first].t + duration_s <= end_s) return steps_[first].t;
  }
  return kInf;
}

// A start before now counts as now. A duration of 0 (or too small to move start_s) holds the instant
// start_s: the narrowest step there.
void Profile::reserve(double start_s, double duration_s, int cores, int gpus) {
  if (!(start_s < kInf)) return;
  start_s = std::max(start_s, steps_.front().t);
  double end_s = start_s + duration_s;
  if (!(end_s > start_s)) end_s = std::nextafter(start_s, kInf);
  const auto first = split(start_s);
  const auto last = split(end_s);
  for (auto i = first; i < last; ++i) {
    steps_[i].cores -= cores;
    steps_[i].gpus -= gpus;
  }
}

void Profile::release(double start_s, double duration_s, int cores, int gpus) {
  reserve(start_s, duration_s, -cores, -gpus);
}

std::int64_t Profile::cores_at(double t) const { return step_at(steps_, t).cores; }
std::int64_t Profile::gpus_at(double t) const { return step_at(steps_, t).gpus; }

void FcfsScheduler::schedule(const QueueState& state, const std::function<bool(std::size_t)>& try_start) {
  for (std::size_t i = 0; i < state.queue.size(); ++i)
    if (!try_start(i)) return;
}

// EASY needs no step profile. Before any reservation, free capacity over time, F(t) = free now (after
// the jobs started in this call) + the resources of running and just-started jobs expected to have
// ended by t, never decreases (every job started here starts now). So: a job fits for its whole
// duration iff it fits now; the head's reservation starts at the first t with F(t) >= its needs (the
// shadow time S); and a later job that fits now leaves that reservation intact iff it ends by S or
// fits in what the head leaves at S ("extra"), since F - reservations is lowest at S over [S, end).
// The same decisions as the profile-based EASY (tests/unit/QueueSchedulerTest.cpp keeps that as the
// reference), in O(R + k log R) per call (k: the ends up to the shadow time) instead of O(R x steps)
// for each job looked at; with the running jobs given in order of expected end, in O(k) (plus the jobs
// past their expected end).
void EasyScheduler::schedule(const QueueState& state, const std::function<bool(std::size_t)>& try_start) {
  const auto& queue = state.queue;
  const double now = state.now_s;
  // End of a job started now: a duration of 0 still holds the instant now (as Profile::reserve does).
  const auto end_of = [now](double estimate_s) {
    const double end = now + estimate_s;
    return end > now ? end : std::nextafter(now, kInf);
  };
  const bool ordered = static_cast<bool>(state.running_by_end);
  std::int64_t cores = state.cores_free, gpus = state.gpus_free;  // F(now)
  ends_.clear();
  // Jobs past their expected end count as ending now.
  if (ordered) {
    state.running_by_end([&](const RunningJob& r) {
      if (!(r.expected_end_s <= now)) return false;
      cores += r.cores;
      gpus += r.gpus;
      return true;
    });
  } else {
    for (const auto& r : state.running) {
      if (!(r.expected_end_s < kInf)) continue;  // never expected to end
      if (r.expected_end_s <= now) {
        cores += r.cores;
        gpus += r.gpus;
      } else {
        ends_.push_back({r.expected_end_s, r.cores, r.gpus});
      }
    }
  }
  // FCFS while jobs fit now.
  started_.clear();
  std::size_t head = 0;
  for (; head < queue.size(); ++head) {
    const auto& j = queue[head];
    if (cores < j.cores || gpus < j.gpus || !try_start(head)) break;
    cores -= j.cores;
    gpus -= j.gpus;
    started_.push_back({end_of(j.estimate_s), j.cores, j.gpus});  // back at its end
  }
  if (head == queue.size()) return;
  // The shadow time: the first instant at which, with every change of that instant applied, the head
  // fits.
  const auto& h = queue[head];
  double shadow = kInf;
  std::int64_t fc = cores, fg = gpus;
  if (fc >= h.cores && fg >= h.gpus) {
    shadow = now;  // fits now but the pool refused it: reserved at now
  } else if (ordered) {
    // Merge the running jobs' ends (in order) with those of the jobs just started (sorted here).
    std::sort(started_.begin(), started_.end(), [](const End& a, const End& b) { return a.t < b.t; });
    std::size_t k = 0;
    double group = -kInf;  // the instant whose changes are being added
    bool found = false;
    const auto add = [&](double t, std::int64_t c, std::int64_t g) {
      if (t != group) {
        if (fc >= h.cores && fg >= h.gpus) {  // the previous instant was enough
          shadow = group;
          found = true;
          return false;
        }
        group = t;
      }
      fc += c;
      fg += g;
      return true;
    };
    state.running_by_end([&](const RunningJob& r) {
      if (r.expected_end_s <= now) return true;      // counted above
      if (!(r.expected_end_s < kInf)) return false;  // never ends: nor does anything after it
      for (; k < started_.size() && started_[k].t <= r.expected_end_s; ++k)
        if (!add(started_[k].t, started_[k].cores, started_[k].gpus)) return false;
      return add(r.expected_end_s, r.cores, r.gpus);
    });
    for (; !found && k < started_.size(); ++k)
      if (!add(started_[k].t, started_[k].cores, started_[k].gpus)) break;
    if (!found && group > -kInf && fc >= h.cores && fg >= h.gpus) shadow = group;
  } else {
    // Ends in time order from a heap: only those up to the shadow time are ever ordered.
    ends_.insert(ends_.end(), started_.begin(), started_.end());
    const auto later = [](const End& a, const End& b) { return a.t > b.t; };
    std::make_heap(ends_.begin(), ends_.end(), later);
    auto last = ends_.end();
    while (last != ends_.begin()) {
      const double t = ends_.front().t;
      while (last != ends_.begin() && ends_.front().t == t) {
        std::pop_heap(ends_.begin(), last, later);
        --last;
        fc += last->cores;
        fg += last->gpus;
      }
      if (fc >= h.cores && fg >= h.gpus) {
        shadow = t;
        break;
      }
    }
  }
  std::int64_t extra_cores = 0, extra_gpus = 0;
  if (shadow < kInf) {
    extra_cores = fc - h.cores;
    extra_gpus = fg - h.gpus;
  }
  // Backfill: later jobs that fit now and leave the head's reservation intact.
  for (std::size_t i = head + 1; i < std::min(queue.size(), window_); ++i) {
    const auto& j = queue[i];
    if (cores < j.cores || gpus < j.gpus) continue;
    const bool past_shadow = shadow < kInf && end_of(j.estimate_s) > shadow;
    if (past_shadow && (extra_cores < j.cores || extra_gpus < j.gpus)) continue;
    if (!try_start(i)) continue;
    cores -= j.cores;
    gpus -= j.gpus;
    if (past_shadow) {
      extra_cores -= j.cores;
      extra_gpus -= j.gpus;
    }
  }
}

// Jobs that left the window lose their reservations: only those of jobs in view are held and carried
// to the next call. A kept start that has passed (the job was refused, or overran estimates delayed
// it) is held from now for its full duration.
void ConservativeScheduler::schedule(const QueueState& state,
                                     const std::function<bool(std::size_t)>& try_start) {
  const auto& queue = state.queue;
  const std::size_t n = std::min(queue.size(), window_);
  Profile profile(state.now_s, state.cores_free, state.gpus_free, state.running);
  held_.assign(n, std::nullopt);
  for (std::size_t i = 0; i < n; ++i) {
    const auto it = reservations_.find(queue[i].id);
    if (it == reservations_.end()) continue;
    auto r = it->second;
    r.start_s = std::max(r.start_s, state.now_s);
    profile.reserve(r.start_s, r.duration_s, r.cores, r.gpus);
    held_[i] = r;
  }
  // In queue order, each job leaves its slot and takes the earliest one now free: its own slot at
  // the latest, unless capacity shrank.
  next_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& job = queue[i];
    if (const auto& r = held_[i]) profile.release(r->start_s, r->duration_s, r->cores, r->gpus);
    const double t = earliest_start(profile, job);
    if (t == kInf) continue;  // never fits: no reservation
    reserve(profile, t, job);
    // Started: a running job from the next call on. Refused: keeps its reservation at now.
    if (t == state.now_s && try_start(i)) continue;
    next_[job.id] = {t, job.estimate_s, job.cores, job.gpus};
  }
  std::swap(reservations_, next_);
}

std::optional<double> ConservativeScheduler::reservation_of(std::uint64_t id) const {
  const auto it = reservations_.find(id);
  if (it == reservations_.end()) return std::nullopt;
  return it->second.start_s;
}

// The registry: built-in disciplines, then those added at run time (Python).
namespace {
/// The built-in disciplines' one-line summaries; their names are model/Names.hpp's.
std::string_view builtin_summary(model::QueueDiscipline d) {
  switch (d) {
    case model::QueueDiscipline::kFcfs:
      return "first come, first served: start jobs in queue order until one does not start";
    case model::QueueDiscipline::kEasy:
      return "EASY backfilling: later jobs start if they do not delay the first waiting job";
    case model::QueueDiscipline::kConservative:
      return "conservative backfilling: every job in the window keeps a reservation";
    case model::QueueDiscipline::kAdded:
      break;
  }
  return {};
}
struct AddedQueue {
  std::string name, summary;
  QueueFactory make;
};
std::vector<AddedQueue>& added_queues() {
  static std::vector<AddedQueue> added;
  return added;
}
}  // namespace

void add_queue_scheduler(const std::string& name, const std::string& summary, QueueFactory make) {
  if (is_builtin_queue_scheduler(name))
    throw std::invalid_argument("\"" + name + "\" is a built-in queue discipline; choose another name");
  auto& added = added_queues();
  auto it = std::find_if(added.begin(), added.end(), [&](const AddedQueue& a) { return a.name == name; });
  if (it != added.end())
    *it = {name, summary, std::move(make)};
  else
    added.push_back({name, summary, std::move(make)});
}

bool is_builtin_queue_scheduler(std::string_view name) {
  return model::value_named<model::QueueDiscipline>(name).has_value();
}

std::vector<std::string> queue_scheduler_names() {
  std::vector<std::string> names;
  for (const auto& entry : model::EnumNames<model::QueueDiscipline>::table) names.emplace_back(entry.first);
  for (const auto& a : added_queues()) names.push_back(a.name);
  return names;
}

std::string queue_scheduler_summary(std::string_view name) {
  if (const auto d = model::value_named<model::QueueDiscipline>(name))
    return std::string(builtin_summary(*d));
  for (const auto& a : added_queues())
    if (a.name == name) return a.summary;
  return {};
}

std::unique_ptr<QueueScheduler> make_queue_scheduler(std::string_view name, std::size_t window) {
  QueueContext context;
  context.window = window;
  return make_queue_scheduler(name, context);
}

std::unique_ptr<QueueScheduler> make_queue_scheduler(std::string_view name, const QueueContext& context) {
  if (const auto d = model::value_named<model::QueueDiscipline>(name)) {
    switch (*d) {
      case model::QueueDiscipline::kFcfs:
        return std::make_unique<FcfsScheduler>();
      case model::QueueDiscipline::kEasy:
        return std::make_unique<EasyScheduler>(context.window);
      case model::QueueDiscipline::kConservative:
        return std::make_unique<ConservativeScheduler>(context.window);
      case model::QueueDiscipline::kAdded:
        break;
    }
  }
  for (const auto& a : added_queues())
    if (a.name == name) return a.make(context);
  return nullptr;
}

}  // namespace suanli::policy
