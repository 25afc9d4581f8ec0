// The state behind `suanli serve`: run A (and B when compared), each a `suanli step` child; the
// controls (play, pause, step, speed, policy, queue, liquid share, load, outages); a bounded history
// for the charts; a JSON snapshot of it all, versioned, for the page. Thread-safe: the HTTP threads
// and the play ticker share one lock. Pure C++ (no SimGrid): the simulation runs in the children.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "serve/StepProcess.hpp"

namespace suanli::serve {

/// A control message the page sent that cannot be applied: HTTP 400 with this message.
class ControlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SessionOptions {
  std::string scenario_path;  ///< as given on the command line
  std::vector<std::string>
      step_args;            ///< passed to every child after the scenario (--seed, --set, --lenient)
  nlohmann::json document;  ///< the scenario document after the user's --set edits
  std::string program = "/proc/self/exe";
  std::vector<std::string> placement_names;
  std::vector<std::string> queue_names;
  double tick_s = 0.25;            ///< wall seconds between two advances while playing
  double speed_sim_s_per_s = 600;  ///< initial speed
  double child_timeout_s = 600;    ///< a child that does not answer one command in this time is stopped
  std::size_t max_history_points = 2000;  ///< the charts' history is halved (every other point) beyond this
  std::size_t max_decisions = 40;         ///< decision log rows kept per run
};

/// What a run changes from the scenario. Placement and queue are applied live; the rest need a restart.
struct RunConfig {
  std::string placement;                             ///< "" = each class's own
  std::string queue;                                 ///< "" = the scenario's
  std::optional<double> liquid_share;                ///< of every non-edge site; none = the scenario's
  double load = 1;                                   ///< multiplier on every class's arrival rate
  nlohmann::json outages = nlohmann::json::array();  ///< added to the scenario's
};

/// One point of the charts: the province at one sampling instant.
struct HistoryPoint {
  double t_s = 0;
  double cpu_busy = 0, cores = 0, gpu_busy = 0, gpus = 0;
  double queued = 0, running = 0, it_w = 0, facility_w = 0, carbon_kg_per_h = 0;
};

struct Run {
  explicit Run(std::string run_label) : label(std::move(run_label)) {}
  std::string label;
  RunConfig config;
  std::unique_ptr<StepProcess> child;
  nlohmann::json layout;
  nlohmann::json state;
  std::string error;  ///< why the child is gone; "" while it runs
  std::string note;   ///< how the last change was applied
  std::vector<HistoryPoint> history;
  std::map<std::string, nlohmann::json> last_sample;  ///< by site name: its latest timeseries row
  std::deque<nlohmann::json> decisions;
  std::uint64_t decisions_total = 0;
  std::uint64_t decisions_dropped = 0;
  std::uint64_t restarts = 0;
};

class Session {
 public:
  explicit Session(SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Starts run A and the play ticker.
  void start();
  /// Stops the ticker and every child; wakes the page streams.
  void stop();
  bool stopping() const { return stopping_.load(); }
  /// Why run A is not running ("" when it is): after start(), a child that could not start.
  std::string error() const;

  /// Applies one control message (docs/serve.md); throws ControlError for a bad one.
  nlohmann::json control(const nlohmann::json& message);
  /// The static part: the sites, cities, links, targets, classes, and the names the controls offer.
  nlohmann::json layout() const;
  /// The latest snapshot (JSON text) and its version.
  std::pair<std::uint64_t, std::string> snapshot() const;
  /// Waits until the snapshot's version exceeds `known`, the timeout passes or the session stops.
  void wait_change(std::uint64_t known, std::chrono::milliseconds timeout) const;

 private:
  void ticker();
  void restart(Run& run, double to_s);
  /// Sends one command to the run's child and absorbs the reply; "" or why it was not done.
  std::string request(Run& run, const nlohmann::json& command);
  void absorb(Run& run, const nlohmann::json& reply);
  void fail(Run& run, const std::string& what);
  std::vector<std::string> child_args(const RunConfig& config) const;
  nlohmann::json run_view(const Run& run) const;
  void publish();  // rebuilds the snapshot; lock held
  double run_time(const Run& run) const;
  bool run_live(const Run& run) const;
  Run& target_run(const nlohmann::json& message);

  SessionOptions options_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::atomic<bool> stopping_{false};
  std::thread ticker_;
  std::unique_ptr<Run> a_, b_;
  bool playing_ = false;
  double speed_;
  double clock_s_ = 0;  ///< where play takes both runs
  std::uint64_t version_ = 0;
  std::string snapshot_;
};

}  // namespace suanli::serve
