// Run charts on shared scales: every axis range is taken over all the runs shown, so the panels of
// runs A and B can be compared by eye.
#include "report/RunCharts.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "io/Format.hpp"
#include "report/Format.hpp"
#include "report/Svg.hpp"

namespace suanli::report {

namespace {

constexpr double kPi = 3.14159265358979323846;
const char* const kNetworkColour = "#222222";

struct TimeUnit {
  double seconds;
  const char* name;
};

/// Minutes up to 2 h, hours up to 3 days, then days.
TimeUnit time_unit(double horizon_s) {
  if (horizon_s <= 2 * 3600) return {60, "min"};
  if (horizon_s <= 72 * 3600) return {3600, "h"};
  return {86400, "d"};
}

/// The time axis from 0 to the horizon, in `unit`s, with ticks on round times (every 10 min, 3 h...).
svg::Axis time_axis(double horizon_s, const TimeUnit& unit) {
  const double span = horizon_s / unit.seconds;
  static const double kMinuteSteps[] = {1, 2, 5, 10, 15, 20, 30, 60};
  static const double kHourSteps[] = {1, 2, 3, 4, 6, 12, 24};
  const bool minutes = unit.seconds == 60;
  if (unit.seconds == 86400 || !(span > 0)) return svg::nice_axis(0, span, 6);
  for (const double step : minutes ? std::vector<double>(std::begin(kMinuteSteps), std::end(kMinuteSteps))
                                   : std::vector<double>(std::begin(kHourSteps), std::end(kHourSteps))) {
    if (span / step <= 8) return {0, std::ceil(span / step - 1e-9) * step, step};
  }
  return svg::nice_axis(0, span, 6);
}

double max_simulated(const std::vector<const RunData*>& runs) {
  double m = 0;
  for (const auto* r : runs) m = std::max(m, r->simulated_s);
  return m;
}

std::vector<double> scaled(const std::vector<double>& v, double divisor) {
  std::vector<double> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = v[i] / divisor;
  return out;
}

/// Smallest and largest finite y of the lines, widened into [lo, hi].
void extend(double& lo, double& hi, const std::vector<double>& y) {
  for (const double v : y)
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
}

/// Colours of per-site (or per-kind) lines, the same for a name in every run.
class LineColours {
 public:
  LineColours(const std::vector<const RunData*>& runs, std::vector<Line> RunData::*lines) {
    for (const auto* r : runs)
      for (const auto& l : r->*lines) {
        const std::string key = key_of(*r, l);
        if (!colour_.count(key)) {
          colour_[key] = r->lines_by_kind ? kind_colour(l.kind) : svg::palette(colour_.size());
        }
      }
  }
  std::string operator()(const RunData& r, const Line& l) const { return colour_.at(key_of(r, l)); }

 private:
  static std::string key_of(const RunData& r, const Line& l) {
    return (r.lines_by_kind ? "kind:" : "site:") + l.name;
  }
  std::map<std::string, std::string> colour_;
};

std::string time_caption(const std::vector<const RunData*>& runs) {
  std::size_t most = 1;
  for (const auto* r : runs) most = std::max(most, r->samples_per_point);
  std::string s = most > 1 ? "Each point is the mean over a time bucket of up to " + io::whole(double(most)) +
                                 " sampling instants of timeseries.csv (at most " +
                                 io::whole(double(kMaxPoints)) + " points per line). "
                           : "Every sampling instant of timeseries.csv is drawn. ";
  for (const auto* r : runs)
    if (r->lines_by_kind) {
      s += "With more than " + io::whole(double(kMaxSiteLines)) +
           " sites, one line per site kind (its sites combined). ";
      break;
    }
  return s;
}

/// Per-site (or per-kind) lines plus the network line, over time.
Figure site_lines_figure(const std::vector<const RunData*>& runs, std::vector<Line> RunData::*lines,
                         Line RunData::*network, const std::string& id, const std::string& title,
                         const std::string& y_label, svg::Ticks ticks, bool from_zero) {
  const TimeUnit unit = time_unit(max_simulated(runs));
  double lo = from_zero ? 0 : HUGE_VAL, hi = -HUGE_VAL;
  for (const auto* r : runs) {
    for (const auto& l : r->*lines) extend(lo, hi, l.y);
    extend(lo, hi, (r->*network).y);
  }
  svg::Frame frame;
  frame.title = title;
  frame.x_label = std::string("simulated time (") + unit.name + ")";
  frame.y_label = y_label;
  frame.x = time_axis(max_simulated(runs), unit);
  frame.y = svg::nice_axis(lo, hi);
  frame.y_ticks = ticks;
  if (ticks == svg::Ticks::kPercent && frame.y.hi > 1 && hi <= 1) frame.y.hi = 1;

  const LineColours colours(runs, lines);
  Figure fig{id, title, {}, ""};
  for (const auto* r : runs) {
    if ((r->*lines).empty()) {
      fig.panels.push_back("<p class=\"empty\">Nothing to draw: no site of this run has any.</p>");
      continue;
    }
    std::vector<svg::Series> series;
    std::vector<svg::LegendEntry> legend;
    for (const auto& l : r->*lines) {
      const std::string c = colours(*r, l);
      series.push_back({l.name, c, scaled(l.t_s, unit.seconds), l.y, 1.6, false, false});
      legend.push_back({l.name, c, false, false});
    }
    const Line& net = r->*network;
    series.push_back({"network", kNetworkColour, scaled(net.t_s, unit.seconds), net.y, 2.4, true, false});
    legend.push_back({"whole network", kNetworkColour, true, false});
    fig.panels.push_back(svg::line_chart(frame, series) + svg::legend_html(legend));
  }
  fig.caption = html_escape(time_caption(runs));
  return fig;
}

Figure pue_figure(const std::vector<const RunData*>& runs) {
  Figure f = site_lines_figure(runs, &RunData::pue, &RunData::network_pue, "pue", "PUE over time", "PUE",
                               svg::Ticks::kNumber, false);
  f.caption = html_escape("PUE = facility power / IT power, per site and for the whole network (dashed). ") +
              f.caption;
  return f;
}

Figure utilization_figure(const std::vector<const RunData*>& runs, bool gpu) {
  Figure f = site_lines_figure(runs, gpu ? &RunData::gpu : &RunData::cpu,
                               gpu ? &RunData::network_gpu : &RunData::network_cpu, gpu ? "gpu" : "cpu",
                               gpu ? "GPU utilization" : "CPU utilization", gpu ? "busy GPUs" : "busy cores",
                               svg::Ticks::kPercent, true);
  f.caption = html_escape(std::string("Busy / installed ") + (gpu ? "GPUs" : "cores") +
                          " at each sampling instant; the whole network (dashed) weighs each site by its " +
                          (gpu ? "GPUs" : "cores") + ". ") +
              f.caption;
  return f;
}

Figure power_figure(const std::vector<const RunData*>& runs) {
  const TimeUnit unit = time_unit(max_simulated(runs));
  double top = 0;
  for (const auto* r : runs)
    for (std::size_t i = 0; i < r->it_w.size(); ++i)
      top = std::max(top, r->it_w[i] + r->loss_w[i] + r->cooling_w[i] + r->overhead_w[i]);
  const double watts = top >= 2e6 ? 1e6 : top >= 2e3 ? 1e3 : 1;
  const std::string unit_name = watts == 1e6 ? "MW" : watts == 1e3 ? "kW" : "W";

  svg::Frame frame;
  frame.title = "Power of the whole network";
  frame.x_label = std::string("simulated time (") + unit.name + ")";
  frame.y_label = "power (" + unit_name + ")";
  frame.x = time_axis(max_simulated(runs), unit);
  frame.y = svg::nice_axis(0, top / watts);

  struct Layer {
    const char* name;
    const char* colour;
    std::vector<double> RunData::*watts;
  };
  const Layer layers[] = {{"IT", "#4e79a7", &RunData::it_w},
                          {"UPS and distribution losses", "#f28e2b", &RunData::loss_w},
                          {"cooling", "#76b7b2", &RunData::cooling_w},
                          {"overheads (lighting, offices)", "#bab0ac", &RunData::overhead_w}};
  Figure fig{"power", "Power of the whole network", {}, ""};
  for (const auto* r : runs) {
    std::vector<svg::Series> series;
    std::vector<svg::LegendEntry> legend;
    for (const auto& l : layers) {
      series.push_back({l.name, l.colour, {}, scaled(r->*l.watts, watts), 1, false, false});
      legend.push_back({l.name, l.colour, false, true});
    }
    fig.panels.push_back(svg::stacked_area_chart(frame, scaled(r->power_t_s, unit.seconds), series) +
                         svg::legend_html(legend));
  }
  fig.caption =
      html_escape("Stacked: IT, then losses, cooling and overheads; the top edge is the facility power. " +
                  time_caption(runs));
  return fig;
}

/// The empirical CDF of a sorted sample as at most kMaxPoints step points, ending at `x_end`.
svg::Series cdf_series(const ClassLatency& c, const std::string& colour, double x_end) {
  svg::Series s{c.name, colour, {}, {}, 1.8, false, true};
  const std::size_t n = c.sample_s.size();
  if (n == 0) return s;
  const std::size_t m = std::min(n, kMaxPoints);
  s.x.push_back(c.sample_s.front() * 1e3);
  s.y.push_back(0);
  for (std::size_t k = 0; k < m; ++k) {
    const std::size_t i = (k + 1) * n / m - 1;  // rank of the k-th point, the last one is n - 1
    s.x.push_back(c.sample_s[i] * 1e3);
    s.y.push_back(static_cast<double>(i + 1) / static_cast<double>(n));
  }
  s.x.push_back(x_end);
  s.y.push_back(1);
  return s;
}

Figure latency_figure(const std::vector<const RunData*>& runs) {
  // Colours by class name, the same in every run.
  std::map<std::string, std::string> colour;
  double hi = 0;
  for (const auto* r : runs)
    for (const auto& c : r->latency) {
      if (!colour.count(c.name)) colour[c.name] = svg::palette(colour.size());
      if (!c.sample_s.empty()) hi = std::max(hi, c.sample_s.back() * 1e3);
      if (std::isfinite(c.budget_s)) hi = std::max(hi, c.budget_s * 1e3);
    }
  svg::Frame frame;
  frame.title = "Network round trip per class (CDF)";
  frame.x_label = "network round trip, origin to site and back (ms)";
  frame.y_label = "share of jobs";
  frame.x = svg::nice_axis(0, hi);
  frame.y = svg::nice_axis(0, 1);
  frame.y_ticks = svg::Ticks::kPercent;

  Figure fig{"latency", "Network round trip per class (CDF)", {}, ""};
  for (const auto* r : runs) {
    std::vector<svg::Series> series;
    std::vector<svg::Marker> markers;
    std::vector<svg::LegendEntry> legend;
    for (const auto& c : r->latency) {
      const std::string col = colour.at(c.name);
      if (c.sample_s.empty()) {
        legend.push_back({c.name + " (no job placed)", col, false, false});
        continue;
      }
      series.push_back(cdf_series(c, col, frame.x.hi));
      std::string name =
          c.name + " (" + io::whole(double(c.placed)) + " jobs" +
          (c.placed > c.sample_s.size() ? ", " + io::whole(double(c.sample_s.size())) + " sampled" : "") +
          ")";
      legend.push_back({name, col, false, false});
      if (std::isfinite(c.budget_s)) {
        markers.push_back({c.budget_s * 1e3, "budget " + c.name, col});
        legend.push_back(
            {"budget of " + c.name + ": " + io::significant(c.budget_s * 1e3, 3) + " ms", col, true, false});
      }
    }
    fig.panels.push_back(svg::line_chart(frame, series, markers) + svg::legend_html(legend));
  }
  fig.caption = html_escape(
      "Share of each class's jobs whose network round trip (jobs.csv network_rtt_s) is at most x; jobs never "
      "placed are left out. Drawn from a uniform reservoir sample of at most " +
      io::whole(double(kReservoirSize)) +
      " jobs per class (Vitter's algorithm R, fixed seed; exact when a class has fewer jobs), each job "
      "counted once whatever its sampling weight. Dashed: the round-trip budget of latency-critical "
      "classes.");
  return fig;
}

// ---------------------------------------------------------------------------------------------
// The map: equirectangular projection (north up), km around the centre of the bounding box.

struct MapView {
  double lat0 = 0, lon0 = 0;    // centre, degrees
  double kx = 1, ky = 1;        // km per degree of longitude / latitude at lat0
  double x_min = 0, y_max = 0;  // km, top-left corner of the drawn area
  double scale = 1;             // SVG units per km
  double width = 640, height = 480;
  double max_racks = 1;
  bool ok = false;

  double sx(double lon) const { return kMargin + ((lon - lon0) * kx - x_min) * scale; }
  double sy(double lat) const { return kMargin + (y_max - (lat - lat0) * ky) * scale; }
  static constexpr double kMargin = 24;
};

MapView map_view(const std::vector<const RunData*>& runs) {
  MapView v;
  double lat_lo = HUGE_VAL, lat_hi = -HUGE_VAL, lon_lo = HUGE_VAL, lon_hi = -HUGE_VAL;
  const auto add = [&](double lat, double lon) {
    if (!std::isfinite(lat) || !std::isfinite(lon)) return;
    lat_lo = std::min(lat_lo, lat), lat_hi = std::max(lat_hi, lat);
    lon_lo = std::min(lon_lo, lon), lon_hi = std::max(lon_hi, lon);
  };
  for (const auto* r : runs) {
    for (const auto& c : r->cities) add(c.lat_deg, c.lon_deg);
    for (const auto& s : r->sites) {
      add(s.lat_deg, s.lon_deg);
      v.max_racks = std::max(v.max_racks, s.racks);
    }
  }
  if (!(lat_hi >= lat_lo)) return v;
  v.ok = true;
  v.lat0 = (lat_lo + lat_hi) / 2;
  v.lon0 = (lon_lo + lon_hi) / 2;
  v.ky = 110.574;
  v.kx = 111.320 * std::cos(v.lat0 * kPi / 180);
  // The bounding box of cities and sites, in km, grown to hold each city's latency circle.
  double x_lo = (lon_lo - v.lon0) * v.kx, x_hi = (lon_hi - v.lon0) * v.kx;
  double y_lo = (lat_lo - v.lat0) * v.ky, y_hi = (lat_hi - v.lat0) * v.ky;
  for (const auto* r : runs) {
    if (!std::isfinite(r->circle_radius_km)) continue;
    for (const auto& c : r->cities) {
      if (!std::isfinite(c.lat_deg) || !std::isfinite(c.lon_deg)) continue;
      const double x = (c.lon_deg - v.lon0) * v.kx, y = (c.lat_deg - v.lat0) * v.ky;
      x_lo = std::min(x_lo, x - r->circle_radius_km), x_hi = std::max(x_hi, x + r->circle_radius_km);
      y_lo = std::min(y_lo, y - r->circle_radius_km), y_hi = std::max(y_hi, y + r->circle_radius_km);
    }
  }
  const double pad = std::max(5.0, 0.04 * std::max(x_hi - x_lo, y_hi - y_lo));
  x_lo -= pad, x_hi += pad, y_lo -= pad, y_hi += pad;
  const double inner_w = v.width - 2 * MapView::kMargin, max_inner_h = 560 - 2 * MapView::kMargin;
  v.scale = std::min(inner_w / (x_hi - x_lo), max_inner_h / (y_hi - y_lo));
  v.x_min = x_lo - (inner_w / v.scale - (x_hi - x_lo)) / 2;  // centred horizontally
  v.y_max = y_hi;
  v.height = std::max(240.0, (y_hi - y_lo) * v.scale + 2 * MapView::kMargin);
  return v;
}

/// A round length for the scale bar, about a fifth of the map's width: 1, 2 or 5 x 10^k km.
double scale_bar_km(const MapView& v) {
  const double target = (v.width - 2 * MapView::kMargin) / v.scale / 5;
  const double magnitude = std::pow(10.0, std::floor(std::log10(target)));
  const double f = target / magnitude;
  return (f < 2 ? 1 : f < 5 ? 2 : 5) * magnitude;
}

std::string map_panel(const MapView& v, const RunData& r) {
  std::string s =
      "<svg class=\"chart map\" viewBox=\"0 0 " + coord(v.width) + " " + coord(v.height) +
      "\" role=\"img\" aria-label=\"Map of the sites\">\n<rect class=\"frame\" x=\"0.5\" y=\"0.5\" "
      "width=\"" +
      coord(v.width - 1) + "\" height=\"" + coord(v.height - 1) + "\"/>\n";
  // Bottom to top: latency circles, sites (the largest first, so that small dots stay visible),
  // city hubs, site labels, city names.
  for (const auto& c : r.cities) {
    if (!std::isfinite(c.lat_deg) || !std::isfinite(c.lon_deg) || !std::isfinite(r.circle_radius_km))
      continue;
    s += "<circle class=\"circle\" cx=\"" + coord(v.sx(c.lon_deg)) + "\" cy=\"" + coord(v.sy(c.lat_deg)) +
         "\" r=\"" + coord(r.circle_radius_km * v.scale) + "\"><title>" +
         html_escape(c.name + ": reachable within the intra-city target") + "</title></circle>\n";
  }
  std::vector<const SiteInfo*> sites;
  for (const auto& site : r.sites)
    if (std::isfinite(site.lat_deg) && std::isfinite(site.lon_deg)) sites.push_back(&site);
  std::stable_sort(sites.begin(), sites.end(),
                   [](const SiteInfo* a, const SiteInfo* b) { return a->racks > b->racks; });
  const auto radius = [&](const SiteInfo& site) {
    return 3 + 11 * std::sqrt(std::max(0.0, site.racks) / v.max_racks);
  };
  for (const auto* site : sites) {
    std::string title = site->name + (site->name_zh.empty() ? "" : " (" + site->name_zh + ")") + ": " +
                        site->kind + ", " + io::whole(site->racks) + " racks, city " + site->city;
    s += "<circle class=\"site\" cx=\"" + coord(v.sx(site->lon_deg)) + "\" cy=\"" +
         coord(v.sy(site->lat_deg)) + "\" r=\"" + coord(radius(*site)) + "\" fill=\"" +
         kind_colour(site->kind) + "\"><title>" + html_escape(title) + "</title></circle>\n";
  }
  std::string names;
  for (const auto& c : r.cities) {
    if (!std::isfinite(c.lat_deg) || !std::isfinite(c.lon_deg)) continue;
    const double x = v.sx(c.lon_deg), y = v.sy(c.lat_deg);
    const std::string title = c.name + (c.name_zh.empty() ? "" : " (" + c.name_zh + ")") + " city hub";
    s += "<rect class=\"hub\" x=\"" + coord(x - 4) + "\" y=\"" + coord(y - 4) +
         "\" width=\"8\" height=\"8\"><title>" + html_escape(title) + "</title></rect>\n";
    names += "<text x=\"" + coord(x - 8) + "\" y=\"" + coord(y + 4) + "\" text-anchor=\"end\">" +
             html_escape(c.name) + "</text>";  // left of the hub: site labels go to the right of their dots
  }
  // Labels: every site when few, else the sites that are not edge data centres.
  const bool all_labels = sites.size() <= 40;
  s += "<g class=\"label\">";
  for (const auto* site : sites) {
    if (!all_labels && site->kind == "edge_dc") continue;
    s += "<text x=\"" + coord(v.sx(site->lon_deg) + radius(*site) + 3) + "\" y=\"" +
         coord(v.sy(site->lat_deg) + 4) + "\">" + html_escape(site->name) + "</text>";
  }
  s += "</g>\n<g class=\"city\">" + names + "</g>\n";
  // Scale bar, bottom left.
  const double km = scale_bar_km(v);
  const double x0 = MapView::kMargin, y0 = v.height - 14, x1 = x0 + km * v.scale;
  s += "<g class=\"scalebar\"><path d=\"M" + coord(x0) + " " + coord(y0 - 5) + " V" + coord(y0) + " H" +
       coord(x1) + " V" + coord(y0 - 5) + "\"/><text x=\"" + coord(x1 + 6) + "\" y=\"" + coord(y0) + "\">" +
       io::grouped(km, km < 1 ? 2 : 0) + " km</text></g>\n";
  return s + "</svg>\n";
}

Figure map_figure(const std::vector<const RunData*>& runs) {
  Figure fig{"map", "Sites and latency circles", {}, ""};
  const MapView v = map_view(runs);
  std::vector<std::string> kinds;
  for (const auto* r : runs)
    for (const auto& s : r->sites)
      if (std::find(kinds.begin(), kinds.end(), s.kind) == kinds.end()) kinds.push_back(s.kind);
  std::sort(kinds.begin(), kinds.end());
  for (const auto* r : runs) {
    if (!v.ok) {
      fig.panels.push_back("<p class=\"empty\">No coordinates in scenario.json.</p>");
      continue;
    }
    std::vector<svg::LegendEntry> legend;
    for (const auto& k : kinds) legend.push_back({k, kind_colour(k), false, true});
    if (std::isfinite(r->circle_radius_km))
      legend.push_back({"intra-city latency circle (" + io::significant(r->circle_radius_km, 3) + " km)",
                        "#3b6ea8", true, false});
    fig.panels.push_back(map_panel(v, *r) + svg::legend_html(legend));
  }
  // The circle's formula with this run's figures (the first run's; a difference is in the legend).
  const RunData& r = *runs.front();
  const auto& targets =
      r.scenario.contains("latency_targets") ? r.scenario["latency_targets"] : nlohmann::json();
  const auto& network = r.scenario.contains("network") ? r.scenario["network"] : nlohmann::json();
  const auto number = [](const nlohmann::json& j, const char* key, double fallback) {
    return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
  };
  const bool round_trip = targets.is_object() && targets.value("mode", "") == "round_trip";
  fig.caption = html_escape(
      "Equirectangular projection, north up, around the bounding box of the cities, sites and circles. Dot "
      "area "
      "grows with the site's racks; colour: site kind; squares: city hubs. Circle radius = intra-city target "
      "/ "
      "(fiber latency x route factor) = " +
      io::significant(number(targets, "intra_city_s", 0.001) * 1e3, 3) + " ms / (" +
      io::significant(number(network, "fiber_latency_s_per_km", 5e-6) * 1e6, 3) + " \u00b5s/km x " +
      io::significant(number(network, "route_factor", 1.4), 3) + ")" +
      (round_trip ? " / 2 (round-trip mode)" : "") + " = " + io::significant(r.circle_radius_km, 3) +
      " km of straight line from the hub; hop delays are ignored." +
      (v.ok && r.sites.size() > 40 ? " Only the sites that are not edge data centres are labelled." : ""));
  return fig;
}

}  // namespace

std::string kind_colour(const std::string& kind) {
  if (kind == "core_cluster") return "#4e79a7";
  if (kind == "gpu_center") return "#e15759";
  if (kind == "supercomputing_center") return "#b07aa1";
  if (kind == "edge_dc") return "#59a14f";
  return "#9c755f";
}

std::vector<Figure> run_figures(const std::vector<const RunData*>& runs) {
  std::vector<Figure> figures;
  figures.push_back(map_figure(runs));
  figures.push_back(pue_figure(runs));
  figures.push_back(power_figure(runs));
  figures.push_back(utilization_figure(runs, false));
  bool gpus = false;
  for (const auto* r : runs) gpus = gpus || !r->gpu.empty();
  if (gpus) figures.push_back(utilization_figure(runs, true));
  figures.push_back(latency_figure(runs));
  return figures;
}

}  // namespace suanli::report
