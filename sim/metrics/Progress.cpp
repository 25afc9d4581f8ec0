// The stderr progress bar: throttled redraws of simulated time, jobs, rate and ETA on one '\r' line.
#include "metrics/Progress.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "io/Format.hpp"

namespace suanli::metrics {

namespace {

std::string two_digits(long long n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02lld", n);
  return buf;
}

}  // namespace

double steady_wall_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  if (seconds < 0) seconds = 0;
  const auto s = static_cast<long long>(std::llround(seconds));
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + two_digits(s % 60) + "s";
  const long long minutes = s / 60;  // whole minutes: 6h12m59s shows as 6h12m
  if (s < 72 * 3600) {
    const std::string hours = std::to_string(minutes / 60) + "h";
    return minutes % 60 == 0 ? hours : hours + two_digits(minutes % 60) + "m";
  }
  const long long hours = s / 3600;
  const std::string days = std::to_string(hours / 24) + "d";
  return hours % 24 == 0 ? days : days + two_digits(hours % 24) + "h";
}

ProgressBar::ProgressBar(double total_simulated_s, std::ostream& out, bool enabled, WallClock wall_clock_s)
    : total_simulated_s_(total_simulated_s),
      out_(out),
      enabled_(enabled),
      wall_clock_s_(std::move(wall_clock_s)) {
  if (enabled_) start_s_ = wall_clock_s_();
}

void ProgressBar::update(double simulated_s, std::uint64_t jobs_done) {
  simulated_s_ = simulated_s;
  jobs_done_ = jobs_done;
  if (!enabled_ || finished_) return;
  const double now = wall_clock_s_();
  if (now - start_s_ < kStartDelay_s) return;
  if (drawn_ && now - last_draw_s_ < kRedrawInterval_s) return;
  draw(now, false);
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  const double now = wall_clock_s_();
  if (!drawn_ && now - start_s_ < kStartDelay_s) return;
  draw(now, true);
  out_ << '\n';
  out_.flush();
}

void ProgressBar::draw(double now_s, bool final_line) {
  const double elapsed_s = now_s - start_s_;
  const bool has_horizon = total_simulated_s_ > 0 && std::isfinite(total_simulated_s_);
  std::string line;
  double fraction = 0;
  if (has_horizon) {
    fraction = std::clamp(simulated_s_ / total_simulated_s_, 0.0, 1.0);
    char percent[16];
    std::snprintf(percent, sizeof percent, "%5.1f%%", 100.0 * fraction);
    line += percent;
    line += " | ";
  }
  line += "sim " + format_duration(simulated_s_);
  if (has_horizon) line += " / " + format_duration(total_simulated_s_);
  line += " | " + io::group_thousands(std::to_string(jobs_done_)) + " jobs";
  if (elapsed_s > 0) {
    const double rate = static_cast<double>(jobs_done_) / elapsed_s;
    line += " | " + io::group_thousands(std::to_string(static_cast<std::uint64_t>(std::llround(rate)))) +
            " jobs/s";
  }
  if (final_line) {
    line += " | done in " + format_duration(elapsed_s);
  } else if (has_horizon) {
    line += " | ETA ";
    line += fraction > 0 ? format_duration(elapsed_s * (1.0 - fraction) / fraction) : std::string("?");
  }
  const std::size_t length = line.size();
  if (length < last_length_) line.append(last_length_ - length, ' ');
  last_length_ = length;
  out_ << '\r' << line;
  out_.flush();
  drawn_ = true;
  last_draw_s_ = now_s;
}

}  // namespace suanli::metrics
