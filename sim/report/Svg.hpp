// Small inline-SVG charts for the HTML report: line chart (and CDF steps), stacked areas, bars with
// error bars. Self-contained markup: no scripts, no external fonts or styles (the page's CSS styles
// the classes used here: .chart, .grid, .tick, .axis-label, .marker).
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace suanli::report::svg {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A linear axis from lo to hi with ticks every `step` ("nice" steps: 1, 2, 2.5 or 5 x 10^k).
struct Axis {
  double lo = 0;
  double hi = 1;
  double step = 0.2;

  std::vector<double> ticks() const;
  /// Digits after the point that the tick labels need (0 for step 10, 2 for step 0.25).
  int decimals() const;
};

/// The axis with about `target` ticks covering [lo, hi], its ends widened to multiples of the step.
/// An empty or degenerate range (NaN, lo == hi) is widened to something drawable ([0, 1] for none).
Axis nice_axis(double lo, double hi, int target = 5);

/// How tick labels are written: plain numbers, or fractions as percentages (0.25 -> "25 %").
enum class Ticks { kNumber, kPercent };

/// Size, labels and scales of one chart. Text is escaped by the chart functions.
struct Frame {
  double width = 640;
  double height = 280;
  std::string title;  ///< accessible name of the image (aria-label)
  std::string x_label;
  std::string y_label;
  Axis x;
  Axis y;
  Ticks x_ticks = Ticks::kNumber;
  Ticks y_ticks = Ticks::kNumber;
};

/// One line (or, for stacked_area_chart, one layer: only `y` is used). NaN in y breaks the line.
struct Series {
  std::string name;
  std::string color;
  std::vector<double> x;
  std::vector<double> y;
  double stroke_width = 1.6;
  bool dashed = false;
  bool step = false;  ///< drawn as a right-continuous step function (an empirical CDF)
};

/// A vertical reference line at x, labelled at its top (e.g. a latency budget).
struct Marker {
  double x = 0;
  std::string label;
  std::string color;
};

/// Lines over the frame's axes; values outside the axes are clamped to them.
std::string line_chart(const Frame& frame, const std::vector<Series>& lines,
                       const std::vector<Marker>& markers = {});

/// Layers stacked bottom-up in the given order (first layer at the bottom) over the shared `x`;
/// NaN counts as 0.
std::string stacked_area_chart(const Frame& frame, const std::vector<double>& x,
                               const std::vector<Series>& layers);

/// One bar of a bar chart: its height and, when both finite, an error bar from lo to hi.
struct Bar {
  std::string label;
  double value = kNaN;
  double lo = kNaN;
  double hi = kNaN;
};

/// Bars from `baseline` to each value (a NaN value leaves its slot empty, marked "n/a"); category
/// labels under the bars, rotated when long or many. frame.x is ignored. The height grows to fit
/// the rotated labels.
std::string bar_chart(const Frame& frame, const std::vector<Bar>& bars, const std::string& color,
                      double baseline);

/// A legend entry: a line swatch (or a filled square for areas and dots).
struct LegendEntry {
  std::string name;
  std::string color;
  bool dashed = false;
  bool filled = false;
};

/// An HTML legend (a wrapping row of swatches and names) to put under a chart.
std::string legend_html(const std::vector<LegendEntry>& entries);

/// A categorical colour, cycling through 10 distinct colours (Tableau 10).
std::string palette(std::size_t index);

/// The first `max_chars` characters (code points) of UTF-8 `text`, with "…" when cut.
std::string truncate_utf8(const std::string& text, std::size_t max_chars);

}  // namespace suanli::report::svg
