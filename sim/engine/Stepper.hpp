// A simulation that runs paused: the caller advances it by events, to a time or to the next sampling
// instant, reads its state between steps, and changes the placement policy or the queue discipline
// from the current simulated time. `suanli step` speaks it as JSON lines (run_step_protocol), which
// `suanli serve` and the Python module drive. The run is the same as `suanli run`'s: stepped to its end,
// it writes the same outputs. SimGrid-free header; one Stepper per process (SimGrid runs one
// simulation per process).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/Simulation.hpp"
#include "engine/StepGate.hpp"
#include "model/Scenario.hpp"

namespace suanli::engine {

class Stepper {
 public:
  /// Starts the simulation and pauses it before its first event. The scenario must be validated;
  /// errors in its inputs (weather, carbon, traces) are thrown here as model::UserError.
  Stepper(model::Scenario scenario, RunOptions options);
  ~Stepper();  ///< an unfinished run is abandoned: no outputs
  Stepper(const Stepper&) = delete;
  Stepper& operator=(const Stepper&) = delete;

  /// What does not change during the run: sites, cities, fiber links, the latency circle, classes.
  const nlohmann::json& layout() const;

  // Each of the following returns the state (docs/engine.md "Stepping"): the simulated time, the
  // events handled, per-site live figures, the totals, and the time-series rows and placement
  // decisions recorded since the previous state.
  nlohmann::json state();
  /// Handles the next `events` events (an arrival, a completion, a timer, a transfer's end or a
  /// sampling instant each count as one).
  nlohmann::json step(std::uint64_t events = 1);
  /// Handles every event at times <= t_s.
  nlohmann::json advance_to(double t_s);
  /// Handles every event up to and including the next sampling instant.
  nlohmann::json next_interval();
  /// From now on, class `job_class` ("*" or "": every class) places its jobs with policy `name`.
  /// Throws StepError for an unknown class or policy (the run goes on unchanged).
  nlohmann::json set_placement(const std::string& job_class, const std::string& name);
  /// From now on, every site's queues use discipline `name`. Throws StepError when unknown.
  nlohmann::json set_queue(const std::string& name);
  /// Runs to the end and writes the outputs (if the options name a folder).
  nlohmann::json finish();

  bool finished() const;
  /// summary.json's content once finished (null before).
  const nlohmann::json& summary() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// `suanli step`: reads one JSON command per line from `in`, writes one JSON reply per line to `out`
/// (docs/engine.md "Stepping"). Returns when told to quit or at the end of `in`; after "finish", the
/// state can still be read.
/// Errors in a command are replies ({"ok": false, "error": ...}); the process keeps serving.
void run_step_protocol(Stepper& stepper, std::istream& in, std::ostream& out);

}  // namespace suanli::engine
