// Capacity headroom per site, city and province; the rack rule; reading a run's usage; outputs.
#include "capacity/Headroom.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "io/Format.hpp"
#include "io/LineReader.hpp"
#include "io/Table.hpp"
#include "metrics/Statistics.hpp"
#include "model/Error.hpp"
#include "model/Summary.hpp"

namespace suanli::capacity {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kRackKw = model::kStandardRackW / 1000.0;
/// Rack equivalents closer than this count as equal (binding ties, the floor of the racks to add).
constexpr double kRackTolerance = 1e-6;
/// A utilization may exceed 1 by this much (rounding) before it is refused.
constexpr double kUtilizationSlack = 1e-9;

constexpr std::size_t kSpace = 0, kItPower = 1, kCooling = 2, kGpus = 3, kCpuCores = 4, kUplink = 5;
constexpr const char* kResourceNames[] = {"space", "it_power", "cooling", "gpus", "cpu_cores", "uplink"};
constexpr const char* kResourceUnits[] = {"racks", "kW", "kW", "GPUs", "cores", "Gb/s"};
/// Amount of each rack-rule resource one standard rack takes.
constexpr double kPerRack[] = {1.0, kRackKw, kRackKw};

std::vector<ResourceHeadroom> empty_resources() {
  std::vector<ResourceHeadroom> r(6);
  for (std::size_t i = 0; i < r.size(); ++i) {
    r[i].resource = kResourceNames[i];
    r[i].unit = kResourceUnits[i];
  }
  return r;
}

void add_note(std::string& note, const std::string& clause) {
  if (clause.empty()) return;
  if (!note.empty()) note += "; ";
  note += clause;
}

/// An amount with 3 decimals (CSV fields and notes); -0.000 and tiny rounding residues print as 0.000.
std::string amount(double x) {
  if (std::abs(x) < 5e-4) x = 0;
  return io::format_fixed(x, 3);
}

/// Peak and p95 of a series (nullopt for an empty series).
struct Stats {
  std::optional<double> peak;
  std::optional<double> p95;
};

Stats stats_of(const std::vector<double>& values) {
  if (values.empty()) return {};
  metrics::Sample sample;
  for (double v : values) sample.add(v);
  return {sample.max(), sample.quantile(0.95)};
}

std::int64_t installed_cores(const model::Scenario& s, const model::Site& site) {
  std::int64_t cores = 0;
  for (const auto& g : site.nodes) {
    const model::NodeType* t = s.find_node_type(g.type);
    if (t && !t->pstates.empty()) cores += g.count * t->cores;
  }
  return cores;
}

std::string binders(const Headroom& h) {
  std::string names;
  for (std::size_t k = 0; k < 3; ++k)
    if (h.resources[k].binding) names += (names.empty() ? "" : "+") + std::string(kResourceNames[k]);
  return names;
}

/// Redundancy of a plant: "UPS 4 units, N+1" or, after failures, "N+0 (1 failed)".
void plant_note(std::string& note, const model::Plant& p, const char* what) {
  if (p.units <= 0) return;
  const int n = p.units - p.redundant_units;
  const int spare = p.spare_units();
  std::string s =
      std::string(what) + " " + std::to_string(p.units) + " units, N+" + std::to_string(p.redundant_units);
  if (p.failed_units > 0)
    s += "; " + std::to_string(p.failed_units) + " failed: now " +
         (spare >= 0 ? "N+" + std::to_string(spare)
                     : std::to_string(p.units - p.failed_units) + " of N = " + std::to_string(n) +
                           " (capacity cut)");
  add_note(note, s);
}

/// The rack rule's clause for one of space / it_power / cooling of a site.
std::string rule_clause(const Headroom& h, std::size_t k) {
  const auto& r = h.resources[k];
  const std::string racks = std::to_string(h.racks_addable) + (h.racks_addable == 1 ? " rack" : " racks");
  if (r.binding) {
    const bool all =
        h.resources[kSpace].binding && h.resources[kItPower].binding && h.resources[kCooling].binding;
    return std::string(all ? "balanced: space, IT power and cooling all bind" : "binds") + ": " + racks +
           " can be added";
  }
  return "only " + racks + " can be added (limited by " + binders(h) + ")" +
         (r.stranded > 0 ? ": " + amount(r.stranded) + " " + r.unit + " stranded" : "");
}

/// Notes about a run's figures of it_power or cooling at a site.
void run_power_notes(ResourceHeadroom& r) {
  if (!r.used_peak) return;
  add_note(r.note, "used = IT power averaged over each sampling interval of the run");
  if (*r.used_peak > r.committed.value_or(0) + 1e-9)
    add_note(r.note, "the run peak exceeds the nameplate commitment and sets remaining");
  if (r.remaining < 0) add_note(r.note, "the run drew more than was built");
}

Headroom site_headroom(const model::Scenario& s, const model::Site& site, const SiteUsage* usage) {
  const auto fig = model::site_figures(s, site);
  Headroom h;
  h.level = Level::kSite;
  h.name = site.name;
  h.name_zh = site.name_zh;
  h.city = site.city;
  h.kind = std::string(model::to_string(site.kind));
  h.sites = 1;
  h.resources = empty_resources();

  auto& space = h.resources[kSpace];
  space.built = static_cast<double>(site.racks);
  space.committed = fig.occupied_racks;
  space.remaining = space.built - fig.occupied_racks;
  add_note(space.note, "committed = installed servers' full-load power / 2.5 kW (rack occupancy " +
                           io::format_fixed(100 * fig.occupancy, 1) + " %)");

  const double rated_kw = static_cast<double>(site.racks) * kRackKw;
  const double built_kw = site.ups.usable_w(site.rated_it_w()) / 1000.0;
  const double cooling_kw = site.cooling.plant.usable_w(site.rated_it_w()) / 1000.0;
  const double committed_kw = fig.it_power_max_w / 1000.0;
  Stats power;
  if (usage) {
    std::vector<double> kw(usage->it_power_w.size());
    std::transform(usage->it_power_w.begin(), usage->it_power_w.end(), kw.begin(),
                   [](double w) { return w / 1000.0; });
    power = stats_of(kw);
  }
  auto& it = h.resources[kItPower];
  it.built = built_kw;
  it.committed = committed_kw;
  it.used_peak = power.peak;
  it.used_p95 = power.p95;
  it.remaining = built_kw - std::max(committed_kw, power.peak.value_or(0.0));
  add_note(it.note, std::string(site.ups.capacity_w ? "built = the UPS capacity (ups.capacity_w)"
                                                    : "built = racks x 2.5 kW") +
                        "; committed = installed servers at full load (count x max_w of pstate 0)");
  if (built_kw < rated_kw - 1e-9 || built_kw > rated_kw + 1e-9)
    add_note(it.note, "rated IT power racks x 2.5 kW = " + io::format_fixed(rated_kw, 1) + " kW");
  plant_note(it.note, site.ups, "UPS");
  run_power_notes(it);

  auto& cooling = h.resources[kCooling];
  cooling.built = cooling_kw;
  cooling.committed = committed_kw;
  cooling.used_peak = power.peak;
  cooling.used_p95 = power.p95;
  cooling.remaining = cooling.built - std::max(committed_kw, power.peak.value_or(0.0));
  add_note(cooling.note,
           site.cooling.plant.capacity_w
               ? "kW of heat = IT power; built = the cooling plant's capacity (cooling.capacity_w)"
               : "kW of heat = IT power; no cooling.capacity_w: the plant is assumed sized for the rated "
                 "IT power (racks x 2.5 kW)");
  plant_note(cooling.note, site.cooling.plant, "cooling");
  run_power_notes(cooling);

  const auto compute_units = [&](ResourceHeadroom& r, double installed,
                                 const std::vector<double>* utilization, const char* column) {
    r.built = installed;
    r.committed = installed;
    Stats st;
    if (utilization) {
      std::vector<double> used(utilization->size());
      std::transform(utilization->begin(), utilization->end(), used.begin(),
                     [&](double u) { return u * installed; });
      st = stats_of(used);
    }
    r.used_peak = st.peak;
    r.used_p95 = st.p95;
    r.remaining = installed - st.peak.value_or(0.0);
    add_note(r.note, "committed = installed");
    if (st.peak) {
      add_note(r.note, std::string("used = ") + column + " x installed; remaining = idle at the run's peak");
    } else {
      add_note(r.note, "no run: usage unknown, remaining = installed");
    }
  };
  compute_units(h.resources[kGpus], static_cast<double>(fig.gpus), usage ? &usage->gpu_utilization : nullptr,
                "gpu_utilization");
  compute_units(h.resources[kCpuCores], static_cast<double>(installed_cores(s, site)),
                usage ? &usage->cpu_utilization : nullptr, "cpu_utilization");

  auto& uplink = h.resources[kUplink];
  uplink.built = site.uplink_bps / 1e9;
  uplink.remaining = uplink.built;
  add_note(uplink.note, "link to the city hub; runs do not record per-site traffic; nothing is committed");

  h.racks_addable = apply_rack_rule(space, it, cooling);
  for (std::size_t k = 0; k < 3; ++k) {
    h.binding_sites[k] = h.resources[k].binding ? 1 : 0;
    add_note(h.resources[k].note, rule_clause(h, k));
  }
  return h;
}

Headroom aggregate(Level level, std::string name, std::string name_zh, std::string city,
                   const std::vector<std::size_t>& indices, const std::vector<Headroom>& sites,
                   const RunUsage* run) {
  Headroom h;
  h.level = level;
  h.name = std::move(name);
  h.name_zh = std::move(name_zh);
  h.city = std::move(city);
  h.sites = indices.size();
  h.resources = empty_resources();
  for (std::size_t k = 0; k < h.resources.size(); ++k)
    if (k != kUplink) h.resources[k].committed = 0.0;  // nothing is committed of an uplink
  for (std::size_t i : indices) {
    const auto& site = sites[i];
    h.racks_addable += site.racks_addable;
    for (std::size_t k = 0; k < 3; ++k) h.binding_sites[k] += site.binding_sites[k];
    for (std::size_t k = 0; k < h.resources.size(); ++k) {
      auto& r = h.resources[k];
      const auto& x = site.resources[k];
      r.built += x.built;
      if (x.committed) r.committed = r.committed.value_or(0.0) + *x.committed;
      r.stranded += x.stranded;
      r.remaining += x.remaining;
    }
  }
  const std::string over = std::to_string(indices.size()) + (indices.size() == 1 ? " site" : " sites");
  const std::size_t most = *std::max_element(h.binding_sites.begin(), h.binding_sites.end());
  for (std::size_t k = 0; k < 3; ++k) {
    auto& r = h.resources[k];
    r.binding = most > 0 && h.binding_sites[k] == most;
    add_note(r.note, "sum over " + over + "; binds at " + std::to_string(h.binding_sites[k]) + " of them");
  }
  add_note(h.resources[kCooling].note, "the plant is assumed sized for the rated IT power");
  add_note(h.resources[kUplink].note,
           "sum of the sites' uplinks to their city hubs; runs do not record per-site traffic");

  if (run) {
    // Coincident use: the per-instant sum over the sites (sites sample at the same instants).
    std::map<double, std::array<double, 3>> at;  // time_s -> IT kW, busy GPUs, busy cores
    for (std::size_t i : indices) {
      const auto& u = run->sites[i];
      const double gpus = sites[i].resources[kGpus].built;
      const double cores = sites[i].resources[kCpuCores].built;
      for (std::size_t j = 0; j < u.time_s.size(); ++j) {
        auto& sum = at[u.time_s[j]];
        sum[0] += u.it_power_w[j] / 1000.0;
        sum[1] += u.gpu_utilization[j] * gpus;
        sum[2] += u.cpu_utilization[j] * cores;
      }
    }
    std::array<std::vector<double>, 3> series;
    for (const auto& [t, sum] : at)
      for (std::size_t c = 0; c < 3; ++c) series[c].push_back(sum[c]);
    const std::array<std::pair<std::size_t, std::size_t>, 4> targets{
        {{kItPower, 0}, {kCooling, 0}, {kGpus, 1}, {kCpuCores, 2}}};
    for (const auto& [k, c] : targets) {
      auto& r = h.resources[k];
      const auto st = stats_of(series[c]);
      r.used_peak = st.peak;
      r.used_p95 = st.p95;
      double sum_of_peaks = 0;
      for (std::size_t i : indices) sum_of_peaks += sites[i].resources[k].used_peak.value_or(0.0);
      add_note(r.note, "used: coincident peak and p95 of the per-interval sum over the " + over +
                           " (sum of the site peaks " + amount(sum_of_peaks) + " " + r.unit + ")");
    }
  } else {
    add_note(h.resources[kGpus].note, "no run: usage unknown, remaining = installed");
    add_note(h.resources[kCpuCores].note, "no run: usage unknown, remaining = installed");
  }
  return h;
}

}  // namespace

std::string_view to_string(Level level) {
  switch (level) {
    case Level::kSite:
      return "site";
    case Level::kCity:
      return "city";
    case Level::kProvince:
      return "province";
  }
  return "?";
}

const ResourceHeadroom& Headroom::at(std::string_view resource) const {
  for (const auto& r : resources)
    if (r.resource == resource) return r;
  throw std::out_of_range("no resource \"" + std::string(resource) + "\"");
}

ResourceHeadroom& Headroom::at(std::string_view resource) {
  return const_cast<ResourceHeadroom&>(static_cast<const Headroom&>(*this).at(resource));
}

std::int64_t apply_rack_rule(ResourceHeadroom& space, ResourceHeadroom& it_power, ResourceHeadroom& cooling) {
  ResourceHeadroom* rows[] = {&space, &it_power, &cooling};
  double racks[3];
  double fewest = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < 3; ++k) {
    racks[k] = rows[k]->remaining / kPerRack[k];
    fewest = std::min(fewest, racks[k]);
  }
  const double addable = std::floor(std::max(0.0, fewest) + kRackTolerance);
  for (std::size_t k = 0; k < 3; ++k) {
    auto& r = *rows[k];
    double stranded = std::max(0.0, r.remaining) - addable * kPerRack[k];
    if (stranded < kRackTolerance * kPerRack[k]) stranded = 0;
    r.stranded = stranded;
    r.binding = racks[k] <= fewest + kRackTolerance;
  }
  return static_cast<std::int64_t>(addable);
}

RunUsage read_run_usage(const std::string& run_dir, const model::Scenario& scenario) {
  std::error_code ec;
  if (!fs::is_directory(run_dir, ec))
    throw model::UserError(run_dir, "", fs::exists(run_dir, ec) ? "is not a folder" : "no such folder");
  const fs::path plain = fs::path(run_dir) / "timeseries.csv";
  const fs::path gz = fs::path(run_dir) / "timeseries.csv.gz";
  std::string path;
  if (fs::is_regular_file(plain, ec)) {
    path = plain.string();
  } else if (fs::is_regular_file(gz, ec)) {
    path = gz.string();
  } else {
    throw model::UserError(
        plain.string(), "",
        "missing: a run folder holds timeseries.csv (or timeseries.csv.gz), written by suanli run");
  }

  io::CsvReader csv(path, {"time_s", "site", "cpu_utilization", "gpu_utilization", "it_power_w"});
  const std::size_t c_time = *csv.column("time_s"), c_site = *csv.column("site");
  const std::size_t c_cpu = *csv.column("cpu_utilization"), c_gpu = *csv.column("gpu_utilization");
  const std::size_t c_it = *csv.column("it_power_w");
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < scenario.sites.size(); ++i) index.emplace(scenario.sites[i].name, i);

  RunUsage usage;
  usage.file = path;
  usage.sites.resize(scenario.sites.size());
  const auto& lines = csv.lines();
  const auto utilization = [&](const std::vector<std::string>& row, std::size_t c) {
    const double u = lines.to_number(row[c], csv.describe(c));
    if (u < 0 || u > 1 + kUtilizationSlack)
      lines.fail(csv.describe(c) + ": expected a utilization in [0, 1], got " + io::format_double(u));
    return u;
  };
  while (const auto* row = csv.next()) {
    const std::string& name = (*row)[c_site];
    const auto it = index.find(name);
    if (it == index.end())
      lines.fail(csv.describe(c_site) + ": site \"" + name + "\" is not in scenario " + scenario.name +
                 (scenario.source_file.empty() ? "" : " (" + scenario.source_file + ")") +
                 "; was the run made from another scenario?");
    auto& site = usage.sites[it->second];
    const double t = lines.to_number((*row)[c_time], csv.describe(c_time));
    if (!site.time_s.empty() && !(t > site.time_s.back()))
      lines.fail(csv.describe(c_time) + ": " + io::format_double(t) + " is not after site \"" + name +
                 "\"'s previous sample at " + io::format_double(site.time_s.back()));
    const double cpu = utilization(*row, c_cpu);
    const double gpu = utilization(*row, c_gpu);
    const double it_w = lines.to_number((*row)[c_it], csv.describe(c_it));
    if (it_w < 0) lines.fail(csv.describe(c_it) + ": expected a power >= 0, got " + io::format_double(it_w));
    site.time_s.push_back(t);
    site.cpu_utilization.push_back(cpu);
    site.gpu_utilization.push_back(gpu);
    site.it_power_w.push_back(it_w);
    ++usage.rows;
  }
  if (usage.rows == 0)
    throw model::UserError(path, "", "no samples: the file has a header row but no data rows");
  for (std::size_t i = 0; i < scenario.sites.size(); ++i)
    if (usage.sites[i].time_s.empty())
      throw model::UserError(path, "",
                             "no samples of site \"" + scenario.sites[i].name + "\" of scenario " +
                                 scenario.name + "; was the run made from another scenario?");
  return usage;
}

HeadroomReport compute_headroom(const model::Scenario& scenario, const RunUsage* run) {
  if (run && run->sites.size() != scenario.sites.size())
    throw std::invalid_argument("compute_headroom: the run usage has " + std::to_string(run->sites.size()) +
                                " sites, the scenario " + std::to_string(scenario.sites.size()));
  HeadroomReport report;
  report.scenario = scenario.name;
  report.scenario_file = scenario.source_file;
  if (run) {
    report.run_file = run->file;
    report.run_rows = run->rows;
  }
  for (std::size_t i = 0; i < scenario.sites.size(); ++i)
    report.sites.push_back(site_headroom(scenario, scenario.sites[i], run ? &run->sites[i] : nullptr));
  std::vector<std::size_t> all;
  for (const auto& city : scenario.cities) {
    std::vector<std::size_t> own;
    for (std::size_t i = 0; i < scenario.sites.size(); ++i)
      if (scenario.sites[i].city == city.name) own.push_back(i);
    report.cities.push_back(
        aggregate(Level::kCity, city.name, city.name_zh, city.name, own, report.sites, run));
  }
  for (std::size_t i = 0; i < scenario.sites.size(); ++i) all.push_back(i);
  report.province = aggregate(Level::kProvince, scenario.name, "", "", all, report.sites, run);
  return report;
}

// ---------------------------------------------------------------------------------------------
// Outputs

namespace {

json optional_json(const std::optional<double>& x) { return x ? json(*x) : json(nullptr); }

json entity_json(const Headroom& h) {
  json resources = json::object();
  for (const auto& r : h.resources)
    resources[r.resource] = {{"unit", r.unit},
                             {"built", r.built},
                             {"committed", optional_json(r.committed)},
                             {"used_peak", optional_json(r.used_peak)},
                             {"used_p95", optional_json(r.used_p95)},
                             {"stranded", r.stranded},
                             {"remaining", r.remaining},
                             {"binding", r.binding},
                             {"note", r.note}};
  json j = {{"level", to_string(h.level)},
            {"name", h.name},
            {"name_zh", h.name_zh},
            {"city", h.city},
            {"sites", h.sites},
            {"racks_addable", h.racks_addable},
            {"resources", resources}};
  if (h.level == Level::kSite) j["kind"] = h.kind;
  return j;
}

std::string csv_number(double x) { return amount(x); }

std::string csv_optional(const std::optional<double>& x) { return x ? csv_number(*x) : std::string(); }

void csv_rows(std::string& out, const Headroom& h) {
  for (const auto& r : h.resources) {
    const std::string fields[] = {std::string(to_string(h.level)),
                                  io::spreadsheet_cell(h.name),
                                  io::spreadsheet_cell(h.name_zh),
                                  io::spreadsheet_cell(h.city),
                                  r.resource,
                                  io::spreadsheet_cell(r.unit),
                                  csv_number(r.built),
                                  csv_optional(r.committed),
                                  csv_optional(r.used_peak),
                                  csv_optional(r.used_p95),
                                  csv_number(r.stranded),
                                  csv_number(r.remaining),
                                  r.binding ? "1" : "0",
                                  io::spreadsheet_cell(r.note)};
    for (const auto& f : fields) out += (&f == fields ? "" : ",") + f;
    out += '\n';
  }
}

// Terminal table.

/// A site's binding resources: "balanced" when space, IT power and cooling all bind.
std::string site_binding(const Headroom& h) {
  const auto& r = h.resources;
  if (r[kSpace].binding && r[kItPower].binding && r[kCooling].binding) return "balanced";
  return binders(h);
}

/// Sums of the table's columns over some site rows.
struct Line {
  std::size_t sites = 0;
  double racks = 0, occupied = 0, free_racks = 0, racks_stranded = 0;
  std::int64_t addable = 0;
  double it_kw = 0, it_free_kw = 0, it_stranded_kw = 0;
  double gpus_idle = 0, cores_idle = 0;
  bool usage_known = false;
  std::map<std::string, std::size_t> binding;  // site binding label -> sites

  void add(const Headroom& h) {
    ++sites;
    racks += h.resources[kSpace].built;
    occupied += h.resources[kSpace].committed.value_or(0.0);
    free_racks += h.resources[kSpace].remaining;
    racks_stranded += h.resources[kSpace].stranded;
    addable += h.racks_addable;
    it_kw += h.resources[kItPower].built;
    it_free_kw += h.resources[kItPower].remaining;
    it_stranded_kw += h.resources[kItPower].stranded;
    gpus_idle += h.resources[kGpus].remaining;
    cores_idle += h.resources[kCpuCores].remaining;
    usage_known = usage_known || h.resources[kGpus].used_peak.has_value();
    binding[site_binding(h)]++;
  }

  std::string binding_text() const {
    if (binding.empty()) return "-";
    if (binding.size() == 1)
      return binding.begin()->first + (sites > 1 ? " (all " + std::to_string(sites) + ")" : std::string());
    std::vector<std::pair<std::string, std::size_t>> counts(binding.begin(), binding.end());
    std::stable_sort(counts.begin(), counts.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string text;
    for (const auto& [label, n] : counts)
      text += (text.empty() ? "" : ", ") + label + " " + std::to_string(n);
    return text;
  }
};

void print_header(std::ostream& out) {
  out << "  " << io::column("site", 40, true) << io::column("racks", 9) << io::column("occupied", 11)
      << io::column("free", 10) << io::column("addable", 9) << io::column("stranded", 9)
      << io::column("IT MW", 9) << io::column("load MW", 9) << io::column("free MW", 9)
      << io::column("str. kW", 8) << io::column("GPUs idle", 10) << io::column("cores idle", 11)
      << "  binding\n";
}

void print_line(std::ostream& out, const std::string& name, const Line& l) {
  const double load_kw = l.it_kw - l.it_free_kw;
  out << "  " << io::column(name, 40, true) << io::column(io::grouped(l.racks, 0), 9)
      << io::column(io::grouped(l.occupied, 1), 11) << io::column(io::grouped(l.free_racks, 1), 10)
      << io::column(io::grouped(static_cast<double>(l.addable), 0), 9)
      << io::column(io::grouped(l.racks_stranded, 1), 9) << io::column(io::grouped(l.it_kw / 1000, 3), 9)
      << io::column(io::grouped(load_kw / 1000, 3), 9) << io::column(io::grouped(l.it_free_kw / 1000, 3), 9)
      << io::column(io::grouped(l.it_stranded_kw, 1), 8)
      << io::column(l.usage_known ? io::grouped(l.gpus_idle, 0) : "-", 10)
      << io::column(l.usage_known ? io::grouped(l.cores_idle, 0) : "-", 11) << "  " << l.binding_text()
      << "\n";
}

std::string optional_text(const std::optional<double>& x, double scale, int decimals) {
  return x ? io::grouped(*x / scale, decimals) : std::string("-");
}

}  // namespace

json headroom_json(const HeadroomReport& report) {
  json j;
  j["scenario"] = report.scenario;
  j["file"] = report.scenario_file;
  j["run"] = report.run_file.empty() ? json(nullptr)
                                     : json{{"timeseries", report.run_file}, {"rows", report.run_rows}};
  j["rack_rule"] =
      "a standard rack needs 1 rack position, 2.5 kW of IT power and 2.5 kW of cooling; racks_addable = "
      "floor(min(free racks, free IT kW / 2.5, free cooling kW / 2.5)); stranded = remaining - what "
      "racks_addable "
      "racks use; binding = the resource(s) allowing the fewest racks";
  j["province"] = entity_json(report.province);
  j["cities"] = json::array();
  for (const auto& c : report.cities) j["cities"].push_back(entity_json(c));
  j["sites"] = json::array();
  for (const auto& s : report.sites) j["sites"].push_back(entity_json(s));
  return j;
}

std::string headroom_csv(const HeadroomReport& report, bool bom) {
  std::string out;
  if (bom) out += io::kUtf8Bom;
  out +=
      "level,name,name_zh,city,resource,unit,built,committed,used_peak,used_p95,stranded,remaining,binding,"
      "note\n";
  csv_rows(out, report.province);
  for (const auto& c : report.cities) csv_rows(out, c);
  for (const auto& s : report.sites) csv_rows(out, s);
  return out;
}

void print_headroom(std::ostream& out, const HeadroomReport& report, bool verbose) {
  const bool run = !report.run_file.empty();
  out << "Capacity headroom of " << report.scenario;
  if (!report.scenario_file.empty()) out << " (" << report.scenario_file << ")";
  out << "\n";
  out << "  committed: the installed servers at full load (nameplate); "
      << (run ? "used: " + report.run_file + " (" + std::to_string(report.run_rows) + " samples)"
              : std::string("no run given: GPU and core usage unknown"))
      << "\n";
  out << "  a standard rack needs a free rack position, 2.5 kW of IT power and 2.5 kW of cooling; cooling is "
         "assumed\n"
         "  sized for the rated IT power; stranded: free but unusable for new racks; str. kW: IT power "
         "stranded\n\n";
  print_header(out);
  for (const auto& city : report.cities) {
    out << "  " << city.name << (city.name_zh.empty() ? "" : " " + city.name_zh) << "\n";
    Line edge;
    for (const auto& site : report.sites) {
      if (site.city != city.name) continue;
      if (!verbose && site.kind == model::to_string(model::SiteKind::kEdgeDc)) {
        edge.add(site);
        continue;
      }
      Line one;
      one.add(site);
      print_line(out, "  " + site.name, one);
    }
    if (edge.sites > 0)
      print_line(out, "  " + std::to_string(edge.sites) + (edge.sites == 1 ? " edge DC" : " edge DCs"), edge);
    Line total;
    for (const auto& site : report.sites)
      if (site.city == city.name) total.add(site);
    print_line(out, "  city total", total);
  }
  Line province;
  for (const auto& site : report.sites) province.add(site);
  out << "\n";
  print_line(out, "province " + report.province.name, province);

  const auto& p = report.province;
  out << "\nProvince " << p.name << " (" << p.sites
      << " sites): " << io::grouped(static_cast<double>(p.racks_addable), 0)
      << " standard racks can still be added\n";
  const auto& space = p.at("space");
  out << "  " << io::column("space", 11, true) << io::grouped(space.built, 0) << " racks built, "
      << io::grouped(space.committed.value_or(0), 1) << " committed, " << io::grouped(space.remaining, 1)
      << " free, " << io::grouped(space.stranded, 1) << " stranded; binds at " << p.binding_sites[kSpace]
      << " sites\n";
  for (const std::size_t k : {kItPower, kCooling}) {
    const auto& r = p.resources[k];
    out << "  " << io::column(r.resource, 11, true) << io::grouped(r.built / 1000, 3) << " MW built, "
        << io::grouped(r.committed.value_or(0) / 1000, 3) << " MW committed";
    if (run)
      out << ", coincident run peak " << optional_text(r.used_peak, 1000, 3) << " MW (p95 "
          << optional_text(r.used_p95, 1000, 3) << ")";
    out << ", " << io::grouped(r.remaining / 1000, 3) << " MW free, " << io::grouped(r.stranded, 1)
        << " kW stranded; binds at " << p.binding_sites[k] << " sites\n";
  }
  for (const char* name : {"gpus", "cpu_cores"}) {
    const auto& r = p.at(name);
    out << "  " << io::column(name, 11, true) << io::grouped(r.built, 0) << " installed";
    if (run)
      out << ", coincident run peak " << optional_text(r.used_peak, 1, 0) << " busy (p95 "
          << optional_text(r.used_p95, 1, 0) << "), " << io::grouped(r.remaining, 0)
          << " idle at the site peaks (sum over sites)";
    else
      out << "; usage unknown without a run";
    out << "\n";
  }
  const auto& uplink = p.at("uplink");
  out << "  " << io::column("uplink", 11, true) << io::grouped(uplink.built, 0)
      << " Gb/s of site uplinks; runs do not record per-site traffic\n";
}

}  // namespace suanli::capacity
