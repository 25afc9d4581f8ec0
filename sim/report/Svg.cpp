// Inline-SVG charts: axes with nice ticks, lines and CDF steps, stacked areas, bars with error bars.
#include "report/Svg.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "io/Format.hpp"
#include "report/Format.hpp"

namespace suanli::report::svg {

namespace {

// Margins around the plot area, in SVG units (the viewBox is the frame's width x height).
constexpr double kLeft = 66;
constexpr double kRight = 18;
constexpr double kTop = 16;
constexpr double kBottom = 46;

/// Maps data to SVG coordinates inside the plot area; values outside the axes are clamped.
struct Plot {
  double left = kLeft, top = kTop, width = 0, height = 0;
  Axis x, y;

  double px(double v) const {
    const double t = (std::clamp(v, x.lo, x.hi) - x.lo) / (x.hi - x.lo);
    return left + t * width;
  }
  double py(double v) const {
    const double t = (std::clamp(v, y.lo, y.hi) - y.lo) / (y.hi - y.lo);
    return top + height - t * height;
  }
  double bottom() const { return top + height; }
  double right() const { return left + width; }
};

Plot plot_area(const Frame& f, double bottom_margin = kBottom) {
  Plot p;
  p.width = std::max(10.0, f.width - kLeft - kRight);
  p.height = std::max(10.0, f.height - kTop - bottom_margin);
  p.x = f.x;
  p.y = f.y;
  return p;
}

std::string tick_label(double v, const Axis& a, Ticks how) {
  if (how == Ticks::kPercent) return io::grouped(v * 100, std::max(0, a.decimals() - 2)) + " %";
  return io::grouped(v, a.decimals());
}

std::string open_svg(const Frame& f, double height) {
  return "<svg class=\"chart\" viewBox=\"0 0 " + coord(f.width) + " " + coord(height) +
         "\" role=\"img\" aria-label=\"" + html_escape(f.title) + "\">\n";
}

/// Horizontal grid and y ticks; with `x_ticks`, vertical grid and x ticks too; axis titles.
std::string axes(const Frame& f, const Plot& p, bool x_ticks) {
  std::string s = "<g class=\"grid\">";
  for (const double t : p.y.ticks())
    s += "<line x1=\"" + coord(p.left) + "\" x2=\"" + coord(p.right()) + "\" y1=\"" + coord(p.py(t)) +
         "\" y2=\"" + coord(p.py(t)) + "\"/>";
  if (x_ticks)
    for (const double t : p.x.ticks())
      s += "<line x1=\"" + coord(p.px(t)) + "\" x2=\"" + coord(p.px(t)) + "\" y1=\"" + coord(p.top) +
           "\" y2=\"" + coord(p.bottom()) + "\"/>";
  s += "</g>\n<rect class=\"frame\" x=\"" + coord(p.left) + "\" y=\"" + coord(p.top) + "\" width=\"" +
       coord(p.width) + "\" height=\"" + coord(p.height) + "\"/>\n<g class=\"tick\">";
  for (const double t : p.y.ticks())
    s += "<text x=\"" + coord(p.left - 6) + "\" y=\"" + coord(p.py(t) + 4) + "\" text-anchor=\"end\">" +
         tick_label(t, p.y, f.y_ticks) + "</text>";
  if (x_ticks)
    for (const double t : p.x.ticks())
      s += "<text x=\"" + coord(p.px(t)) + "\" y=\"" + coord(p.bottom() + 16) + "\" text-anchor=\"middle\">" +
           tick_label(t, p.x, f.x_ticks) + "</text>";
  s += "</g>\n<g class=\"axis-label\">";
  if (!f.x_label.empty())
    s += "<text x=\"" + coord(p.left + p.width / 2) + "\" y=\"" + coord(f.height - 6) +
         "\" text-anchor=\"middle\">" + html_escape(f.x_label) + "</text>";
  if (!f.y_label.empty()) {
    const double cy = p.top + p.height / 2;
    s += "<text x=\"14\" y=\"" + coord(cy) + "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " +
         coord(cy) + ")\">" + html_escape(f.y_label) + "</text>";
  }
  return s + "</g>\n";
}

/// The path data of one line; a NaN point ends the current piece.
std::string line_path(const Plot& p, const Series& s) {
  std::string d;
  bool pen_down = false;
  double last_y = 0;
  const std::size_t n = std::min(s.x.size(), s.y.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
      pen_down = false;
      continue;
    }
    const double x = p.px(s.x[i]);
    const double y = p.py(s.y[i]);
    if (!pen_down) {
      d += (d.empty() ? "M" : " M") + coord(x) + " " + coord(y);
      pen_down = true;
    } else if (s.step) {
      if (coord(y) != coord(last_y))
        d += " H" + coord(x) + " V" + coord(y);
      else
        d += " H" + coord(x);
    } else {
      d += " L" + coord(x) + " " + coord(y);
    }
    last_y = y;
  }
  return d;
}

}  // namespace

std::vector<double> Axis::ticks() const {
  std::vector<double> t;
  if (!(step > 0) || !(hi > lo)) return {lo};
  const auto n = static_cast<long>(std::llround((hi - lo) / step));
  for (long i = 0; i <= std::min(n, 200L); ++i) t.push_back(lo + static_cast<double>(i) * step);
  return t;
}

int Axis::decimals() const {
  for (int d = 0; d < 12; ++d) {
    const double v = step * std::pow(10.0, d);
    if (std::abs(v - std::round(v)) < 1e-6 * std::max(1.0, v)) return d;
  }
  return 12;
}

Axis nice_axis(double lo, double hi, int target) {
  if (!std::isfinite(lo) && !std::isfinite(hi)) return {};
  if (!std::isfinite(lo)) lo = hi;
  if (!std::isfinite(hi)) hi = lo;
  if (lo > hi) std::swap(lo, hi);
  if (hi == lo) {
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    hi += pad;
    if (lo != 0) lo -= pad;
  }
  const double raw = (hi - lo) / std::max(target, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  Axis a;
  a.step = nice * magnitude;
  a.lo = std::floor(lo / a.step + 1e-9) * a.step;
  a.hi = std::ceil(hi / a.step - 1e-9) * a.step;
  if (a.hi <= a.lo) a.hi = a.lo + a.step;
  return a;
}

std::string line_chart(const Frame& frame, const std::vector<Series>& lines,
                       const std::vector<Marker>& markers) {
  const Plot p = plot_area(frame);
  std::string s = open_svg(frame, frame.height) + axes(frame, p, true);
  for (const auto& m : markers) {
    if (!std::isfinite(m.x) || m.x < p.x.lo || m.x > p.x.hi) continue;
    const std::string x = coord(p.px(m.x));
    s += "<g class=\"marker\"><line x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + coord(p.top) + "\" y2=\"" +
         coord(p.bottom()) + "\" stroke=\"" + html_escape(m.color) + "\"/><text x=\"" + coord(p.px(m.x) + 4) +
         "\" y=\"" + coord(p.top + 12) + "\" fill=\"" + html_escape(m.color) + "\">" + html_escape(m.label) +
         "</text></g>\n";
  }
  for (const auto& line : lines) {
    const std::string d = line_path(p, line);
    if (d.empty()) continue;
    s += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + html_escape(line.color) + "\" stroke-width=\"" +
         coord(line.stroke_width) + "\"" + (line.dashed ? " stroke-dasharray=\"6 4\"" : "") +
         " stroke-linejoin=\"round\"><title>" + html_escape(line.name) + "</title></path>\n";
  }
  return s + "</svg>\n";
}

std::string stacked_area_chart(const Frame& frame, const std::vector<double>& x,
                               const std::vector<Series>& layers) {
  const Plot p = plot_area(frame);
  std::string s = open_svg(frame, frame.height) + axes(frame, p, true);
  std::vector<double> below(x.size(), 0.0);
  for (const auto& layer : layers) {
    std::vector<double> top = below;
    for (std::size_t i = 0; i < x.size() && i < layer.y.size(); ++i)
      if (std::isfinite(layer.y[i])) top[i] += std::max(0.0, layer.y[i]);
    std::string d;
    for (std::size_t i = 0; i < x.size(); ++i)
      d += (i == 0 ? "M" : " L") + coord(p.px(x[i])) + " " + coord(p.py(top[i]));
    for (std::size_t i = x.size(); i-- > 0;) d += " L" + coord(p.px(x[i])) + " " + coord(p.py(below[i]));
    if (!d.empty())
      s += "<path d=\"" + d + " Z\" fill=\"" + html_escape(layer.color) +
           "\" fill-opacity=\"0.85\" stroke=\"" + html_escape(layer.color) +
           "\" stroke-width=\"0.6\"><title>" + html_escape(layer.name) + "</title></path>\n";
    below = std::move(top);
  }
  return s + "</svg>\n";
}

std::string bar_chart(const Frame& frame, const std::vector<Bar>& bars, const std::string& color,
                      double baseline) {
  // Labels: horizontal when they fit under their bar, else rotated by 35 degrees (more room below).
  constexpr std::size_t kMaxLabelChars = 28;
  constexpr double kCharWidth = 6.6;  // of the 11-unit tick font, roughly
  const double band =
      (frame.width - kLeft - kRight) / static_cast<double>(std::max<std::size_t>(bars.size(), 1));
  std::size_t longest = 0;
  for (const auto& b : bars) {
    std::size_t chars = 0;
    for (const char c : b.label) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    longest = std::max(longest, std::min(chars, kMaxLabelChars));
  }
  const bool rotate = static_cast<double>(longest) * kCharWidth > band - 4;
  const double bottom = rotate ? 30 + static_cast<double>(longest) * kCharWidth * 0.57 + 8 : kBottom;
  Frame f = frame;
  f.height = frame.height - kBottom + bottom;
  Plot p = plot_area(f, bottom);

  std::string s = open_svg(f, f.height) + axes(f, p, false);
  const double bar_width = std::max(2.0, band * 0.6);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double cx = p.left + band * (static_cast<double>(i) + 0.5);
    const std::string label = html_escape(truncate_utf8(b.label, kMaxLabelChars));
    std::string tip = b.label + ": " + io::significant(b.value, 4);
    if (std::isfinite(b.lo) && std::isfinite(b.hi))
      tip += " (95 % CI " + io::significant(b.lo, 4) + " to " + io::significant(b.hi, 4) + ")";
    s += "<g><title>" + html_escape(tip) + "</title>";
    if (std::isfinite(b.value)) {
      const double y0 = p.py(baseline);
      const double y1 = p.py(b.value);
      s += "<rect x=\"" + coord(cx - bar_width / 2) + "\" y=\"" + coord(std::min(y0, y1)) + "\" width=\"" +
           coord(bar_width) + "\" height=\"" + coord(std::abs(y1 - y0)) + "\" fill=\"" + html_escape(color) +
           "\"/>";
      if (std::isfinite(b.lo) && std::isfinite(b.hi)) {
        const std::string lo = coord(p.py(b.lo));
        const std::string hi = coord(p.py(b.hi));
        const std::string cap_l = coord(cx - bar_width / 4);
        const std::string cap_r = coord(cx + bar_width / 4);
        s += "<path class=\"errorbar\" d=\"M" + coord(cx) + " " + lo + " V" + hi + " M" + cap_l + " " + lo +
             " H" + cap_r + " M" + cap_l + " " + hi + " H" + cap_r + "\"/>";
      }
    } else {
      s += "<text class=\"tick\" x=\"" + coord(cx) + "\" y=\"" + coord(p.bottom() - 6) +
           "\" text-anchor=\"middle\">n/a</text>";
    }
    if (rotate) {
      const double ly = p.bottom() + 12;
      s += "<text class=\"tick\" x=\"" + coord(cx) + "\" y=\"" + coord(ly) +
           "\" text-anchor=\"end\" transform=\"rotate(-35 " + coord(cx) + " " + coord(ly) + ")\">" + label +
           "</text>";
    } else {
      s += "<text class=\"tick\" x=\"" + coord(cx) + "\" y=\"" + coord(p.bottom() + 16) +
           "\" text-anchor=\"middle\">" + label + "</text>";
    }
    s += "</g>\n";
  }
  return s + "</svg>\n";
}

std::string legend_html(const std::vector<LegendEntry>& entries) {
  std::string s = "<div class=\"legend\">";
  for (const auto& e : entries) {
    const std::string c = html_escape(e.color);
    const std::string swatch = e.filled ? "<span class=\"sw fill\" style=\"background:" + c + "\"></span>"
                                        : "<span class=\"sw" + std::string(e.dashed ? " dash" : "") +
                                              "\" style=\"border-color:" + c + "\"></span>";
    s += "<span class=\"key\">" + swatch + html_escape(e.name) + "</span>";
  }
  return s + "</div>\n";
}

std::string palette(std::size_t index) {
  static const char* const kColours[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                         "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  return kColours[index % (sizeof kColours / sizeof kColours[0])];
}

std::string truncate_utf8(const std::string& text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) return text.substr(0, i) + "\u2026";
    ++chars;
  }
  return text;
}

}  // namespace suanli::report::svg
