// Sweep files, their expansion into runs, run metrics and the statistics across replications.
#include "sweep/Sweep.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>

#include "io/Format.hpp"
#include "io/JsonReader.hpp"
#include "model/Validate.hpp"

namespace suanli::sweep {

using nlohmann::json;

namespace {

/// A label for a plain axis value: strings without quotes, everything else as compact JSON.
std::string label_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::vector<model::ScenarioEdit> read_edits(const json& v, const std::string& ptr, const std::string& file) {
  if (!v.is_object())
    throw model::UserError(file, ptr,
                           "expected an object {\"/json/pointer\": value, ...}, got " + io::describe_json(v));
  std::vector<model::ScenarioEdit> edits;
  for (const auto& [key, value] : v.items()) {
    if (key.empty() || key[0] != '/')
      throw model::UserError(
          file, io::json_pointer_child(ptr, key),
          "keys are JSON pointers into the scenario and start with '/', e.g. \"/horizon_s\"");
    edits.push_back({key, value});
  }
  return edits;
}

}  // namespace

SweepSpec sweep_from_json(const json& doc, const std::string& file) {
  io::ReadContext ctx{file, false, nullptr};
  io::JsonObject o(
      doc, "", ctx,
      {"$schema", "name", "scenario", "seed", "replications", "set", "axes", "points", "run_arguments"});
  SweepSpec s;
  s.source_file = file;
  s.name = o.required_string("name");
  if (s.name.empty() || s.name.find_first_of("/\\\"%") != std::string::npos ||
      std::any_of(s.name.begin(), s.name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
    o.fail("name",
           "expected a non-empty name without '/', '\\', '\"', '%' or control characters (it names folders "
           "and Slurm jobs)");
  s.scenario = o.required_string("scenario");
  const auto seed = o.optional_integer("seed", 1);
  if (seed < 0) o.fail("seed", "expected an integer >= 0");
  s.seed = static_cast<std::uint64_t>(seed);
  const auto reps = o.optional_integer("replications", 1);
  if (reps < 1 || reps > 10000)
    o.fail("replications", "expected an integer in [1, 10000], got " + std::to_string(reps));
  s.replications = static_cast<int>(reps);
  if (const json* set = o.object("set")) s.set = read_edits(*set, o.path_of("set"), file);
  const auto& axes = o.array("axes", false);
  std::size_t product = 1;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const std::string ap = io::json_pointer_child(o.path_of("axes"), i);
    io::JsonObject a(axes[i], ap, ctx, {"name", "pointer", "values"});
    Axis axis;
    axis.name = a.required_string("name");
    if (const auto problem = model::name_problem(axis.name); !problem.empty())
      a.fail("name", "an axis " + problem);
    for (const auto& other : s.axes)
      if (other.name == axis.name) a.fail("name", "duplicate axis name \"" + axis.name + "\"");
    const std::string pointer = a.optional_string("pointer", "");
    if (!pointer.empty() && pointer[0] != '/') a.fail("pointer", "expected a JSON pointer starting with '/'");
    const auto& values = a.array("values", true);
    if (values.empty()) a.fail("values", "expected at least one value");
    for (std::size_t k = 0; k < values.size(); ++k) {
      const std::string vp = io::json_pointer_child(a.path_of("values"), k);
      const auto& v = values[k];
      AxisValue value;
      if (pointer.empty()) {  // each value is {"label": ..., "set": {pointer: value, ...}}
        io::JsonObject vo(v, vp, ctx, {"label", "set"});
        value.label = vo.required_string("label");
        if (const auto problem = model::name_problem(value.label); !problem.empty())
          vo.fail("label", "a label " + problem);
        const json* set = vo.object("set");
        if (!set) vo.fail("set", "required field is missing (or give the axis a \"pointer\")");
        value.edits = read_edits(*set, vo.path_of("set"), file);
      } else {
        value.label = label_of(v);
        value.edits.push_back({pointer, v});
      }
      for (const auto& other : axis.values)
        if (other.label == value.label)
          throw model::UserError(file, vp,
                                 "duplicate value \"" + value.label + "\" on axis \"" + axis.name + "\"");
      axis.values.push_back(std::move(value));
    }
    product *= axis.values.size();
    if (!doc.contains("points") && product * static_cast<std::size_t>(s.replications) > 1000000)
      throw model::UserError(file, ap, "the sweep would have more than 1,000,000 runs");
    s.axes.push_back(std::move(axis));
  }
  if (doc.contains("points")) {  // a list of configurations instead of the full grid
    const auto& points = o.array("points", true);
    if (points.empty())
      o.fail("points", "expected at least one point (or leave \"points\" out for the full grid)");
    if (s.axes.empty()) o.fail("points", "points name one value of each axis; this sweep has no axes");
    if (points.size() * static_cast<std::size_t>(s.replications) > 1000000)
      o.fail("points", "the sweep would have more than 1,000,000 runs");
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::string pp = io::json_pointer_child(o.path_of("points"), i);
      if (!points[i].is_object())
        throw model::UserError(
            file, pp,
            "expected an object {\"axis name\": value label, ...}, got " + io::describe_json(points[i]));
      std::vector<std::size_t> pick;
      for (const auto& axis : s.axes) {
        const std::string vp = io::json_pointer_child(pp, axis.name);
        if (!points[i].contains(axis.name))
          throw model::UserError(
              file, pp, "no value for axis \"" + axis.name + "\" (a point names one value of every axis)");
        const std::string label = label_of(points[i].at(axis.name));
        const auto it = std::find_if(axis.values.begin(), axis.values.end(),
                                     [&](const AxisValue& v) { return v.label == label; });
        if (it == axis.values.end())
          throw model::UserError(file, vp, "\"" + label + "\" is not a value of axis \"" + axis.name + "\"");
        pick.push_back(static_cast<std::size_t>(it - axis.values.begin()));
      }
      for (const auto& [key, value] : points[i].items())
        if (std::none_of(s.axes.begin(), s.axes.end(), [&](const Axis& a) { return a.name == key; }))
          throw model::UserError(file, io::json_pointer_child(pp, key), "no axis is named \"" + key + "\"");
      if (std::find(s.points.begin(), s.points.end(), pick) != s.points.end())
        throw model::UserError(file, pp, "the same point as an earlier one");
      s.points.push_back(std::move(pick));
    }
  }
  for (const auto& arg : o.optional_string_list("run_arguments")) {
    // Every spelling CLI11 accepts: "--set X", "--set=X", "-o X", "-oX", "--output=X", "--seed=X".
    static const std::vector<std::string> refused{"--output", "--seed", "--set"};
    const std::string name = arg.substr(0, arg.find('='));
    if (arg.rfind("-o", 0) == 0 || std::find(refused.begin(), refused.end(), name) != refused.end())
      o.fail("run_arguments",
             "\"" + arg + "\" is set by the sweep itself (use \"set\", \"seed\" or an axis)");
    s.run_arguments.push_back(arg);
  }
  // The base scenario relative to the sweep file.
  namespace fs = std::filesystem;
  const fs::path base = fs::path(file).parent_path();
  const fs::path scenario = fs::path(s.scenario).is_absolute() ? fs::path(s.scenario) : base / s.scenario;
  std::error_code ec;
  if (!fs::is_regular_file(scenario, ec))
    o.fail("scenario", "no such scenario file \"" + scenario.string() + "\"");
  s.scenario = fs::absolute(scenario).lexically_normal().string();
  return s;
}

SweepSpec read_sweep(const std::string& path) {
  return sweep_from_json(io::parse_json_text(io::read_text_file(path), path), path);
}

json sweep_to_json(const SweepSpec& s) {
  json set = json::object();
  for (const auto& e : s.set) set[e.pointer] = e.value;
  json axes = json::array();
  for (const auto& a : s.axes) {
    json values = json::array();
    for (const auto& v : a.values) {
      json vs = json::object();
      for (const auto& e : v.edits) vs[e.pointer] = e.value;
      values.push_back({{"label", v.label}, {"set", vs}});
    }
    axes.push_back({{"name", a.name}, {"values", values}});
  }
  json out = {{"name", s.name},
              {"scenario", s.scenario},
              {"seed", s.seed},
              {"replications", s.replications},
              {"set", set},
              {"axes", axes},
              {"run_arguments", s.run_arguments}};
  if (!s.points.empty()) {  // only then: a grid sweep's sweep.json stays as it was
    json points = json::array();
    for (const auto& pick : s.points) {
      json p = json::object();
      for (std::size_t a = 0; a < s.axes.size(); ++a) p[s.axes[a].name] = s.axes[a].values[pick[a]].label;
      points.push_back(p);
    }
    out["points"] = points;
  }
  return out;
}

std::size_t config_count(const SweepSpec& spec) {
  if (!spec.points.empty()) return spec.points.size();
  std::size_t n = 1;
  for (const auto& a : spec.axes) n *= a.values.size();
  return n;
}

std::vector<RunPlan> expand(const SweepSpec& spec) {
  std::vector<RunPlan> runs;
  const std::size_t configs = config_count(spec);
  const int cw = std::max<int>(3, static_cast<int>(std::to_string(configs - 1).size()));
  const int rw = std::max<int>(2, static_cast<int>(std::to_string(spec.replications - 1).size()));
  for (std::size_t c = 0; c < configs; ++c) {
    // Digits of c in the mixed radix of the axes, last axis fastest.
    std::vector<std::size_t> pick(spec.axes.size());
    std::size_t rest = c;
    for (std::size_t a = spec.axes.size(); a-- > 0;) {
      pick[a] = rest % spec.axes[a].values.size();
      rest /= spec.axes[a].values.size();
    }
    if (!spec.points.empty()) pick = spec.points[c];
    for (int r = 0; r < spec.replications; ++r) {
      RunPlan p;
      std::ostringstream id;
      id << 'c' << std::setw(cw) << std::setfill('0') << c << "-r" << std::setw(rw) << std::setfill('0') << r;
      p.id = id.str();
      p.index = runs.size();
      p.config = c;
      p.replication = r;
      p.seed = spec.seed + static_cast<std::uint64_t>(r);
      p.edits = spec.set;
      for (std::size_t a = 0; a < spec.axes.size(); ++a) {
        const auto& v = spec.axes[a].values[pick[a]];
        p.labels.push_back(v.label);
        p.edits.insert(p.edits.end(), v.edits.begin(), v.edits.end());
      }
      runs.push_back(std::move(p));
    }
  }
  return runs;
}

std::pair<std::size_t, std::size_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const auto bad = [&] {
    return model::UserError("--shard", text, "expected i/N with 1 <= i <= N, e.g. --shard 2/4");
  };
  if (slash == std::string::npos) throw bad();
  try {
    std::size_t used = 0;
    const auto i = std::stoul(text.substr(0, slash), &used);
    if (used != slash) throw bad();
    const std::string rest = text.substr(slash + 1);
    const auto n = std::stoul(rest, &used);
    if (used != rest.size() || i < 1 || i > n || n > 100000) throw bad();
    return {i, n};
  } catch (const std::logic_error&) {
    throw bad();
  }
}

std::vector<RunPlan> shard(const std::vector<RunPlan>& runs, std::size_t i, std::size_t n) {
  std::vector<RunPlan> out;
  for (const auto& r : runs)
    if (r.index % n == i - 1) out.push_back(r);
  return out;
}

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names{"it_energy_mwh",
                                              "facility_energy_mwh",
                                              "pue",
                                              "carbon_t",
                                              "cost",
                                              "water_m3",
                                              "cpu_utilization",
                                              "gpu_utilization",
                                              "submitted",
                                              "completed",
                                              "rejected",
                                              "unfinished",
                                              "mean_wait_s",
                                              "budget_attainment",
                                              "deadline_attainment"};
  return names;
}

std::vector<double> run_metrics(const json& summary) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto num = [&](const json& j, const char* key) {
    return j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>() : nan;
  };
  const json& t = summary.at("totals");
  const json& jobs = summary.at("jobs");
  double waited = 0, completed = 0;
  double budget = nan, deadline = nan;
  for (const auto& c : summary.at("classes")) {
    const double done = num(c, "completed");
    if (c.value("kind", "") != "latency_critical" && done > 0 && c.contains("wait_s")) {
      waited += num(c.at("wait_s"), "mean") * done;
      completed += done;
    }
    const double b = num(c, "budget_attainment"), d = num(c, "deadline_attainment");
    if (std::isfinite(b)) budget = std::isfinite(budget) ? std::min(budget, b) : b;
    if (std::isfinite(d)) deadline = std::isfinite(deadline) ? std::min(deadline, d) : d;
  }
  return {num(t, "it_energy_j") / 3.6e9,
          num(t, "facility_energy_j") / 3.6e9,
          num(t, "pue"),
          num(t, "carbon_kg") / 1000,
          num(t, "electricity_cost"),
          num(t, "water_l") / 1000,
          num(t, "cpu_utilization"),
          num(t, "gpu_utilization"),
          num(jobs, "submitted"),
          num(jobs, "completed"),
          num(jobs, "rejected"),
          num(jobs, "unfinished"),
          completed > 0 ? waited / completed : nan,
          budget,
          deadline};
}

namespace {
/// Continued fraction of the regularized incomplete beta function (modified Lentz).
double beta_cf(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m < 500; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    c = 1 + aa / c;
    if (std::fabs(d) < tiny) d = tiny;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    c = 1 + aa / c;
    if (std::fabs(d) < tiny) d = tiny;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-15) break;
  }
  return h;
}

/// I_x(a, b).
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front =
      std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_cf(a, b, x) / a;
  return 1 - front * beta_cf(b, a, 1 - x) / b;
}

/// P(T <= t) for t >= 0.
double student_t_cdf(double t, double df) {
  return 1 - 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
}
}  // namespace

double student_t_975(double df) {
  double lo = 0, hi = 1000;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (student_t_cdf(mid, df) < 0.975 ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

Estimate estimate(const std::vector<double>& values) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Estimate e;
  double sum = 0;
  for (const double v : values)
    if (std::isfinite(v)) {
      sum += v;
      ++e.n;
    }
  if (e.n == 0) return {0, nan, nan, nan, nan};
  e.mean = sum / static_cast<double>(e.n);
  if (e.n == 1) {
    e.sd = e.ci95_lo = e.ci95_hi = nan;
    return e;
  }
  double ss = 0;
  for (const double v : values)
    if (std::isfinite(v)) ss += (v - e.mean) * (v - e.mean);
  e.sd = std::sqrt(ss / static_cast<double>(e.n - 1));
  const double half =
      student_t_975(static_cast<double>(e.n - 1)) * e.sd / std::sqrt(static_cast<double>(e.n));
  e.ci95_lo = e.mean - half;
  e.ci95_hi = e.mean + half;
  return e;
}

std::string runs_csv(const SweepSpec& spec, const std::vector<RunResult>& results) {
  std::string out = "run,config,replication,seed,status,exit_code,error";
  for (const auto& a : spec.axes) out += "," + io::csv_escape(a.name);
  for (const auto& m : metric_names()) out += "," + m;
  out += "\n";
  for (const auto& r : results) {
    out += r.plan.id + "," + std::to_string(r.plan.config) + "," + std::to_string(r.plan.replication) + "," +
           std::to_string(r.plan.seed) + "," + r.status + "," + std::to_string(r.exit_code) + "," +
           io::csv_escape(r.error);
    for (const auto& l : r.plan.labels) out += "," + io::csv_escape(l);
    for (std::size_t m = 0; m < metric_names().size(); ++m)
      out += "," + (m < r.metrics.size() ? io::format_double_or_empty(r.metrics[m]) : std::string());
    out += "\n";
  }
  return out;
}

std::string summary_csv(const SweepSpec& spec, const std::vector<RunResult>& results) {
  std::map<std::size_t, std::vector<const RunResult*>> by_config;
  for (const auto& r : results) by_config[r.plan.config].push_back(&r);
  std::string out = "config";
  for (const auto& a : spec.axes) out += "," + io::csv_escape(a.name);
  out += ",n";
  for (const auto& m : metric_names())
    out += "," + m + "_mean," + m + "_sd," + m + "_ci95_lo," + m + "_ci95_hi";
  out += "\n";
  for (const auto& [config, runs] : by_config) {
    out += std::to_string(config);
    for (const auto& l : runs.front()->plan.labels) out += "," + io::csv_escape(l);
    std::size_t ok = 0;
    for (const auto* r : runs) ok += r->status == "ok" ? 1 : 0;
    out += "," + std::to_string(ok);
    for (std::size_t m = 0; m < metric_names().size(); ++m) {
      std::vector<double> v;
      for (const auto* r : runs)
        if (r->status == "ok" && m < r->metrics.size()) v.push_back(r->metrics[m]);
      const auto e = estimate(v);
      for (const double x : {e.mean, e.sd, e.ci95_lo, e.ci95_hi}) out += "," + io::format_double_or_empty(x);
    }
    out += "\n";
  }
  return out;
}

}  // namespace suanli::sweep
