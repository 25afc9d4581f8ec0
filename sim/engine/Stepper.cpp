// The paused simulation (see the header). The simulation runs in a thread of its own; the controller
// asks the gate before each event, and the gate lets it go on while the caller's goal (n events, a
// time) allows, then parks it and hands the caller a snapshot. Only one of the two threads runs at a
// time: the caller waits while the simulation runs and the simulation waits while parked, so the
// controller is only ever touched by the simulation thread (changes are tasks it runs when parked).
#include "engine/Stepper.hpp"

#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <istream>
#include <limits>
#include <mutex>
#include <ostream>
#include <thread>
#include <utility>
#include <vector>

#include "engine/Controller.hpp"
#include "metrics/RunMetrics.hpp"
#include "model/Error.hpp"
#include "policy/ClassRules.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace suanli::engine {

namespace {

/// Thrown from the gate to unwind an abandoned run.
struct Abandoned {};

constexpr std::size_t kMaxDecisions = 200;  ///< decisions kept between two states (the latest)

nlohmann::json make_layout(const model::Scenario& s) {
  const topology::Graph graph(s);
  const auto circle = topology::latency_circle(s, graph);
  nlohmann::json sites = nlohmann::json::array();
  for (const auto& site : s.sites) {
    std::int64_t cores = 0, gpus = 0;
    for (const auto& g : site.nodes)
      if (const auto* t = s.find_node_type(g.type)) {
        cores += g.count * t->cores;
        gpus += g.count * t->gpus;
      }
    sites.push_back({{"name", site.name},
                     {"name_zh", site.name_zh},
                     {"city", site.city},
                     {"kind", model::to_string(site.kind)},
                     {"lat_deg", site.lat_deg},
                     {"lon_deg", site.lon_deg},
                     {"cores", cores},
                     {"gpus", gpus},
                     {"liquid_share", site.cooling.liquid_share}});
  }
  nlohmann::json cities = nlohmann::json::array();
  for (std::size_t c = 0; c < s.cities.size(); ++c) {
    const auto& city = s.cities[c];
    nlohmann::json within = nlohmann::json::array();
    for (const auto& cc : circle.cities)
      if (cc.city == c)
        for (const auto& r : cc.reachable_sites) within.push_back(s.sites[r.site].name);
    cities.push_back({{"name", city.name},
                      {"name_zh", city.name_zh},
                      {"lat_deg", city.lat_deg},
                      {"lon_deg", city.lon_deg},
                      {"role", model::to_string(city.role)},
                      {"sites_within_budget", std::move(within)}});
  }
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : graph.links())
    links.push_back({{"from", graph.vertex_name(l.a)},
                     {"to", graph.vertex_name(l.b)},
                     {"fiber_km", l.fiber_km},
                     {"latency_s", l.latency_s},
                     {"metro", l.metro}});
  nlohmann::json pairs = nlohmann::json::array();
  for (const auto& p : circle.central_pairs)
    pairs.push_back({{"from", s.cities[p.a].name},
                     {"to", s.cities[p.b].name},
                     {"latency_s", p.latency_s},
                     {"within", p.within}});
  nlohmann::json classes = nlohmann::json::array();
  for (std::size_t k = 0; k < s.workload.classes.size(); ++k)
    classes.push_back(
        {{"name", s.workload.classes[k].name}, {"placement", policy::class_rules(s, k).placement}});
  return {{"scenario", s.name},
          {"horizon_s", s.horizon_s},
          {"sampling_interval_s", s.outputs.sampling_interval_s},
          {"seed", s.seed},
          {"queue", model::to_string(s.scheduling.queue)},
          {"targets",
           {{"mode", model::to_string(circle.mode)},
            {"intra_city_s", circle.intra_city_budget_s},
            {"inter_central_city_s", circle.inter_central_budget_s}}},
          {"sites", std::move(sites)},
          {"cities", std::move(cities)},
          {"links", std::move(links)},
          {"central_pairs", std::move(pairs)},
          {"classes", std::move(classes)}};
}

}  // namespace

struct Stepper::Impl final : StepGate {
  enum class Goal { kNone, kEvents, kUntil, kAll, kAbandon };

  model::Scenario scenario;
  RunOptions options;
  nlohmann::json layout;
  metrics::RunColumns columns;
  std::thread thread;

  std::mutex m;
  std::condition_variable cv;
  Goal goal = Goal::kNone;
  std::uint64_t events_left = 0;
  double until_s = 0;
  std::vector<std::function<void()>> tasks;  ///< run by the simulation thread while parked
  std::exception_ptr task_error;
  bool parked = false;
  bool done = false;
  std::exception_ptr failure;
  nlohmann::json summary;

  // Owned by the simulation thread while it runs, read by the caller while it is parked or done.
  Controller* controller = nullptr;
  nlohmann::json live;  ///< the controller's live_state() at the last park
  std::uint64_t events = 0;
  double clock_s = 0;
  std::deque<DecisionRow> decisions;  ///< the latest, at most kMaxDecisions
  std::uint64_t decisions_dropped = 0;
  std::size_t samples_sent = 0;

  Impl(model::Scenario s, RunOptions o) : scenario(std::move(s)), options(std::move(o)) {
    layout = make_layout(scenario);
    columns.keep_jobs = false;
    options.columns = &columns;
    options.gate = this;
    options.progress = false;
    thread = std::thread([this] { simulate(); });
    std::unique_lock lock(m);
    cv.wait(lock, [this] { return parked || done; });
    if (failure && !parked) {
      lock.unlock();
      thread.join();
      std::rethrow_exception(failure);
    }
  }

  ~Impl() override {
    {
      std::lock_guard lock(m);
      if (!done) goal = Goal::kAbandon;
    }
    cv.notify_all();
    if (thread.joinable()) thread.join();
  }

  void simulate() {
    nlohmann::json result;
    std::exception_ptr error;
    try {
      result = run_simulation(scenario, options);
    } catch (const Abandoned&) {
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard lock(m);
    summary = std::move(result);
    failure = error;
    done = true;
    parked = false;
    cv.notify_all();
  }

  // StepGate (simulation thread) -------------------------------------------------------------------

  void attach(Controller& c) override { controller = &c; }

  void before_event(double t_s) override {
    std::unique_lock lock(m);
    while (true) {
      if (goal == Goal::kAbandon) throw Abandoned{};
      if (!tasks.empty()) {
        for (auto& task : tasks) {
          try {
            task();
          } catch (...) {
            task_error = std::current_exception();
          }
        }
        tasks.clear();
      } else if (goal == Goal::kAll || (goal == Goal::kEvents && events_left > 0) ||
                 (goal == Goal::kUntil && t_s <= until_s)) {
        if (goal == Goal::kEvents) --events_left;
        ++events;
        clock_s = std::max(clock_s, t_s);
        return;
      }
      // Park: the goal is reached (or there is none yet).
      if (goal == Goal::kUntil) clock_s = std::max(clock_s, std::min(until_s, scenario.horizon_s));
      goal = Goal::kNone;
      live = controller->live_state();
      parked = true;
      cv.notify_all();
      cv.wait(lock, [this] { return goal != Goal::kNone || !tasks.empty(); });
      parked = false;
    }
  }

  void decision(const DecisionRow& row) override {
    // The simulation thread holds no lock here: the caller only reads `decisions` while parked.
    if (decisions.size() >= kMaxDecisions) {
      decisions.pop_front();
      ++decisions_dropped;
    }
    decisions.push_back(row);
  }

  void ended() override {
    std::lock_guard lock(m);
    clock_s = controller->stop_s();
    live = controller->live_state();
  }

  // The caller's side ------------------------------------------------------------------------------

  /// Sets the goal, lets the simulation run, waits until it parks or ends, and returns the state.
  nlohmann::json go(Goal g, std::uint64_t n = 0, double t = 0) {
    {
      std::unique_lock lock(m);
      if (done) {
        if (failure) std::rethrow_exception(failure);
        if (g != Goal::kNone) throw StepError("the run has finished");
      } else if (g != Goal::kNone) {
        goal = g;
        events_left = n;
        until_s = t;
        cv.notify_all();
        cv.wait(lock, [this] { return (parked && goal == Goal::kNone) || done; });
        if (done && failure) std::rethrow_exception(failure);
      }
    }
    return snapshot();
  }

  nlohmann::json change(std::function<void()> task) {
    {
      std::unique_lock lock(m);
      if (done) throw StepError("the run has finished");
      tasks.push_back(std::move(task));
      task_error = nullptr;
      cv.notify_all();
      cv.wait(lock, [this] { return (parked && tasks.empty()) || done; });
      if (task_error) std::rethrow_exception(std::exchange(task_error, nullptr));
    }
    return snapshot();
  }

  /// The state; called while the simulation is parked or done.
  nlohmann::json snapshot() {
    std::lock_guard lock(m);
    nlohmann::json j = live;
    j["t_s"] = clock_s;
    j["events"] = events;
    j["finished"] = done;
    nlohmann::json rows = nlohmann::json::array();
    const auto& ts = columns.timeseries;
    for (; samples_sent < ts.time_s.size(); ++samples_sent) {
      const auto i = samples_sent;
      rows.push_back({{"time_s", ts.time_s[i]},
                      {"site", scenario.sites[static_cast<std::size_t>(ts.site[i])].name},
                      {"cpu_utilization", ts.cpu_utilization[i]},
                      {"gpu_utilization", ts.gpu_utilization[i]},
                      {"running", ts.running[i]},
                      {"queued", ts.queued[i]},
                      {"it_power_w", ts.it_power_w[i]},
                      {"facility_w", ts.facility_w[i]},
                      {"pue", ts.pue[i]},
                      {"carbon_kg_per_h", ts.carbon_kg_per_h[i]}});
    }
    j["samples"] = std::move(rows);
    nlohmann::json log = nlohmann::json::array();
    for (const auto& row : decisions)
      log.push_back({{"time_s", row.time_s},
                     {"job", row.job},
                     {"class", row.job_class},
                     {"policy", row.policy},
                     {"candidates", row.candidates},
                     {"chosen", row.chosen},
                     {"why", row.why}});
    j["decisions"] = std::move(log);
    j["decisions_dropped"] = decisions_dropped;
    decisions.clear();
    decisions_dropped = 0;
    return j;
  }
};

Stepper::Stepper(model::Scenario scenario, RunOptions options)
    : impl_(std::make_unique<Impl>(std::move(scenario), std::move(options))) {}

Stepper::~Stepper() = default;

const nlohmann::json& Stepper::layout() const { return impl_->layout; }
nlohmann::json Stepper::state() { return impl_->go(Impl::Goal::kNone); }
nlohmann::json Stepper::step(std::uint64_t events) {
  if (events == 0) return state();
  return impl_->go(Impl::Goal::kEvents, events);
}
nlohmann::json Stepper::advance_to(double t_s) { return impl_->go(Impl::Goal::kUntil, 0, t_s); }
nlohmann::json Stepper::next_interval() {
  double next = 0;
  {
    std::lock_guard lock(impl_->m);
    if (!impl_->done) next = impl_->controller->next_sample_s();
  }
  return impl_->go(Impl::Goal::kUntil, 0, next);
}
nlohmann::json Stepper::set_placement(const std::string& job_class, const std::string& name) {
  return impl_->change([this, job_class, name] { impl_->controller->set_placement(job_class, name); });
}
nlohmann::json Stepper::set_queue(const std::string& name) {
  return impl_->change([this, name] { impl_->controller->set_queue(name); });
}
nlohmann::json Stepper::finish() { return impl_->go(Impl::Goal::kAll); }
bool Stepper::finished() const {
  std::lock_guard lock(impl_->m);
  return impl_->done;
}
const nlohmann::json& Stepper::summary() const { return impl_->summary; }

namespace {

constexpr std::size_t kMaxCommandBytes = 64 * 1024;

/// One line of `in`, at most kMaxCommandBytes (a longer one is read to its end and refused).
bool read_command(std::istream& in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  char c;
  bool any = false;
  while (in.get(c)) {
    any = true;
    if (c == '\n') return true;
    if (line.size() < kMaxCommandBytes)
      line += c;
    else
      too_long = true;
  }
  return any;
}

double number_field(const nlohmann::json& cmd, const char* name) {
  const auto it = cmd.find(name);
  if (it == cmd.end() || !it->is_number()) throw StepError(std::string("\"") + name + "\" must be a number");
  return it->get<double>();
}

std::string string_field(const nlohmann::json& cmd, const char* name) {
  const auto it = cmd.find(name);
  if (it == cmd.end() || !it->is_string()) throw StepError(std::string("\"") + name + "\" must be a string");
  return it->get<std::string>();
}

/// Runs one command; returns the reply, or null for "quit".
nlohmann::json execute(Stepper& stepper, const nlohmann::json& cmd) {
  if (!cmd.is_object()) throw StepError("a command is a JSON object with an \"op\"");
  const std::string op = string_field(cmd, "op");
  if (op == "quit") return nullptr;
  nlohmann::json reply{{"ok", true}};
  if (op == "state") {
    reply["state"] = stepper.state();
  } else if (op == "layout") {
    reply["layout"] = stepper.layout();
  } else if (op == "step") {
    double n = cmd.contains("events") ? number_field(cmd, "events") : 1.0;
    if (!(n >= 1 && n <= 1e12) || n != std::floor(n))
      throw StepError("\"events\" must be a whole number >= 1");
    reply["state"] = stepper.step(static_cast<std::uint64_t>(n));
  } else if (op == "advance") {
    const double t = number_field(cmd, "to_s");
    if (!std::isfinite(t)) throw StepError("\"to_s\" must be a finite time in seconds");
    reply["state"] = stepper.advance_to(t);
  } else if (op == "interval") {
    reply["state"] = stepper.next_interval();
  } else if (op == "set") {
    if (cmd.contains("placement")) {
      const std::string cls = cmd.contains("class") ? string_field(cmd, "class") : "*";
      reply["state"] = stepper.set_placement(cls, string_field(cmd, "placement"));
    } else if (cmd.contains("queue")) {
      reply["state"] = stepper.set_queue(string_field(cmd, "queue"));
    } else {
      throw StepError("\"set\" changes \"placement\" (with an optional \"class\") or \"queue\"");
    }
    reply["applied"] = "live";
  } else if (op == "finish") {
    reply["state"] = stepper.finish();
    reply["summary"] = stepper.summary();
  } else {
    throw StepError("unknown op '" + op +
                    "' (known: state, layout, step, advance, interval, set, finish, quit)");
  }
  return reply;
}

}  // namespace

void run_step_protocol(Stepper& stepper, std::istream& in, std::ostream& out) {
  out << nlohmann::json{{"ok", true}, {"layout", stepper.layout()}, {"state", stepper.state()}}.dump() << '\n'
      << std::flush;
  std::string line;
  bool too_long = false;
  while (read_command(in, line, too_long)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos && !too_long) continue;
    nlohmann::json reply;
    try {
      if (too_long) throw StepError("command longer than " + std::to_string(kMaxCommandBytes) + " bytes");
      const auto cmd = nlohmann::json::parse(line);
      reply = execute(stepper, cmd);
      if (reply.is_null()) return;
    } catch (const nlohmann::json::parse_error& e) {
      reply = {{"ok", false}, {"error", std::string("malformed JSON: ") + e.what()}};
    } catch (const StepError& e) {
      reply = {{"ok", false}, {"error", e.what()}};
    } catch (const model::UserError& e) {  // found mid-run (a bad trace line): the run is over
      out << nlohmann::json{{"ok", false}, {"error", e.what()}, {"fatal", true}}.dump() << '\n' << std::flush;
      throw;
    }
    out << reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
  }
}

}  // namespace suanli::engine
