#include "serve/StepProcess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace suanli::serve {
namespace {

constexpr std::size_t kMaxReplyBytes = 64u << 20;  // a reply longer than this is a broken child

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

StepProcess::StepProcess(const std::string& program, const std::vector<std::string>& args) {
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) throw StepProcessError(errno_text("pipe"));
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    throw StepProcessError(errno_text("pipe"));
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/suanli-serve-stderr-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int err_fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (err_fd >= 0) stderr_path_ = name.data();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  if (err_fd >= 0) posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  // The child starts with no blocked signals and default handlers (the server blocks SIGINT/SIGTERM
  // in its own threads and ignores SIGPIPE).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (const int s : {SIGINT, SIGTERM, SIGPIPE, SIGHUP}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  static char kArgv0[] = "suanli";  // as ps shows it (the program may be /proc/self/exe)
  argv.push_back(kArgv0);
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int rc = ::posix_spawn(&pid_, program.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  if (err_fd >= 0) ::close(err_fd);
  to_child_ = in_pipe[1];
  from_child_ = out_pipe[0];
  if (rc != 0) {
    pid_ = -1;
    reaped_ = true;
    stop();
    throw StepProcessError("cannot start " + program + ": " + std::strerror(rc));
  }
}

StepProcess::~StepProcess() { stop(); }

void StepProcess::stop() {
  if (to_child_ >= 0) ::close(to_child_);  // EOF on stdin: the child quits
  to_child_ = -1;
  if (pid_ > 0 && !reaped_) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::milliseconds(500);
    while (!reaped_ && clock::now() < deadline) {
      if (::waitpid(pid_, &wait_status_, WNOHANG) == pid_)
        reaped_ = true;
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &wait_status_, 0);
      reaped_ = true;
    }
  }
  if (from_child_ >= 0) ::close(from_child_);
  from_child_ = -1;
  if (!stderr_path_.empty()) ::unlink(stderr_path_.c_str());
  stderr_path_.clear();
}

nlohmann::json StepProcess::read_reply(double timeout_s) {
  using clock = std::chrono::steady_clock;
  const auto deadline =
      clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(timeout_s));
  for (;;) {
    const auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      auto reply = nlohmann::json::parse(line, nullptr, false);
      if (reply.is_discarded() || !reply.is_object())
        throw StepProcessError("the simulation printed a line that is not a JSON object: " +
                               line.substr(0, 200));
      return reply;
    }
    if (from_child_ < 0) throw StepProcessError("the simulation is not running");
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0)
      throw StepProcessError("the simulation did not answer within " + std::to_string(int(timeout_s)) + " s");
    pollfd p{from_child_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) throw StepProcessError(errno_text("poll"));
    if (ready <= 0) continue;
    char chunk[65536];
    const ssize_t n = ::read(from_child_, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      ::close(from_child_);
      from_child_ = -1;
      const auto status = exit_status();
      throw StepProcessError("the simulation stopped" +
                             (status.empty() ? std::string() : " (" + status + ")"));
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    if (buffer_.size() > kMaxReplyBytes) throw StepProcessError("the simulation's reply is too long");
  }
}

nlohmann::json StepProcess::request(const nlohmann::json& command, double timeout_s) {
  if (to_child_ < 0) throw StepProcessError("the simulation is not running");
  const std::string line = command.dump() + "\n";
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(to_child_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const auto status = exit_status();
      throw StepProcessError("the simulation stopped" +
                             (status.empty() ? std::string() : " (" + status + ")"));
    }
    written += static_cast<std::size_t>(n);
  }
  return read_reply(timeout_s);
}

std::string StepProcess::stderr_tail(std::size_t max_chars) const {
  if (stderr_path_.empty()) return "";
  std::ifstream in(stderr_path_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.size() > max_chars) text = "..." + text.substr(text.size() - max_chars);
  return text;
}

std::string StepProcess::exit_status() {
  if (pid_ <= 0) return "not started";
  if (!reaped_) {
    // A child that closed its output may need a moment to be reapable.
    for (int i = 0; i < 50 && !reaped_; ++i) {
      if (::waitpid(pid_, &wait_status_, WNOHANG) == pid_)
        reaped_ = true;
      else if (from_child_ < 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      else
        break;
    }
    if (!reaped_) return "";
  }
  if (WIFEXITED(wait_status_)) return "exited with code " + std::to_string(WEXITSTATUS(wait_status_));
  if (WIFSIGNALED(wait_status_))
    return std::string("killed by signal ") + std::to_string(WTERMSIG(wait_status_));
  return "ended";
}

}  // namespace suanli::serve
