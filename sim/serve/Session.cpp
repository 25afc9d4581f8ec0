#include "serve/Session.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

namespace suanli::serve {
namespace {

using nlohmann::json;

double number(const json& object, const char* key, double fallback = 0) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string clock_text(double t_s) {
  const auto total = static_cast<long long>(std::floor(t_s));
  char text[48];
  std::snprintf(text, sizeof text, "%lldd %02lld:%02lld:%02lld", total / 86400, total / 3600 % 24,
                total / 60 % 60, total % 60);
  return text;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string format_number(double v) {
  std::ostringstream ss;
  ss << v;
  return ss.str();
}

const std::set<std::string> kOps = {"play",  "pause", "step",    "interval", "advance",
                                    "speed", "set",   "compare", "reset"};

}  // namespace

Session::Session(SessionOptions options) : options_(std::move(options)), speed_(options_.speed_sim_s_per_s) {}

Session::~Session() { stop(); }

void Session::start() {
  std::lock_guard lock(mutex_);
  a_ = std::make_unique<Run>(std::string("A"));
  restart(*a_, 0);
  publish();
  ticker_ = std::thread([this] { ticker(); });
}

void Session::stop() {
  if (stopping_.exchange(true)) {
    if (ticker_.joinable()) ticker_.join();
    return;
  }
  changed_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  std::lock_guard lock(mutex_);
  if (a_) a_->child.reset();
  if (b_) b_->child.reset();
  changed_.notify_all();
}

std::vector<std::string> Session::child_args(const RunConfig& config) const {
  std::vector<std::string> args{"step", options_.scenario_path};
  args.insert(args.end(), options_.step_args.begin(), options_.step_args.end());
  auto set = [&](const std::string& pointer, const json& value) {
    args.push_back("--set");
    args.push_back(pointer + "=" + value.dump());
  };
  const auto& doc = options_.document;
  if (!config.placement.empty()) set("/workload/classes/*/placement", config.placement);
  if (!config.queue.empty()) set("/scheduling/queue", config.queue);
  if (config.liquid_share && doc.contains("sites")) {
    for (std::size_t i = 0; i < doc["sites"].size(); ++i) {
      const auto& site = doc["sites"][i];
      if (site.value("kind", "") == "edge_dc") continue;
      const double liquid = *config.liquid_share;
      if (site.contains("cooling") && site["cooling"].is_object()) {
        set("/sites/" + std::to_string(i) + "/cooling/liquid_share", liquid);
        set("/sites/" + std::to_string(i) + "/cooling/air_share", std::round((1 - liquid) * 1e9) / 1e9);
      } else {
        set("/sites/" + std::to_string(i) + "/cooling",
            json{{"liquid_share", liquid}, {"air_share", 1 - liquid}});
      }
    }
  }
  if (config.load != 1 && doc.contains("workload") && doc["workload"].contains("classes")) {
    const auto& classes = doc["workload"]["classes"];
    for (std::size_t i = 0; i < classes.size(); ++i) {
      if (!classes[i].contains("arrivals") || !classes[i]["arrivals"].is_object()) continue;
      const auto& arrivals = classes[i]["arrivals"];
      const std::string process = arrivals.value("process", "");
      const std::string at = "/workload/classes/" + std::to_string(i) + "/arrivals/";
      if (process == "poisson" || process == "resample")
        set(at + "rate_per_s", number(arrivals, "rate_per_s", 1) * config.load);
      else if (process == "trace")
        set(at + "time_scale", number(arrivals, "time_scale", 1) / config.load);
    }
  }
  if (!config.outages.empty()) {
    json all = doc.contains("outages") && doc["outages"].is_array() ? doc["outages"] : json::array();
    for (const auto& o : config.outages) all.push_back(o);
    set("/outages", all);
  }
  return args;
}

void Session::fail(Run& run, const std::string& what) {
  std::string message = what;
  if (run.child) {
    const auto tail = run.child->stderr_tail();
    if (!tail.empty()) message += ": " + tail;
  }
  run.error = message;
  run.child.reset();
}

void Session::absorb(Run& run, const json& reply) {
  if (reply.contains("layout")) run.layout = reply["layout"];
  if (!reply.contains("state") || !reply["state"].is_object()) return;
  run.state = reply["state"];
  std::map<std::string, std::pair<double, double>> capacity;  // site -> cores, gpus
  if (run.layout.contains("sites"))
    for (const auto& s : run.layout["sites"])
      capacity[s.value("name", "")] = {number(s, "cores"), number(s, "gpus")};
  if (run.state.contains("samples"))
    for (const auto& row : run.state["samples"]) {
      const double t = number(row, "time_s");
      const std::string site = row.value("site", "");
      run.last_sample[site] = row;
      if (run.history.empty() || run.history.back().t_s != t) {
        run.history.push_back(HistoryPoint{});
        run.history.back().t_s = t;
      }
      auto& p = run.history.back();
      const auto [cores, gpus] = capacity[site];
      p.cores += cores;
      p.gpus += gpus;
      p.cpu_busy += number(row, "cpu_utilization") * cores;
      p.gpu_busy += number(row, "gpu_utilization") * gpus;
      p.queued += number(row, "queued");
      p.running += number(row, "running");
      p.it_w += number(row, "it_power_w");
      p.facility_w += number(row, "facility_w");
      p.carbon_kg_per_h += number(row, "carbon_kg_per_h");
    }
  if (run.history.size() > options_.max_history_points) {  // halve: keep every other point and the last
    std::vector<HistoryPoint> kept;
    for (std::size_t i = 0; i < run.history.size(); i += 2) kept.push_back(run.history[i]);
    if (run.history.size() % 2 == 0) kept.push_back(run.history.back());
    run.history = std::move(kept);
  }
  if (run.state.contains("decisions"))
    for (const auto& d : run.state["decisions"]) {
      run.decisions.push_back(d);
      ++run.decisions_total;
      if (run.decisions.size() > options_.max_decisions) run.decisions.pop_front();
    }
  run.decisions_dropped += static_cast<std::uint64_t>(number(run.state, "decisions_dropped"));
  run.decisions_total += static_cast<std::uint64_t>(number(run.state, "decisions_dropped"));
  run.state.erase("samples");
  run.state.erase("decisions");
}

std::string Session::request(Run& run, const json& command) {
  if (!run.child)
    return "run " + run.label + " is not running: " + (run.error.empty() ? "restart it from 0" : run.error);
  json reply;
  try {
    reply = run.child->request(command, options_.child_timeout_s);
  } catch (const StepProcessError& e) {
    fail(run, e.what());
    return run.error;
  }
  if (!reply.value("ok", false)) {
    run.note = "the simulation refused " + command.value("op", std::string("a command")) + ": " +
               reply.value("error", std::string("no reason given"));
    return run.note;
  }
  absorb(run, reply);
  return "";
}

void Session::restart(Run& run, double to_s) {
  run.child.reset();
  run.error.clear();
  run.state = json::object();
  run.history.clear();
  run.last_sample.clear();
  run.decisions.clear();
  run.decisions_total = run.decisions_dropped = 0;
  ++run.restarts;
  try {
    run.child = std::make_unique<StepProcess>(options_.program, child_args(run.config));
    absorb(run, run.child->read_reply(options_.child_timeout_s));
  } catch (const StepProcessError& e) {
    fail(run, e.what());
    return;
  }
  if (to_s > 0) request(run, json{{"op", "advance"}, {"to_s", to_s}});
}

double Session::run_time(const Run& run) const { return number(run.state, "t_s"); }

bool Session::run_live(const Run& run) const { return run.child && !run.state.value("finished", false); }

void Session::ticker() {
  using clock = std::chrono::steady_clock;
  auto next = clock::now();
  while (!stopping_) {
    next += std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(options_.tick_s));
    {
      std::unique_lock lock(mutex_);
      changed_.wait_until(lock, next, [&] { return stopping_.load(); });
      if (stopping_) return;
      if (!playing_) continue;
      clock_s_ += speed_ * options_.tick_s;
      bool any = false;
      for (Run* run : {a_.get(), b_.get()}) {
        if (!run || !run_live(*run)) continue;
        request(*run, json{{"op", "advance"}, {"to_s", clock_s_}});
        any = any || run_live(*run);
      }
      if (!any) playing_ = false;
      publish();
    }
    if (clock::now() > next) next = clock::now();  // a slow advance: do not try to catch up
  }
}

Run& Session::target_run(const json& message) {
  const std::string which =
      message.contains("run") && message["run"].is_string() ? message["run"].get<std::string>() : "A";
  if (which == "A") return *a_;
  if (which == "B") {
    if (!b_) throw ControlError("run B is not shown: send {\"op\":\"compare\",\"on\":true} first");
    return *b_;
  }
  throw ControlError("\"run\" must be \"A\" or \"B\"");
}

json Session::control(const json& message) {
  if (!message.is_object()) throw ControlError("a control message is a JSON object with \"op\"");
  if (!message.contains("op") || !message["op"].is_string())
    throw ControlError(
        "the control message has no \"op\" (one of: play, pause, step, interval, advance, speed, set, "
        "compare, reset)");
  const std::string op = message["op"].get<std::string>();
  if (!kOps.count(op))
    throw ControlError("unknown op '" + op.substr(0, 40) +
                       "' (one of: play, pause, step, interval, advance, speed, set, compare, reset)");
  if (message.contains("run") && !message["run"].is_string())
    throw ControlError("\"run\" must be \"A\" or \"B\"");
  std::lock_guard lock(mutex_);
  if (!a_) throw ControlError("the session is not running");
  json reply{{"ok", true}};
  auto runs = [&] {
    std::vector<Run*> list{a_.get()};
    if (b_) list.push_back(b_.get());
    return list;
  };
  auto sync_clock = [&] {
    clock_s_ = 0;
    for (Run* r : runs()) clock_s_ = std::max(clock_s_, run_time(*r));
  };
  if (op == "play") {
    playing_ = true;
    sync_clock();
  } else if (op == "pause") {
    playing_ = false;
  } else if (op == "step" || op == "interval" || op == "advance") {
    json command{{"op", op}};
    if (op == "step") {
      double events = 1;
      if (message.contains("events")) {
        if (!message["events"].is_number())
          throw ControlError("\"events\" must be a whole number from 1 to 1000000");
        events = message["events"].get<double>();
      }
      if (!(events >= 1 && events <= 1e6 && events == std::floor(events)))
        throw ControlError("\"events\" must be a whole number from 1 to 1000000");
      command["events"] = static_cast<long long>(events);
    }
    if (op == "advance") {
      if (!message.contains("to_s") || !message["to_s"].is_number() || !(message["to_s"].get<double>() >= 0))
        throw ControlError("advance needs \"to_s\": a simulated time in seconds >= 0");
      command["to_s"] = message["to_s"].get<double>();
    }
    playing_ = false;
    for (Run* r : runs())
      if (run_live(*r)) request(*r, command);
    sync_clock();
  } else if (op == "speed") {
    if (!message.contains("sim_s_per_s") || !message["sim_s_per_s"].is_number())
      throw ControlError(
          "speed needs \"sim_s_per_s\": simulated seconds per wall second, > 0 and at most 1e7");
    const double s = message["sim_s_per_s"].get<double>();
    if (!(s > 0 && s <= 1e7)) throw ControlError("\"sim_s_per_s\" must be > 0 and at most 1e7");
    speed_ = s;
  } else if (op == "compare") {
    if (!message.contains("on") || !message["on"].is_boolean())
      throw ControlError("compare needs \"on\": true or false");
    if (message["on"].get<bool>() && !b_) {
      b_ = std::make_unique<Run>(std::string("B"));
      b_->config = a_->config;
      restart(*b_, run_time(*a_));
      b_->note = "B started as a copy of A, replayed from 0 to " + clock_text(run_time(*a_));
      reply["applied"] = "restarted from 0";
    } else if (!message["on"].get<bool>()) {
      b_.reset();
    }
  } else if (op == "reset") {
    playing_ = false;
    for (Run* r : runs()) {
      restart(*r, 0);
      r->note = "restarted from 0";
    }
    clock_s_ = 0;
  } else if (op == "set") {
    Run& run = target_run(message);
    RunConfig config = run.config;
    std::vector<std::string> live, restarted;
    std::vector<json> live_commands;
    for (const auto& [key, value] : message.items()) {
      if (key == "op" || key == "run") continue;
      if (key == "placement") {
        const auto& names = options_.placement_names;
        if (!value.is_string() ||
            std::find(names.begin(), names.end(), value.get<std::string>()) == names.end())
          throw ControlError("unknown placement policy " + value.dump().substr(0, 60) +
                             " (known: " + join(names) + ")");
        config.placement = value.get<std::string>();
        live_commands.push_back(json{{"op", "set"}, {"placement", config.placement}, {"class", "*"}});
        live.push_back("placement " + config.placement);
      } else if (key == "queue") {
        const auto& names = options_.queue_names;
        if (!value.is_string() ||
            std::find(names.begin(), names.end(), value.get<std::string>()) == names.end())
          throw ControlError("unknown queue discipline " + value.dump().substr(0, 60) +
                             " (known: " + join(names) + ")");
        config.queue = value.get<std::string>();
        live_commands.push_back(json{{"op", "set"}, {"queue", config.queue}});
        live.push_back("queue " + config.queue);
      } else if (key == "liquid_share") {
        if (!value.is_number() || !(value.get<double>() >= 0 && value.get<double>() <= 1))
          throw ControlError("\"liquid_share\" must be a number from 0 to 1");
        config.liquid_share = value.get<double>();
        restarted.push_back("liquid share " + format_number(*config.liquid_share));
      } else if (key == "load") {
        if (!value.is_number() || !(value.get<double>() > 0 && value.get<double>() <= 20))
          throw ControlError("\"load\" must be a multiplier > 0 and at most 20");
        config.load = value.get<double>();
        restarted.push_back("load x" + format_number(config.load));
      } else if (key == "outage") {
        if (!value.is_object() || !value.contains("site") || !value["site"].is_string())
          throw ControlError("\"outage\" must be {\"site\": NAME, \"start_s\": S, \"end_s\": S}");
        const std::string site = value["site"].get<std::string>();
        std::vector<std::string> sites;
        bool known = false;
        if (run.layout.contains("sites"))
          for (const auto& s : run.layout["sites"]) {
            sites.push_back(s.value("name", ""));
            known = known || sites.back() == site;
          }
        if (!known)
          throw ControlError("unknown site '" + site.substr(0, 60) + "' (known: " + join(sites) + ")");
        const double now = run_time(run);
        double start = now, end = now + 3600;
        if (value.contains("start_s")) {
          if (!value["start_s"].is_number() || !(value["start_s"].get<double>() >= 0))
            throw ControlError("\"outage.start_s\" must be a time in seconds >= 0");
          start = value["start_s"].get<double>();
        }
        if (value.contains("end_s")) {
          if (!value["end_s"].is_number()) throw ControlError("\"outage.end_s\" must be a time in seconds");
          end = value["end_s"].get<double>();
        } else {
          end = start + 3600;
        }
        if (!(end > start)) throw ControlError("\"outage.end_s\" must be after start_s");
        for (const auto& o : config.outages)
          if (o.value("site", "") == site && start < number(o, "end_s") && number(o, "start_s") < end)
            throw ControlError("an outage of " + site + " already overlaps that time");
        config.outages.push_back(json{{"site", site}, {"start_s", start}, {"end_s", end}});
        restarted.push_back("outage of " + site + " " + clock_text(start) + " to " + clock_text(end));
      } else if (key == "clear_outages") {
        config.outages = json::array();
        restarted.push_back("outages cleared");
      } else {
        throw ControlError("unknown setting '" + key.substr(0, 40) +
                           "' (placement, queue, liquid_share, load, outage, clear_outages)");
      }
    }
    if (live.empty() && restarted.empty())
      throw ControlError("set needs a change: placement, queue, liquid_share, load or outage");
    const double now = run_time(run);
    std::string what;
    for (const auto& s : live) what += (what.empty() ? "" : ", ") + s;
    for (const auto& s : restarted) what += (what.empty() ? "" : ", ") + s;
    if (restarted.empty()) {
      for (const auto& c : live_commands)
        if (const auto refused = request(run, c); !refused.empty()) {
          publish();
          throw ControlError(refused);
        }
      run.config = config;
      run.note = what + ": applied live at " + clock_text(now);
      reply["applied"] = "live";
    } else {
      run.config = config;
      const bool was_playing = playing_;
      restart(run, now);
      playing_ = was_playing;
      run.note = what + ": restarted from 0, replayed to " + clock_text(now);
      reply["applied"] = "restarted from 0";
    }
    reply["note"] = run.note;
  }
  publish();
  reply["version"] = version_;
  return reply;
}

json Session::run_view(const Run& run) const {
  json view{{"label", run.label},
            {"alive", static_cast<bool>(run.child)},
            {"error", run.error},
            {"note", run.note},
            {"restarts", run.restarts},
            {"state", run.state},
            {"decisions_total", run.decisions_total},
            {"decisions_dropped", run.decisions_dropped}};
  view["config"] =
      json{{"placement", run.config.placement},
           {"queue", run.config.queue},
           {"liquid_share", run.config.liquid_share ? json(*run.config.liquid_share) : json(nullptr)},
           {"load", run.config.load},
           {"outages", run.config.outages}};
  json samples = json::array();
  if (run.layout.contains("sites"))
    for (const auto& s : run.layout["sites"]) {
      const auto it = run.last_sample.find(s.value("name", ""));
      samples.push_back(it == run.last_sample.end() ? json(nullptr) : it->second);
    }
  view["last_samples"] = samples;
  json h{{"t_s", json::array()},    {"cpu_utilization", json::array()}, {"gpu_utilization", json::array()},
         {"queued", json::array()}, {"running", json::array()},         {"it_power_w", json::array()},
         {"pue", json::array()},    {"carbon_kg_per_h", json::array()}};
  for (const auto& p : run.history) {
    h["t_s"].push_back(p.t_s);
    h["cpu_utilization"].push_back(p.cores > 0 ? p.cpu_busy / p.cores : 0);
    h["gpu_utilization"].push_back(p.gpus > 0 ? p.gpu_busy / p.gpus : 0);
    h["queued"].push_back(p.queued);
    h["running"].push_back(p.running);
    h["it_power_w"].push_back(p.it_w);
    h["pue"].push_back(p.it_w > 0 ? json(p.facility_w / p.it_w) : json(nullptr));
    h["carbon_kg_per_h"].push_back(p.carbon_kg_per_h);
  }
  view["history"] = std::move(h);
  view["decisions"] = json(std::vector<json>(run.decisions.begin(), run.decisions.end()));
  return view;
}

void Session::publish() {
  json snap{{"version", version_ + 1},
            {"playing", playing_},
            {"speed_sim_s_per_s", speed_},
            {"compare", b_ != nullptr}};
  snap["runs"] = json::object();
  if (a_) snap["runs"]["A"] = run_view(*a_);
  if (b_) snap["runs"]["B"] = run_view(*b_);
  snapshot_ = snap.dump(-1, ' ', false, json::error_handler_t::replace);
  ++version_;
  changed_.notify_all();
}

json Session::layout() const {
  std::lock_guard lock(mutex_);
  json out = a_ ? a_->layout : json::object();
  out["scenario"] = options_.document.value("name", options_.scenario_path);
  out["placement_names"] = options_.placement_names;
  out["queue_names"] = options_.queue_names;
  // The 1 ms circle drawn on the map: the straight-line distance a city's hub reaches within the
  // intra-city target over one fiber link (fiber km = straight line x route_factor).
  const auto& doc = options_.document;
  const json net = doc.contains("network") && doc["network"].is_object() ? doc["network"] : json::object();
  const json targets = doc.contains("latency_targets") && doc["latency_targets"].is_object()
                           ? doc["latency_targets"]
                           : json::object();
  const double per_km = number(net, "fiber_latency_s_per_km", 5e-6), route = number(net, "route_factor", 1.4);
  const double hop = number(net, "hop_delay_s", 1e-5), intra = number(targets, "intra_city_s", 1e-3);
  const bool round_trip = targets.value("mode", std::string("one_way")) == "round_trip";
  const double one_way = round_trip ? intra / 2 : intra;
  out["circle"] = json{{"radius_km", std::max(0.0, one_way - hop) / per_km / route},
                       {"target_s", intra},
                       {"mode", round_trip ? "round_trip" : "one_way"},
                       {"fiber_latency_s_per_km", per_km},
                       {"route_factor", route},
                       {"hop_delay_s", hop}};
  return out;
}

std::string Session::error() const {
  std::lock_guard lock(mutex_);
  return a_ ? a_->error : "not started";
}

std::pair<std::uint64_t, std::string> Session::snapshot() const {
  std::lock_guard lock(mutex_);
  return {version_, snapshot_};
}

void Session::wait_change(std::uint64_t known, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return version_ > known || stopping_.load(); });
}

}  // namespace suanli::serve
