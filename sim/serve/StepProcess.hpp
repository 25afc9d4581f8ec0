// A `suanli step` child process driven by JSON lines over pipes (the protocol: docs/serve.md). The
// server never runs a simulation itself: each run it shows is one of these.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace suanli::serve {

/// The child died, closed its output, printed something that is not JSON, or did not answer in time.
class StepProcessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class StepProcess {
 public:
  /// Spawns `program args...` with its stdin and stdout on pipes and its stderr in a temporary file
  /// (read back by stderr_tail()). Throws StepProcessError when it cannot be started.
  StepProcess(const std::string& program, const std::vector<std::string>& args);
  /// Closes the child's stdin (its signal to quit), waits a moment, then kills it.
  ~StepProcess();
  StepProcess(const StepProcess&) = delete;
  StepProcess& operator=(const StepProcess&) = delete;

  /// Reads one reply line (the first line, after start). Throws StepProcessError.
  nlohmann::json read_reply(double timeout_s);
  /// Writes one command line and reads its reply. Throws StepProcessError.
  nlohmann::json request(const nlohmann::json& command, double timeout_s);

  /// The last lines the child wrote on stderr (its error message when it exited), at most `max_chars`.
  std::string stderr_tail(std::size_t max_chars = 600) const;
  /// Reaps the child if it has exited; a description such as "exited with code 2", or "" while it runs.
  std::string exit_status();
  pid_t pid() const { return pid_; }

 private:
  void stop();
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string stderr_path_;
  std::string buffer_;  ///< bytes read from the child after the last complete line
  bool reaped_ = false;
  int wait_status_ = 0;
};

}  // namespace suanli::serve
