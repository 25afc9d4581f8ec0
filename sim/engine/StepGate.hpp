// The hook through which a paused run is driven (engine/Stepper.hpp): the controller asks it before
// each event whether it may go on, tells it each placement decision, and says when the run has ended.
// SimGrid-free.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace suanli::engine {

class Controller;

/// A stepping request that cannot be done (unknown policy or class, a run already finished): the
/// run goes on unchanged.
struct StepError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One placement decision, the fields of a decisions.csv line.
struct DecisionRow {
  double time_s = 0;
  std::uint64_t job = 0;
  std::string job_class, policy, candidates, chosen, why;
};

class StepGate {
 public:
  virtual ~StepGate() = default;
  /// The controller the gate drives; called once, before the first event.
  virtual void attach(Controller& controller) = 0;
  /// Called before the controller handles an event at time t_s (an arrival, a completion, a timer, a
  /// transfer's end or a sampling instant); returns when the event may be handled. It may read and
  /// change the controller meanwhile (the controller waits).
  virtual void before_event(double t_s) = 0;
  virtual void decision(const DecisionRow& row) = 0;
  /// The run has ended (the last event, or the horizon), before the outputs are written.
  virtual void ended() = 0;
};

}  // namespace suanli::engine
