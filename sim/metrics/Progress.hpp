// A one-line progress bar on stderr for long simulation runs (simulated time, jobs, rate, ETA).
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace suanli::metrics {

/// Seconds on std::chrono::steady_clock (monotonic wall time, arbitrary origin).
double steady_wall_s();

/// "42s", "3m05s", "6h12m", "24h", "12d04h", "365d": a duration in seconds, coarse enough to read
/// at a glance (seconds below 1 min, minutes below 1 h, hours below 72 h, then days).
std::string format_duration(double seconds);

/// Redraws one line on `out` with '\r' while a simulation runs:
///
///     25.8% | sim 6h12m / 24h | 12,345 jobs | 1,234 jobs/s | ETA 3m20s
///
/// percent of the simulated horizon reached, simulated time, jobs done, jobs per wall second since
/// construction, and the wall time left extrapolated linearly from the simulated-time progress.
/// Nothing is drawn when `enabled` is false (the caller passes isatty(2) and its own conditions),
/// nor during the first 2 s of wall time (short runs stay quiet); after that at most one redraw per
/// 0.5 s of wall time. When the horizon is not positive, percent and ETA are left out.
/// The wall clock (seconds, monotonic) is injectable so that tests need not sleep.
class ProgressBar {
 public:
  using WallClock = std::function<double()>;

  /// Wall seconds before the first line is drawn.
  static constexpr double kStartDelay_s = 2.0;
  /// Minimum wall seconds between two redraws.
  static constexpr double kRedrawInterval_s = 0.5;

  ProgressBar(double total_simulated_s, std::ostream& out, bool enabled,
              WallClock wall_clock_s = steady_wall_s);

  /// Records the progress and redraws the line if due. Cheap when not due (one clock read).
  void update(double simulated_s, std::uint64_t jobs_done);
  /// Draws the final line ("done in ...", no ETA) followed by a newline, if the bar was drawn or the
  /// run has lasted at least the start delay. Later calls do nothing.
  void finish();

 private:
  void draw(double now_s, bool final_line);

  double total_simulated_s_;
  std::ostream& out_;
  bool enabled_;
  WallClock wall_clock_s_;
  double start_s_ = 0;
  double last_draw_s_ = 0;
  bool drawn_ = false;
  bool finished_ = false;
  double simulated_s_ = 0;
  std::uint64_t jobs_done_ = 0;
  std::size_t last_length_ = 0;  ///< characters of the last line drawn, to blank a longer one
};

}  // namespace suanli::metrics
