// Queue disciplines: decisions on hand-built states, and reservation properties on random workloads.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/Names.hpp"
#include "policy/QueueScheduler.hpp"

using namespace suanli::policy;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// ---- Profile -------------------------------------------------------------------------------------

/// 9 cores and 2 GPUs in all: 3 cores and 1 GPU free now (one job is overdue), 5 cores from 5, all
/// from 10.
Profile example_profile() {
  const std::vector<RunningJob> running{{10, 4, 1}, {5, 2, 0}, {-3, 1, 1}};
  return Profile(0, 2, 0, running);
}

struct StartCase {
  int cores, gpus;
  double duration_s, expected_s;
};

void expect_earliest_starts(const Profile& p, const std::vector<StartCase>& cases) {
  for (const auto& c : cases)
    EXPECT_EQ(p.earliest_start(c.cores, c.gpus, c.duration_s), c.expected_s)
        << c.cores << " cores, " << c.gpus << " GPUs for " << c.duration_s << " s";
}

struct FreeCase {
  double t;
  std::int64_t cores, gpus;
};

void expect_free(const Profile& p, const std::vector<FreeCase>& cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(p.cores_at(c.t), c.cores) << "at " << c.t;
    EXPECT_EQ(p.gpus_at(c.t), c.gpus) << "at " << c.t;
  }
}

TEST(ProfileTest, ReleasesRunningJobsAtTheirExpectedEnd) {
  expect_free(example_profile(),
              {{-1, 3, 1}, {0, 3, 1}, {4.9, 3, 1}, {5, 5, 1}, {9.9, 5, 1}, {10, 9, 2}, {1e9, 9, 2}});
}

TEST(ProfileTest, EarliestStart) {
  const std::vector<StartCase> cases{
      {3, 1, 100, 0},    // fits now, for ever
      {4, 0, 1, 5},      // waits for the first release
      {5, 1, kInf, 5},   // for ever, from 5
      {6, 0, 1, 10},     // waits for both releases
      {9, 2, 1, 10},     // the whole machine
      {10, 0, 1, kInf},  // more cores than the machine
      {0, 3, 1, kInf},   // more GPUs than the machine
      {0, 0, 0, 0},      // nothing at all
      {3, 1, 0, 0},      // zero duration: the step holding t
      {4, 0, 0, 5},      // zero duration, waiting
  };
  expect_earliest_starts(example_profile(), cases);
}

TEST(ProfileTest, ReserveSplitsSteps) {
  auto p = example_profile();
  p.reserve(2, 5, 2, 1);  // [2, 7): splits [0, 5) and [5, 10)
  const std::vector<FreeCase> free{{0, 3, 1}, {1.9, 3, 1}, {2, 1, 0}, {4.9, 1, 0},
                                   {5, 3, 0}, {6.9, 3, 0}, {7, 5, 1}, {10, 9, 2}};
  expect_free(p, free);
  const std::vector<StartCase> starts{
      {3, 0, 2, 0},    // the gap before the reservation
      {3, 0, 2.5, 5},  // too long for it
      {2, 0, 4, 5},    // [5, 9) spans two steps
      {0, 1, 1, 0},    // the GPU before the reservation
      {0, 1, 3, 7},    // the GPU after it
      {5, 1, 1, 7},    // both after it
  };
  expect_earliest_starts(p, starts);
}

TEST(ProfileTest, ZeroDurationReservationHoldsAnInstant) {
  auto p = example_profile();
  p.reserve(5, 0, 5, 1);
  expect_free(p, {{4.9, 3, 1}, {5, 0, 0}, {std::nextafter(5.0, kInf), 5, 1}, {10, 9, 2}});
  EXPECT_EQ(p.earliest_start(1, 0, 5), 0);  // [0, 5) ends before the instant
  EXPECT_GT(p.earliest_start(1, 0, 6), 5);
  EXPECT_LT(p.earliest_start(1, 0, 6), 5.001);
}

TEST(ProfileTest, ReleaseUndoesReserve) {
  auto p = example_profile();
  p.reserve(2, 5, 2, 1);
  p.release(2, 5, 2, 1);
  p.reserve(-1, 3, 1, 0);  // from now: [0, 2)
  p.release(-1, 3, 1, 0);
  expect_free(p, {{0, 3, 1}, {2, 3, 1}, {4.9, 3, 1}, {5, 5, 1}, {7, 5, 1}, {9.9, 5, 1}, {10, 9, 2}});
  expect_earliest_starts(p, {{4, 0, 1, 5}, {0, 1, 20, 0}, {6, 0, 1, 10}});
}

// Kept reservations may overbook a capacity that shrank: such steps fit nothing, not even nothing.
TEST(ProfileTest, OverbookedStepsFitNothing) {
  auto p = example_profile();
  p.reserve(0, 5, 5, 0);  // 3 cores free over [0, 5)
  expect_free(p, {{0, -2, 1}, {4.9, -2, 1}, {5, 5, 1}});
  expect_earliest_starts(p, {{0, 0, 0, 5}, {0, 1, 1, 5}, {1, 0, 3, 5}});
  p.release(0, 5, 5, 0);
  expect_earliest_starts(p, {{0, 0, 0, 0}, {3, 1, 4, 0}});
}

TEST(ProfileTest, JobThatNeverEndsIsNeverReleased) {
  const std::vector<RunningJob> running{{kInf, 4, 0}};
  const Profile p(0, 4, 0, running);
  EXPECT_EQ(p.earliest_start(4, 0, 1), 0);
  EXPECT_EQ(p.earliest_start(5, 0, 1), kInf);
}

// ---- Decisions on hand-built states --------------------------------------------------------------

struct Offer {
  std::size_t position;
  bool started;
  bool operator==(const Offer&) const = default;
};
void PrintTo(const Offer& o, std::ostream* os) { *os << o.position << (o.started ? "+" : "-"); }

struct Given {
  double now_s = 0;
  std::int64_t cores_free = 0, gpus_free = 0;
  std::vector<RunningJob> running;
  std::vector<WaitingJob> queue;
  std::set<std::size_t> refused;  ///< positions the pool refuses whatever its free capacity
};

/// The built-in disciplines (AddedDisciplines adds one to the registry of this process).
std::vector<std::string> builtin_names() {
  auto names = queue_scheduler_names();
  std::erase_if(names, [](const std::string& n) { return !is_builtin_queue_scheduler(n); });
  return names;
}

/// The state with each queued job's id set to its position.
Given with_ids(Given s) {
  for (std::size_t i = 0; i < s.queue.size(); ++i) s.queue[i].id = i;
  return s;
}

/// One call; the pool starts a job when its aggregate free capacity suffices, unless it refuses it.
/// `by_end`: the running jobs are given in order of expected end instead (QueueState::running_by_end).
std::vector<Offer> offers(QueueScheduler& scheduler, const Given& s, bool by_end = false) {
  std::int64_t cores = s.cores_free, gpus = s.gpus_free;
  std::vector<Offer> out;
  QueueState state{s.now_s, s.cores_free, s.gpus_free, s.running, s.queue, {}};
  std::vector<RunningJob> sorted = s.running;
  std::stable_sort(sorted.begin(), sorted.end(), [](const RunningJob& a, const RunningJob& b) {
    return a.expected_end_s < b.expected_end_s;
  });
  if (by_end) {
    state.running = {};
    state.running_by_end = [&sorted](const std::function<bool(const RunningJob&)>& visit) {
      for (const auto& r : sorted)
        if (!visit(r)) return;
    };
  }
  scheduler.schedule(state, [&](std::size_t i) {
    const auto& j = s.queue.at(i);
    const bool ok = !s.refused.contains(i) && j.cores <= cores && j.gpus <= gpus;
    if (ok) {
      cores -= j.cores;
      gpus -= j.gpus;
    }
    out.push_back({i, ok});
    return ok;
  });
  return out;
}

struct DecisionCase {
  const char* what;
  Given given;
  std::vector<Offer> fcfs, easy, conservative;  ///< offers in order; position, started
};

// Given{now, cores free, GPUs free, running {expected end, cores, GPUs}, queue {cores, GPUs,
// estimate}, refused positions}; each case runs on new schedulers, with ids = positions.
const std::vector<DecisionCase> kDecisionCases = {
    {"FCFS stops at the first blocked job; backfilling goes on",
     {0, 4, 0, {{10, 4, 0}}, {{2, 0, 5}, {3, 0, 5}, {1, 0, 5}}, {}},
     {{0, true}, {1, false}},
     {{0, true}, {2, true}},
     {{0, true}, {2, true}}},
    // Head: 7 cores from 10 to 20, leaving 2 cores. 1 needs 3 cores past 10; 2 ends at 5; 3 fits in
    // what the head leaves.
    {"backfill a short job and one using capacity the head leaves, not one delaying the head",
     {0, 3, 1, {{10, 6, 1}}, {{7, 0, 10}, {3, 0, 50}, {1, 0, 5}, {2, 1, 100}}, {}},
     {{0, false}},
     {{2, true}, {3, true}},
     {{2, true}, {3, true}}},
    // Head: 3 cores over [10, 20); job 1: all 4 over [20, 25). Job 2 fits around the head but would
    // delay job 1, so conservative holds it and starts job 3 in its place.
    {"conservative protects the second job's reservation, EASY does not",
     {0, 1, 0, {{10, 3, 0}}, {{3, 0, 10}, {4, 0, 5}, {1, 0, 30}, {1, 0, 10}}, {}},
     {{0, false}},
     {{2, true}},
     {{3, true}}},
    // Job 0 keeps 2 cores over [0, 10): job 1 waits until 10; EASY starts 2 (it may delay 1).
    {"a job refused although it fits holds its place at now",
     {0, 4, 0, {}, {{2, 0, 10}, {3, 0, 5}, {2, 0, 100}}, {0}},
     {{0, false}},
     {{0, false}, {2, true}},
     {{0, false}}},
    {"a refused backfill candidate gets no reservation under EASY",
     {0, 4, 0, {{10, 4, 0}}, {{8, 0, 10}, {2, 0, 5}, {4, 0, 10}}, {1}},
     {{0, false}},
     {{1, false}, {2, true}},
     {{1, false}}},
    {"a job that can never fit blocks FCFS only",
     {0, 4, 0, {}, {{8, 0, 10}, {2, 0, 5}}, {}},
     {{0, false}},
     {{1, true}},
     {{1, true}}},
    // The overdue job frees 2 cores now, so the head (6 cores from 200) leaves 2 for job 1.
    {"a job past its expected end is expected to end now",
     {100, 2, 0, {{50, 2, 0}, {200, 4, 0}}, {{6, 0, 10}, {2, 0, 150}}, {}},
     {{0, false}},
     {{1, true}},
     {{1, true}}},
    // The head holds all 4 cores at the instant 10; job 2 holds 2 cores now.
    {"zero-duration estimates hold their resources for an instant",
     {0, 2, 0, {{10, 2, 0}}, {{4, 0, 0}, {2, 0, 20}, {2, 0, 0}, {2, 0, 10}}, {}},
     {{0, false}},
     {{2, true}},
     {{2, true}}},
};

TEST(QueueSchedulerTest, Decisions) {
  for (const auto& c : kDecisionCases) {
    for (const auto& [name, expected] :
         {std::pair{"fcfs", c.fcfs}, std::pair{"easy", c.easy}, std::pair{"conservative", c.conservative}}) {
      SCOPED_TRACE(std::string(name) + ": " + c.what);
      const auto scheduler = make_queue_scheduler(name);
      ASSERT_NE(scheduler, nullptr);
      EXPECT_EQ(offers(*scheduler, with_ids(c.given)), expected);
    }
  }
}

TEST(QueueSchedulerTest, WindowLimitsLookAhead) {
  // Head: 4 cores from 10; job 1 does not fit now; job 2 does.
  const auto s = with_ids({0, 1, 0, {{10, 3, 0}}, {{4, 0, 10}, {2, 0, 5}, {1, 0, 5}}, {}});
  for (const auto* name : {"easy", "conservative"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(offers(*make_queue_scheduler(name, 2), s), std::vector<Offer>{});
    EXPECT_EQ(offers(*make_queue_scheduler(name, 3), s), (std::vector<Offer>{{2, true}}));
  }
}

// 2 cores. X (1 core) is expected to end at 10 but ends at 1; Y (1 core) ends at 4. J1 (2 cores,
// 10 s) is reserved at 10, J2 (1 core, 5 s) at 4 in the gap. Recomputed from scratch at 1, J1 would
// take [4, 14) and push J2 back to 14; kept reservations compress J1 to 9 and let J2 start at once.
TEST(QueueSchedulerTest, ConservativeKeepsReservationsWhenAJobEndsEarly) {
  const std::vector<WaitingJob> queue{{2, 0, 10, 1}, {1, 0, 5, 2}};
  ConservativeScheduler conservative;
  EXPECT_EQ(offers(conservative, {0, 0, 0, {{10, 1, 0}, {4, 1, 0}}, queue, {}}), std::vector<Offer>{});
  EXPECT_EQ(conservative.reservation_of(1), 10);
  EXPECT_EQ(conservative.reservation_of(2), 4);

  const Given x_ended{1, 1, 0, {{4, 1, 0}}, queue, {}};
  ConservativeScheduler from_scratch;
  EXPECT_EQ(offers(from_scratch, x_ended), std::vector<Offer>{});
  EXPECT_EQ(from_scratch.reservation_of(2), 14);

  EXPECT_EQ(offers(conservative, x_ended), (std::vector<Offer>{{1, true}}));
  EXPECT_EQ(conservative.reservation_of(1), 9);
  EXPECT_EQ(conservative.reservation_of(2), std::nullopt);  // running now
  // Y ends at 4 (J2 runs until 6); J2 ends at 6 and J1 starts.
  EXPECT_EQ(offers(conservative, {4, 1, 0, {{6, 1, 0}}, {queue[0]}, {}}), std::vector<Offer>{});
  EXPECT_EQ(conservative.reservation_of(1), 6);
  EXPECT_EQ(offers(conservative, {6, 2, 0, {}, {queue[0]}, {}}), (std::vector<Offer>{{0, true}}));
  EXPECT_EQ(conservative.reservation_of(1), std::nullopt);
}

// X (2 cores) runs until 10; J1 (2 cores) is reserved over [10, 20) and J2 (1 core) at 20. When J1
// leaves the queue, its reservation goes with it and J2 moves up to 10; a job beyond the window has
// none.
TEST(QueueSchedulerTest, ConservativeForgetsJobsThatLeaveTheQueueOrWindow) {
  const WaitingJob j1{2, 0, 10, 1}, j2{1, 0, 5, 2}, j3{1, 0, 5, 3};
  ConservativeScheduler conservative(2);
  EXPECT_EQ(offers(conservative, {0, 0, 0, {{10, 2, 0}}, {j1, j2, j3}, {}}), std::vector<Offer>{});
  EXPECT_EQ(conservative.reservation_of(1), 10);
  EXPECT_EQ(conservative.reservation_of(2), 20);
  EXPECT_EQ(conservative.reservation_of(3), std::nullopt);
  EXPECT_EQ(offers(conservative, {5, 0, 0, {{10, 2, 0}}, {j2, j3}, {}}), std::vector<Offer>{});
  EXPECT_EQ(conservative.reservation_of(1), std::nullopt);
  EXPECT_EQ(conservative.reservation_of(2), 10);
  EXPECT_EQ(conservative.reservation_of(3), 10);
}

// J1 (4 cores) is reserved over [10, 20), J2 (1 core) at 20. Then half the pool goes away (only 2
// cores come back at 10): J1's kept reservation overbooks it, J1 can never fit and loses it, and
// J2 moves up to 10.
TEST(QueueSchedulerTest, ConservativeDropsAReservationThatNoLongerFits) {
  const std::vector<WaitingJob> queue{{4, 0, 10, 1}, {1, 0, 5, 2}};
  ConservativeScheduler conservative;
  EXPECT_EQ(offers(conservative, {0, 0, 0, {{10, 4, 0}}, queue, {}}), std::vector<Offer>{});
  EXPECT_EQ(conservative.reservation_of(1), 10);
  EXPECT_EQ(conservative.reservation_of(2), 20);
  EXPECT_EQ(offers(conservative, {2, 0, 0, {{10, 2, 0}}, queue, {}}), std::vector<Offer>{});
  EXPECT_EQ(conservative.reservation_of(1), std::nullopt);
  EXPECT_EQ(conservative.reservation_of(2), 10);
}

// A job the pool refuses stays reserved at now, and is offered again at the next call. J7 (2 cores)
// is refused at 0; J8 (2 cores, 5 s) starts beside it; at 3, J7 is offered again.
TEST(QueueSchedulerTest, ConservativeRefusedJobStaysReservedAtNow) {
  const std::vector<WaitingJob> queue{{2, 0, 10, 7}, {2, 0, 5, 8}};
  ConservativeScheduler conservative;
  EXPECT_EQ(offers(conservative, {0, 4, 0, {}, queue, {0}}), (std::vector<Offer>{{0, false}, {1, true}}));
  EXPECT_EQ(conservative.reservation_of(7), 0);
  EXPECT_EQ(conservative.reservation_of(8), std::nullopt);
  EXPECT_EQ(offers(conservative, {3, 2, 0, {{5, 2, 0}}, {queue[0]}, {}}), (std::vector<Offer>{{0, true}}));
  EXPECT_EQ(conservative.reservation_of(7), std::nullopt);
}

TEST(QueueSchedulerTest, NamesAndFactory) {
  // Every discipline a scenario can name has its scheduler, under the same name.
  for (const auto& [table_name, discipline] :
       suanli::model::EnumNames<suanli::model::QueueDiscipline>::table) {
    const auto scheduler = make_queue_scheduler(suanli::model::to_string(discipline));
    ASSERT_NE(scheduler, nullptr) << table_name;
    EXPECT_EQ(scheduler->name(), table_name);
  }
  const auto builtin = suanli::model::names_of<suanli::model::QueueDiscipline>();
  auto names = queue_scheduler_names();
  names.resize(builtin.size());  // the built-in ones first (AddedDisciplines may have added one)
  EXPECT_EQ(names, builtin);
  EXPECT_FALSE(is_builtin_queue_scheduler("sjf"));
  for (const auto& name : builtin) {
    const auto scheduler = make_queue_scheduler(name);
    ASSERT_NE(scheduler, nullptr) << name;
    EXPECT_EQ(scheduler->name(), name);
  }
  EXPECT_EQ(make_queue_scheduler("sjf"), nullptr);
}

/// Last come, first served until a job does not start: a discipline added at run time.
class LifoScheduler : public QueueScheduler {
 public:
  explicit LifoScheduler(std::string name) : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  void schedule(const QueueState& state, const std::function<bool(std::size_t)>& try_start) override {
    for (std::size_t i = state.queue.size(); i-- > 0;)
      if (!try_start(i)) return;
  }

 private:
  std::string name_;
};

TEST(QueueSchedulerTest, AddedDisciplines) {
  static QueueContext seen;
  add_queue_scheduler("test_lifo", "last come, first served", [](const QueueContext& context) {
    seen = context;
    return std::make_unique<LifoScheduler>("test_lifo");
  });
  const auto names = queue_scheduler_names();
  ASSERT_GE(names.size(), 4u);
  EXPECT_EQ(names.back(), "test_lifo");
  EXPECT_EQ(queue_scheduler_summary("test_lifo"), "last come, first served");
  EXPECT_NE(queue_scheduler_summary("easy"), "");
  EXPECT_EQ(queue_scheduler_summary("sjf"), "");
  EXPECT_FALSE(is_builtin_queue_scheduler("test_lifo"));

  // The factory gets the pool's context; the scheduler decides as written.
  QueueContext context;
  context.window = 7;
  context.site = 3;
  context.gpu_pool = true;
  auto lifo = make_queue_scheduler("test_lifo", context);
  ASSERT_NE(lifo, nullptr);
  EXPECT_EQ(seen.window, 7u);
  EXPECT_EQ(seen.site, 3u);
  EXPECT_TRUE(seen.gpu_pool);
  const Given s{0, 4, 0, {}, {{1, 0, 10}, {2, 0, 10}, {3, 0, 10}}, {}};
  EXPECT_EQ(offers(*lifo, with_ids(s)), (std::vector<Offer>{{2, true}, {1, false}}));

  // A built-in name cannot be replaced; adding a name again replaces the addition.
  EXPECT_THROW(
      add_queue_scheduler("fcfs", "", [](const QueueContext&) { return std::make_unique<FcfsScheduler>(); }),
      std::invalid_argument);
  add_queue_scheduler("test_lifo", "now first come",
                      [](const QueueContext&) { return std::make_unique<FcfsScheduler>(); });
  EXPECT_EQ(queue_scheduler_names().size(), names.size());
  EXPECT_EQ(queue_scheduler_summary("test_lifo"), "now first come");
  EXPECT_EQ(offers(*make_queue_scheduler("test_lifo"), with_ids(s)),
            (std::vector<Offer>{{0, true}, {1, true}, {2, false}}));
}

// ---- EASY without a profile makes the profile-based EASY's decisions -------------------------------

/// The reference: EASY over an availability profile (reservation for the head at its earliest start
/// in the profile; a later job starts when the profile lets it start now for its whole estimate).
class ProfileEasy : public QueueScheduler {
 public:
  std::string_view name() const override { return "profile-easy"; }
  void schedule(const QueueState& state, const std::function<bool(std::size_t)>& try_start) override {
    const auto& queue = state.queue;
    Profile profile(state.now_s, state.cores_free, state.gpus_free, state.running);
    const auto fits_now = [&](const WaitingJob& j) {
      return profile.earliest_start(j.cores, j.gpus, j.estimate_s) == state.now_s;
    };
    std::size_t head = 0;
    for (; head < queue.size(); ++head) {
      if (!fits_now(queue[head]) || !try_start(head)) break;
      profile.reserve(state.now_s, queue[head].estimate_s, queue[head].cores, queue[head].gpus);
    }
    if (head == queue.size()) return;
    const auto& h = queue[head];
    profile.reserve(profile.earliest_start(h.cores, h.gpus, h.estimate_s), h.estimate_s, h.cores, h.gpus);
    for (std::size_t i = head + 1; i < std::min<std::size_t>(queue.size(), 256); ++i)
      if (fits_now(queue[i]) && try_start(i))
        profile.reserve(state.now_s, queue[i].estimate_s, queue[i].cores, queue[i].gpus);
  }
};

TEST(QueueSchedulerTest, EasyMatchesTheProfileBasedEasyOnRandomStates) {
  // Small integers make ties (equal ends, ends at the shadow time, zero estimates, overdue jobs,
  // refusals) frequent: the cases where a shortcut would differ.
  std::mt19937_64 rng(2024);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int calls = 0, decisions = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    Given g;
    g.now_s = pick(0, 3) * 5.0;
    g.cores_free = pick(-1, 8);
    g.gpus_free = pick(0, 2);
    for (int r = pick(0, 6); r > 0; --r)
      g.running.push_back({pick(0, 8) == 0 ? kInf : pick(0, 6) * 5.0, pick(0, 6), pick(0, 2)});
    for (int q = pick(1, 8); q > 0; --q)
      g.queue.push_back({pick(0, 10), pick(0, 2), static_cast<double>(pick(0, 4) * 5)});
    for (std::size_t i = 0; i < g.queue.size(); ++i)
      if (pick(0, 9) == 0) g.refused.insert(i);
    g = with_ids(g);
    EasyScheduler fast;
    ProfileEasy reference;
    const auto a = offers(fast, g);
    const auto b = offers(reference, g);
    ASSERT_EQ(a, b) << "trial " << trial;
    ASSERT_EQ(offers(fast, g, true), b) << "trial " << trial << ", running jobs in order of expected end";
    ++calls;
    decisions += static_cast<int>(a.size());
  }
  EXPECT_EQ(calls, 20000);
  EXPECT_GT(decisions, 20000);  // the states do offer jobs
}

// ---- Random workloads on a small machine, run by a tiny discrete-event engine ---------------------

constexpr int kCores = 16, kGpus = 4;
constexpr int kWorkloads = 300;

struct Job {
  double arrival_s = 0, runtime_s = 0, estimate_s = 0;
  int cores = 0, gpus = 0;
};

/// 30-60 jobs, mostly small, arriving about every 12 s (some together), on whole seconds so that
/// events often coincide. Estimates >= run times, some far larger; equal when `exact`.
std::vector<Job> random_workload(std::uint64_t seed, bool exact) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  auto integer = [&](int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); };
  std::vector<Job> jobs(static_cast<std::size_t>(integer(30, 60)));
  double t = 0;
  for (auto& j : jobs) {
    if (uniform(0, 1) > 0.1) t += std::round(std::exponential_distribution<double>(1.0 / 12)(rng));
    j.arrival_s = t;
    const double size = uniform(0, 1);
    j.cores = size < 0.6 ? integer(1, 4) : size < 0.9 ? integer(5, 12) : integer(13, kCores);
    j.gpus = uniform(0, 1) < 0.7 ? 0 : integer(1, kGpus);
    j.runtime_s = integer(1, 100);
    const double over = uniform(0, 1);
    j.estimate_s = exact || over < 0.3 ? j.runtime_s
                   : over < 0.8        ? std::ceil(j.runtime_s * uniform(1, 2))
                                       : std::ceil(j.runtime_s * uniform(5, 20));
  }
  return jobs;
}

/// What one schedule() call saw and did.
struct Call {
  const QueueState& state;
  const std::vector<std::size_t>& ids;  ///< job at each queue position
  const std::vector<bool>& started;     ///< by queue position
};

struct Run {
  std::vector<double> start_s, end_s;  ///< by job; -1 when never
  int refusals = 0;                    ///< offers the pool refused (not enough free)
  int offers_after_refusal = 0;        ///< in the same call
  double mean_wait_s = 0;
};

/// Arrivals and completions (at the actual run time); one call at each event time, with running jobs
/// expected to end at start + estimate. The pool starts a job iff aggregate free capacity suffices.
Run simulate(QueueScheduler& scheduler, const std::vector<Job>& jobs,
             const std::function<void(const Call&)>& observe = {}) {
  Run run;
  run.start_s.assign(jobs.size(), -1);
  run.end_s.assign(jobs.size(), -1);
  std::vector<std::size_t> active, queue;  // job ids
  std::int64_t cores = kCores, gpus = kGpus;
  std::size_t next = 0;
  for (int calls = 0; calls < 100000; ++calls) {
    double now = next < jobs.size() ? jobs[next].arrival_s : kInf;
    for (const auto id : active) now = std::min(now, run.start_s[id] + jobs[id].runtime_s);
    if (now == kInf) break;
    std::erase_if(active, [&](std::size_t id) {
      if (run.start_s[id] + jobs[id].runtime_s > now) return false;
      run.end_s[id] = now;
      cores += jobs[id].cores;
      gpus += jobs[id].gpus;
      return true;
    });
    while (next < jobs.size() && jobs[next].arrival_s <= now) queue.push_back(next++);

    std::vector<RunningJob> running;
    for (const auto id : active)
      running.push_back({run.start_s[id] + jobs[id].estimate_s, jobs[id].cores, jobs[id].gpus});
    std::vector<WaitingJob> waiting;
    for (const auto id : queue) waiting.push_back({jobs[id].cores, jobs[id].gpus, jobs[id].estimate_s, id});
    const QueueState state{now, cores, gpus, running, waiting, {}};
    std::vector<bool> offered(queue.size()), started(queue.size());
    bool refused = false;
    scheduler.schedule(state, [&](std::size_t i) {
      if (i >= queue.size() || offered[i]) {
        ADD_FAILURE() << "position " << i << " offered twice or out of range";
        return false;
      }
      offered[i] = true;
      run.offers_after_refusal += refused ? 1 : 0;
      const auto& j = jobs[queue[i]];
      if (j.cores > cores || j.gpus > gpus) {
        ++run.refusals;
        refused = true;
        return false;
      }
      cores -= j.cores;
      gpus -= j.gpus;
      started[i] = true;
      run.start_s[queue[i]] = now;
      active.push_back(queue[i]);
      return true;
    });
    EXPECT_TRUE(cores >= 0 && gpus >= 0);
    if (observe) observe(Call{state, queue, started});
    std::vector<std::size_t> still;
    for (std::size_t i = 0; i < queue.size(); ++i)
      if (!started[i]) still.push_back(queue[i]);
    queue = std::move(still);
  }
  for (std::size_t id = 0; id < jobs.size(); ++id)
    run.mean_wait_s += (run.start_s[id] - jobs[id].arrival_s) / static_cast<double>(jobs.size());
  return run;
}

/// Reservations by job, in the order given.
using Reservations = std::vector<std::vector<double>>;

/// EASY's head reservation in this call, replayed on a Profile: the first job not started, after the
/// jobs ahead of it (all started) take their estimates from now.
void record_easy_head(const Call& c, Reservations& out) {
  const auto& s = c.state;
  Profile p(s.now_s, s.cores_free, s.gpus_free, s.running);
  for (std::size_t i = 0; i < s.queue.size(); ++i) {
    const auto& j = s.queue[i];
    if (!c.started[i]) {
      out[c.ids[i]].push_back(p.earliest_start(j.cores, j.gpus, j.estimate_s));
      return;
    }
    p.reserve(s.now_s, j.estimate_s, j.cores, j.gpus);
  }
}

/// Conservative's reservations after this call, as it reports them (the queue stays within the
/// window, and every job fits the machine): now for the jobs it started, which it no longer holds; a
/// later start for every other job.
void record_conservative(const Call& c, const ConservativeScheduler& scheduler, Reservations& out) {
  const double now = c.state.now_s;
  for (std::size_t i = 0; i < c.ids.size(); ++i) {
    const auto id = c.ids[i];
    const auto t = scheduler.reservation_of(id);
    if (c.started[i]) {
      EXPECT_EQ(t, std::nullopt) << "job " << id << " started at " << now;
      out[id].push_back(now);
    } else if (t) {
      EXPECT_GT(*t, now) << "job " << id << " waits although reserved at now";
      out[id].push_back(*t);
    } else {
      ADD_FAILURE() << "job " << id << " has no reservation at " << now;
    }
  }
}

/// Jobs whose reservation ever moved later.
int reservations_moved_later(const Reservations& reservations) {
  return static_cast<int>(std::count_if(reservations.begin(), reservations.end(), [](const auto& r) {
    return std::adjacent_find(r.begin(), r.end(), std::less<>()) != r.end();
  }));
}

/// Jobs that started after a reservation they were given (any of them, or the first).
int late_starts(const Run& run, const Reservations& reservations, bool first_only) {
  int late = 0;
  for (std::size_t id = 0; id < reservations.size(); ++id) {
    const auto& r = reservations[id];
    const auto n = first_only ? std::min<std::size_t>(r.size(), 1) : r.size();
    if (std::any_of(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(n),
                    [&](double t) { return run.start_s[id] > t; }))
      ++late;
  }
  return late;
}

TEST(QueueSchedulerPropertyTest, AllJobsFinishWithinCapacity) {
  for (const bool exact : {false, true}) {
    for (const auto& name : builtin_names()) {
      for (std::uint64_t seed = 1; seed <= kWorkloads; ++seed) {
        SCOPED_TRACE(name + " seed " + std::to_string(seed) + (exact ? " exact" : ""));
        const auto scheduler = make_queue_scheduler(name);
        const auto jobs = random_workload(seed, exact);
        const auto run = simulate(*scheduler, jobs);
        for (std::size_t id = 0; id < jobs.size(); ++id) {
          ASSERT_GE(run.start_s[id], jobs[id].arrival_s) << "job " << id;
          ASSERT_EQ(run.end_s[id], run.start_s[id] + jobs[id].runtime_s) << "job " << id;
        }
        // FCFS stops at its first refusal; the backfillers offer only what the profile says fits.
        EXPECT_EQ(run.offers_after_refusal, 0);
        if (name != "fcfs") {
          EXPECT_EQ(run.refusals, 0);
        }
      }
    }
  }
}

TEST(QueueSchedulerPropertyTest, EasyHeadStartsByItsReservation) {
  EasyScheduler easy;
  for (const bool exact : {false, true}) {
    for (std::uint64_t seed = 1; seed <= kWorkloads; ++seed) {
      const auto jobs = random_workload(seed, exact);
      Reservations heads(jobs.size());
      const auto run = simulate(easy, jobs, [&](const Call& c) { record_easy_head(c, heads); });
      EXPECT_EQ(late_starts(run, heads, false), 0) << "seed " << seed << (exact ? " exact" : "");
    }
  }
}

// Conservative never delays an earlier reservation: with estimates >= run times (early completions
// included), each job's reservations only move earlier and it starts by the first (and every) one.
TEST(QueueSchedulerPropertyTest, ConservativeJobsStartByTheirFirstReservation) {
  int late_after_first = 0, late_after_any = 0, moved_later = 0, jobs_total = 0;
  for (const bool exact : {false, true}) {
    for (std::uint64_t seed = 1; seed <= kWorkloads; ++seed) {
      SCOPED_TRACE("seed " + std::to_string(seed) + (exact ? " exact" : ""));
      ConservativeScheduler conservative;
      const auto jobs = random_workload(seed, exact);
      Reservations reservations(jobs.size());
      const auto run = simulate(conservative, jobs,
                                [&](const Call& c) { record_conservative(c, conservative, reservations); });
      const int first = late_starts(run, reservations, true), any = late_starts(run, reservations, false),
                later = reservations_moved_later(reservations);
      EXPECT_EQ(first, 0);
      EXPECT_EQ(any, 0);
      EXPECT_EQ(later, 0);
      late_after_first += first;
      late_after_any += any;
      moved_later += later;
      jobs_total += static_cast<int>(jobs.size());
    }
  }
  std::cout << "[          ] conservative: " << late_after_first << " of " << jobs_total
            << " jobs started after their first reservation, " << late_after_any << " after any, "
            << moved_later << " had a reservation moved later\n";
  RecordProperty("conservative_late_after_first_reservation", late_after_first);
}

TEST(QueueSchedulerPropertyTest, BackfillingWaitsNoLongerThanFcfs) {
  std::vector<double> mean_wait;  // summed over workloads, by scheduler
  for (const auto& name : builtin_names()) {
    double sum = 0;
    for (std::uint64_t seed = 1; seed <= kWorkloads; ++seed)
      sum += simulate(*make_queue_scheduler(name), random_workload(seed, false)).mean_wait_s;
    mean_wait.push_back(sum);
  }
  std::ostringstream line;
  line << "mean wait over " << kWorkloads << " workloads: fcfs " << mean_wait[0] / kWorkloads << " s, easy "
       << mean_wait[1] / kWorkloads << " s, conservative " << mean_wait[2] / kWorkloads << " s";
  std::cout << "[          ] " << line.str() << "\n";
  RecordProperty("mean_waits", line.str());
  EXPECT_LE(mean_wait[1], mean_wait[0]);
  EXPECT_LE(mean_wait[2], mean_wait[0]);
}

}  // namespace
