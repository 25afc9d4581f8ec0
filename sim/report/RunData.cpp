// Reading run and sweep folders for the report: JSON documents whole, CSV files streamed into
// time buckets, reservoir samples and the first rows of a table.
#include "report/RunData.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>

#include "io/JsonReader.hpp"
#include "io/LineReader.hpp"
#include "model/Error.hpp"

namespace suanli::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

/// `dir/name`, or `dir/name.gz` when only the compressed file exists; nullopt when neither does.
std::optional<std::string> find_csv(const std::string& dir, const std::string& name) {
  const fs::path plain = fs::path(dir) / name;
  if (is_file(plain)) return plain.string();
  const fs::path gz = fs::path(dir) / (name + ".gz");
  if (is_file(gz)) return gz.string();
  return std::nullopt;
}

std::string require_csv(const std::string& dir, const std::string& name) {
  if (auto p = find_csv(dir, name)) return *p;
  throw model::UserError(
      (fs::path(dir) / name).string(), "",
      "missing: a run folder holds " + name + " (or " + name + ".gz), written by suanli run");
}

json read_json(const std::string& path, const std::string& what) {
  if (!is_file(path)) throw model::UserError(path, "", "missing: " + what);
  const json j = io::parse_json_text(io::read_text_file(path), path);
  if (!j.is_object()) throw model::UserError(path, "", "expected a JSON object, got " + io::describe_json(j));
  return j;
}

// Tolerant accessors: the report shows "-" for what a document lacks rather than refusing it.
std::string str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}
double num(const json& j, const char* key, double fallback = kNaN) {
  if (!j.is_object()) return fallback;
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}
const json& member(const json& j, const char* key) {
  static const json null;
  if (!j.is_object()) return null;
  const auto it = j.find(key);
  return it != j.end() ? *it : null;
}

/// The fields of one CSV line (RFC 4180 quoting); used for header rows, whose names CsvReader
/// does not expose.
std::vector<std::string> split_csv(std::string_view text) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::vector<std::string> csv_header(const std::string& path) {
  io::LineReader lines(path);
  const auto first = lines.next();
  if (!first) lines.fail("empty file, expected a header row naming the columns");
  return split_csv(*first);
}

/// A CSV number; an empty field is NaN.
double csv_number(const io::CsvReader& csv, const std::vector<std::string>& row, std::size_t column) {
  const std::string& text = row[column];
  if (text.empty()) return kNaN;
  return csv.lines().to_number(text, csv.describe(column));
}

/// SplitMix64 (Steele, Lea, Flood 2014): a fixed-seed generator, the same everywhere.
struct SplitMix64 {
  std::uint64_t state = 0x5eed5eed5eed5eedULL;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

// ---------------------------------------------------------------------------------------------
// scenario.json: cities, sites (with their installed cores and GPUs), the latency circle.

void read_scenario(RunData& run) {
  const json& s = run.scenario;
  for (const auto& c : member(s, "cities")) {
    run.cities.push_back({str(c, "name"), str(c, "name_zh"), num(c, "lat_deg"), num(c, "lon_deg")});
  }
  std::map<std::string, std::pair<double, double>> node_types;  // name -> cores, gpus per node
  for (const auto& t : member(s, "node_types"))
    node_types[str(t, "name")] = {num(t, "cores", 0), num(t, "gpus", 0)};
  for (const auto& site : member(s, "sites")) {
    SiteInfo info{str(site, "name"),    str(site, "name_zh"), str(site, "kind"),    str(site, "city"),
                  num(site, "lat_deg"), num(site, "lon_deg"), num(site, "racks", 0)};
    for (const auto& n : member(site, "nodes")) {
      const auto it = node_types.find(str(n, "type"));
      if (it == node_types.end()) continue;
      info.cores += num(n, "count", 0) * it->second.first;
      info.gpus += num(n, "count", 0) * it->second.second;
    }
    run.sites.push_back(std::move(info));
  }
  const json& targets = member(s, "latency_targets");
  const json& network = member(s, "network");
  double radius = num(targets, "intra_city_s", 0.001) /
                  (num(network, "fiber_latency_s_per_km", 5e-6) * num(network, "route_factor", 1.4));
  if (str(targets, "mode") == "round_trip") radius /= 2;
  run.circle_radius_km = std::isfinite(radius) && radius > 0 ? radius : kNaN;
}

// ---------------------------------------------------------------------------------------------
// timeseries.csv: each row falls into one of kMaxPoints equal time buckets of the run.

/// Sums over the rows of one bucket for one line (a site, a kind, or the whole network).
struct Cell {
  double t_sum = 0;
  std::size_t rows = 0;
  double it_w = 0, facility_w = 0, loss_w = 0, cooling_w = 0, overhead_w = 0;
  double cpu_weight = 0, cpu_busy = 0;  // sum of cores, sum of utilization x cores
  double gpu_weight = 0, gpu_busy = 0;
  // Distinct sampling instants (rows arrive time-major, so a new time_s is a new instant).
  std::size_t instants = 0;
  double last_t = kNaN;
};

struct Group {
  std::string name;
  std::string kind;
  bool has_gpus = false;
  std::vector<Cell> cells = std::vector<Cell>(kMaxPoints);
};

double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

/// The points of one line: the bucket-mean time and `value(cell)` of every non-empty bucket.
template <typename F>
Line make_line(const Group& g, F value) {
  Line line{g.name, g.kind, {}, {}};
  for (const auto& c : g.cells) {
    if (c.rows == 0) continue;
    line.t_s.push_back(c.t_sum / static_cast<double>(c.rows));
    line.y.push_back(value(c));
  }
  return line;
}

void read_timeseries(RunData& run, const std::string& path) {
  io::CsvReader csv(path, {"time_s", "site", "cpu_utilization", "gpu_utilization", "it_power_w", "loss_w",
                           "cooling_w", "overhead_w", "facility_w"});
  const std::size_t c_time = *csv.column("time_s"), c_site = *csv.column("site");
  const std::size_t c_cpu = *csv.column("cpu_utilization"), c_gpu = *csv.column("gpu_utilization");
  const std::size_t c_it = *csv.column("it_power_w"), c_loss = *csv.column("loss_w");
  const std::size_t c_cool = *csv.column("cooling_w"), c_over = *csv.column("overhead_w");
  const std::size_t c_fac = *csv.column("facility_w");

  // Lines: one per site, or one per site kind when there are many sites.
  run.lines_by_kind = run.sites.size() > kMaxSiteLines;
  std::vector<Group> groups;
  std::map<std::string, std::size_t> group_of_site;  // site name -> group
  std::map<std::string, std::size_t> group_of_kind;
  std::map<std::string, const SiteInfo*> site_info;
  const auto group_for = [&](const std::string& name, const std::string& kind) {
    if (run.lines_by_kind) {
      const auto [it, added] = group_of_kind.emplace(kind, groups.size());
      if (added) groups.push_back({kind.empty() ? "other" : kind, kind});
      return it->second;
    }
    groups.push_back({name, kind});
    return groups.size() - 1;
  };
  for (const auto& s : run.sites) {
    site_info.emplace(s.name, &s);
    if (!group_of_site.count(s.name)) group_of_site[s.name] = group_for(s.name, s.kind);
    if (s.gpus > 0) groups[group_of_site[s.name]].has_gpus = true;
  }
  Group network{"network", "", false};

  const double bucket_s = run.simulated_s / static_cast<double>(kMaxPoints);
  while (const auto* row = csv.next()) {
    const double t = csv.lines().to_number((*row)[c_time], csv.describe(c_time));
    const std::string& site = (*row)[c_site];
    auto g = group_of_site.find(site);
    if (g == group_of_site.end())
      g = group_of_site.emplace(site, group_for(site, "")).first;  // not in scenario
    const auto info = site_info.find(site);
    // Sites unknown to scenario.json weigh as one core and no GPU.
    const double cores = info != site_info.end() ? info->second->cores : 1;
    const double gpus = info != site_info.end() ? info->second->gpus : 0;

    const double it = csv_number(csv, *row, c_it), fac = csv_number(csv, *row, c_fac);
    const double cpu = csv_number(csv, *row, c_cpu), gpu = csv_number(csv, *row, c_gpu);
    const double loss = csv_number(csv, *row, c_loss), cool = csv_number(csv, *row, c_cool);
    const double over = csv_number(csv, *row, c_over);
    const auto index =
        static_cast<std::size_t>(std::clamp(std::floor(t / bucket_s), 0.0, double(kMaxPoints - 1)));
    for (Cell* cell : {&groups[g->second].cells[index], &network.cells[index]}) {
      cell->t_sum += t;
      ++cell->rows;
      if (t != cell->last_t) ++cell->instants;
      cell->last_t = t;
      if (std::isfinite(it) && std::isfinite(fac)) {
        cell->it_w += it;
        cell->facility_w += fac;
      }
      if (std::isfinite(loss)) cell->loss_w += loss;
      if (std::isfinite(cool)) cell->cooling_w += cool;
      if (std::isfinite(over)) cell->overhead_w += over;
      if (std::isfinite(cpu) && cores > 0) {
        cell->cpu_weight += cores;
        cell->cpu_busy += cpu * cores;
      }
      if (std::isfinite(gpu) && gpus > 0) {
        cell->gpu_weight += gpus;
        cell->gpu_busy += gpu * gpus;
      }
    }
  }

  const auto pue = [](const Cell& c) { return ratio(c.facility_w, c.it_w); };
  const auto cpu = [](const Cell& c) { return ratio(c.cpu_busy, c.cpu_weight); };
  const auto gpu = [](const Cell& c) { return ratio(c.gpu_busy, c.gpu_weight); };
  for (const auto& g : groups) {
    run.pue.push_back(make_line(g, pue));
    run.cpu.push_back(make_line(g, cpu));
    if (g.has_gpus) run.gpu.push_back(make_line(g, gpu));
  }
  run.network_pue = make_line(network, pue);
  run.network_cpu = make_line(network, cpu);
  if (!run.gpu.empty()) run.network_gpu = make_line(network, gpu);
  for (const auto& c : network.cells) {
    if (c.rows == 0) continue;
    const double instants = static_cast<double>(c.instants);
    run.samples_per_point = std::max(run.samples_per_point, c.instants);
    run.power_t_s.push_back(c.t_sum / static_cast<double>(c.rows));
    run.it_w.push_back(c.it_w / instants);
    run.loss_w.push_back(c.loss_w / instants);
    run.cooling_w.push_back(c.cooling_w / instants);
    run.overhead_w.push_back(c.overhead_w / instants);
  }
}

// ---------------------------------------------------------------------------------------------
// jobs.csv: a uniform reservoir sample (Vitter's algorithm R) of network_rtt_s per class.

void read_jobs(RunData& run, const std::string& path) {
  io::CsvReader csv(path, {"class", "network_rtt_s"});
  const std::size_t c_class = *csv.column("class"), c_rtt = *csv.column("network_rtt_s");
  const auto c_kind = csv.column("kind");

  std::map<std::string, std::size_t> index;
  for (const auto& c : member(run.summary, "classes")) {
    index.emplace(str(c, "name"), run.latency.size());
    run.latency.push_back({str(c, "name"), str(c, "kind"), 0, {}, kNaN});
  }
  SplitMix64 random;
  while (const auto* row = csv.next()) {
    const std::string& rtt_text = (*row)[c_rtt];
    if (rtt_text.empty()) continue;  // never placed
    const double rtt = csv.lines().to_number(rtt_text, csv.describe(c_rtt));
    const std::string& name = (*row)[c_class];
    auto it = index.find(name);
    if (it == index.end()) {
      it = index.emplace(name, run.latency.size()).first;
      run.latency.push_back({name, c_kind ? (*row)[*c_kind] : "", 0, {}, kNaN});
    }
    ClassLatency& c = run.latency[it->second];
    ++c.placed;
    if (c.sample_s.size() < kReservoirSize) {
      c.sample_s.push_back(rtt);
    } else {
      const std::uint64_t j = random.next() % c.placed;
      if (j < kReservoirSize) c.sample_s[j] = rtt;
    }
  }
  for (auto& c : run.latency) std::sort(c.sample_s.begin(), c.sample_s.end());

  // Budgets of the latency-critical classes (0 in the scenario means the intra-city target).
  const double intra = num(member(run.scenario, "latency_targets"), "intra_city_s", kNaN);
  for (const auto& cls : member(member(run.scenario, "workload"), "classes")) {
    const auto it = index.find(str(cls, "name"));
    if (it == index.end() || str(cls, "kind") != "latency_critical") continue;
    const double budget = num(cls, "budget_s", 0);
    run.latency[it->second].budget_s = budget > 0 ? budget : intra;
  }
}

void read_decisions(RunData& run, const std::string& path) {
  run.has_decisions = true;
  run.decisions_file = path;
  run.decision_columns = csv_header(path);
  io::CsvReader csv(path, {});
  while (const auto* row = csv.next()) {
    if (run.decision_rows.size() < kMaxDecisionRows) run.decision_rows.push_back(*row);
    ++run.decision_count;
  }
}

}  // namespace

FolderKind folder_kind(const std::string& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw model::UserError(folder, "", fs::exists(folder, ec) ? "is not a folder" : "no such folder");
  }
  const fs::path dir(folder);
  if (is_file(dir / "summary.json")) return FolderKind::kRun;
  if (is_file(dir / "summary.csv") && is_file(dir / "sweep.json")) return FolderKind::kSweep;
  throw model::UserError(
      folder, "",
      "is neither a run folder (no summary.json) nor a sweep folder (summary.csv and sweep.json)");
}

RunData read_run(const std::string& folder) {
  RunData run;
  run.folder = folder;
  const fs::path dir(folder);
  run.summary = read_json((dir / "summary.json").string(), "a run folder holds summary.json");
  run.scenario = read_json((dir / "scenario.json").string(),
                           "a run folder holds scenario.json (the scenario as run; written by suanli run)");
  const std::string timeseries = require_csv(folder, "timeseries.csv");
  const std::string jobs = require_csv(folder, "jobs.csv");

  run.simulated_s = num(run.summary, "simulated_s");
  if (!(run.simulated_s > 0)) run.simulated_s = num(run.scenario, "horizon_s");
  if (!(run.simulated_s > 0) || !std::isfinite(run.simulated_s)) {
    throw model::UserError((dir / "summary.json").string(), "/simulated_s",
                           "expected a positive number of seconds");
  }
  read_scenario(run);
  read_timeseries(run, timeseries);
  read_jobs(run, jobs);
  if (const auto decisions = find_csv(folder, "decisions.csv")) read_decisions(run, *decisions);
  return run;
}

SweepData read_sweep(const std::string& folder) {
  SweepData sweep;
  sweep.folder = folder;
  const fs::path dir(folder);
  sweep.spec = read_json((dir / "sweep.json").string(), "a sweep folder holds sweep.json");

  const std::string summary = (dir / "summary.csv").string();
  const auto header = csv_header(summary);
  io::CsvReader csv(summary, {"config", "n"});
  const std::size_t c_config = *csv.column("config"), c_n = *csv.column("n");
  if (c_n < c_config)
    csv.lines().fail("column n comes before column config; expected config, the axes, then n");
  std::vector<std::size_t> c_axes;
  for (std::size_t i = c_config + 1; i < c_n; ++i) {
    sweep.axes.push_back(header[i]);
    c_axes.push_back(i);
  }
  struct MetricColumns {
    std::optional<std::size_t> mean, sd, lo, hi;
  };
  std::vector<MetricColumns> c_metrics;
  const std::string suffix = "_mean";
  for (const auto& name : header) {
    if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string metric = name.substr(0, name.size() - suffix.size());
    sweep.metrics.push_back(metric);
    c_metrics.push_back({csv.column(name), csv.column(metric + "_sd"), csv.column(metric + "_ci95_lo"),
                         csv.column(metric + "_ci95_hi")});
  }
  while (const auto* row = csv.next()) {
    SweepData::Config config;
    config.id = (*row)[c_config];
    for (const std::size_t c : c_axes) config.labels.push_back((*row)[c]);
    config.n = csv_number(csv, *row, c_n);
    for (const auto& m : c_metrics) {
      const auto value = [&](const std::optional<std::size_t>& c) {
        return c ? csv_number(csv, *row, *c) : kNaN;
      };
      config.values.push_back({value(m.mean), value(m.sd), value(m.lo), value(m.hi)});
    }
    sweep.configs.push_back(std::move(config));
  }

  if (const auto runs = find_csv(folder, "runs.csv")) {
    sweep.has_runs_csv = true;
    io::CsvReader r(*runs, {"run", "status"});
    const auto field = [&](const std::vector<std::string>& row, const char* name) {
      const auto c = r.column(name);
      return c ? row[*c] : std::string();
    };
    while (const auto* row = r.next()) {
      ++sweep.runs_listed;
      if (field(*row, "status") == "ok") continue;
      sweep.failed.push_back({field(*row, "run"), field(*row, "config"), field(*row, "replication"),
                              field(*row, "seed"), field(*row, "status"), field(*row, "exit_code"),
                              field(*row, "error")});
    }
  }
  std::error_code ec;
  if (fs::is_directory(dir / "runs", ec)) {
    // Finished runs only: a run still in progress is in runs/<id>.partial.
    for (const auto& entry : fs::directory_iterator(dir / "runs", ec))
      if (entry.is_directory(ec) && entry.path().extension() != ".partial") ++sweep.run_folders;
  }
  return sweep;
}

}  // namespace suanli::report
