// The `suanli` command-line tool: every subcommand (check, plan-edge, platform, run, pue, show, sweep, collect,
// report, capacity, policies), its options and exit codes.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <optional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/Simulation.hpp"
#include "capacity/Headroom.hpp"
#include "capacity/Growth.hpp"
#include "load/Load.hpp"
#include "model/Validate.hpp"
#include "capacity/WhatIf.hpp"
#include "energy/AnnualPue.hpp"
#include "metrics/CheckReport.hpp"
#include "io/OutputFile.hpp"
#include "metrics/PueReport.hpp"
#include "metrics/RunReport.hpp"
#include "model/Error.hpp"
#include "io/JsonReader.hpp"
#include "model/ScenarioReader.hpp"
#include "platform/PlatformSpec.hpp"
#include "platform/PlatformXml.hpp"
#include "platform/SimGridPlatform.hpp"
#include "report/Report.hpp"
#include "policy/Placement.hpp"
#include "suanli/version.hpp"
#include "sweep/Runner.hpp"
#include "sweep/Sweep.hpp"
#include "topology/EdgePlanner.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace {

using suanli::model::UserError;

constexpr int kExitTargetsFailed = 1;
constexpr int kExitInternal = 3;

/// Options of every subcommand, filled by CLI11 (one plain struct, as Batsim's MainArguments).
struct Options {
  std::string scenario;
  bool lenient = false;
  bool json = false;
  bool verbose = false;
  bool strict = false;
  std::string output;
  std::string granularity;
  bool build = false;
  bool verify = false;
  std::vector<std::string> simgrid_args;
  // run
  std::optional<std::uint64_t> seed;
  std::optional<double> horizon_s;
  std::optional<std::int64_t> max_rows;
  std::vector<std::string> set;  ///< POINTER=VALUE edits of the scenario
  std::string placement;
  std::string queue;
  std::optional<double> idle_off_s;
  // sweep / collect
  std::string sweep_file;
  int jobs = 0;
  bool resume = false;
  bool keep_failed = false;  ///< sweep --resume: do not retry failed runs
  bool force = false;        ///< sweep --resume: even when the inputs changed
  bool dry_run = false;      ///< sweep: list the runs, run nothing
  bool no_jobs = false;      ///< run, sweep: no jobs.csv
  bool full_horizon = false; ///< run: simulate to the horizon even when no work is left
  bool decision_log = false;
  std::string engine = "exact";
  std::string from;  ///< capacity: a run folder
  bool growth = false;
  std::string costs_csv;
  double min_budget_attainment = 0.99;
  std::optional<std::int64_t> growth_month;  ///< run: the scenario at this month of its growth
  std::vector<std::string> outages;          ///< run: SITE:START_S:END_S
  std::vector<std::string> what_if;
  std::string what_if_file;
  std::string add_sites;  ///< capacity what-if: sites to add (plan-edge --sites-output)
  std::vector<std::string> failures;
  std::string csv;
  bool bom = false;
  std::string shard;
  bool emit_slurm = false;
  std::size_t slurm_shards = 4;
  int slurm_cpus = 2;
  std::vector<std::string> folders;
  bool gzip = false;
  bool no_progress = false;
  // pue
  std::optional<double> it_load;  ///< --it-load; none: the load the workload implies
  double it_diurnal_amplitude = 0;
  std::size_t pue_hours = 8760;
  // plan-edge
  double budget_ms = 0;
  std::string candidates = "demand";
  double grid_km = 20;
  bool ignore_existing_edge = false;
  std::string sites_output;
  int racks_per_new_site = 20;
};

/// Fails early (before any work) when an output path cannot be written: a folder, a device or a pipe
/// is never replaced, and the folder must exist.
void check_output_path(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  std::error_code ec;
  const auto status = fs::symlink_status(target, ec);
  if (fs::is_directory(status)) throw UserError(path, "", "is a directory; give a file name for the output");
  if (fs::exists(status) && !fs::is_regular_file(status) && !fs::is_symlink(status))
    throw UserError(path, "", "exists and is not a regular file (a device, pipe or socket); refusing to replace it");
  if (target.has_parent_path() && !fs::is_directory(target.parent_path(), ec))
    throw UserError(path, "", "the folder " + target.parent_path().string() + " does not exist");
}

/// Writes through a temporary file renamed into place (io::OutputFile), so a failure never
/// leaves a half-written output.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  check_output_path(path);
  /// Streams into the OutputFile (which buffers), so a large platform XML is never held whole.
  class ToOutputFile : public std::streambuf {
   public:
    explicit ToOutputFile(suanli::io::OutputFile& out) : out_(out) {}

   protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      out_.write(std::string_view(s, static_cast<std::size_t>(n)));
      return n;
    }
    int_type overflow(int_type c) override {
      if (c != traits_type::eof()) {
        const char ch = traits_type::to_char_type(c);
        out_.write(std::string_view(&ch, 1));
      }
      return traits_type::not_eof(c);
    }

   private:
    suanli::io::OutputFile& out_;
  };
  suanli::io::OutputFile out(path);
  ToOutputFile buffer(out);
  std::ostream stream(&buffer);
  stream.exceptions(std::ios::badbit);
  write(stream);
  out.commit();
}

suanli::model::Scenario load(const Options& o) {
  suanli::model::LoadOptions options;
  options.lenient = o.lenient;
  for (const auto& e : o.set) options.edits.push_back(suanli::model::parse_scenario_edit(e, "--set"));
  if (!o.placement.empty()) options.edits.push_back({"/workload/classes/*/placement", o.placement});
  if (!o.queue.empty()) options.edits.push_back({"/scheduling/queue", o.queue});
  if (o.idle_off_s) options.edits.push_back({"/scheduling/power/idle_off_s", *o.idle_off_s});
  auto loaded = suanli::load::load_scenario(o.scenario, options);
  for (const auto& w : loaded.warnings) std::cerr << "warning: " << w << "\n";
  return std::move(loaded.scenario);
}

double elapsed_s(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

int run_check(const Options& o) {
  const auto scenario = load(o);
  const suanli::topology::Graph graph(scenario);
  const auto circle = suanli::topology::latency_circle(scenario, graph);
  if (o.json) std::cout << suanli::metrics::check_report_json(scenario, circle).dump(2) << "\n";
  else
    suanli::metrics::print_check_report(std::cout, scenario, circle, o.verbose);
  return (o.strict && !circle.violations.empty()) ? kExitTargetsFailed : 0;
}

int run_run(const Options& o) {
  if (o.output.empty()) throw UserError("suanli run", "-o", "give an output folder with -o DIR");
  namespace fs = std::filesystem;
  if (fs::exists(o.output) && !fs::is_directory(o.output))
    throw UserError(o.output, "", "exists and is not a folder; give a folder for the outputs");
  for (auto p = fs::path(o.output).parent_path(); !p.empty(); p = p.parent_path()) {
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (fs::exists(status) && !fs::is_directory(status))
      throw UserError(o.output, "", p.string() + " is a file, not a folder: the output folder cannot be made below it");
    if (fs::exists(status) || p == p.parent_path()) break;
  }
  auto scenario = load(o);
  if (o.seed) scenario.seed = *o.seed;
  if (o.horizon_s) scenario.horizon_s = *o.horizon_s;
  if (o.max_rows) scenario.outputs.max_timeseries_rows = *o.max_rows;
  if (o.growth_month) {
    if (!scenario.growth.present)
      throw UserError(o.scenario, "/growth", "--growth-month needs a growth section in the scenario (docs/capacity.md)");
    scenario = suanli::capacity::scenario_at_month(scenario, *o.growth_month);
  }
  for (const auto& text : o.outages) {
    const auto a = text.find(':'), b = text.rfind(':');
    if (a == std::string::npos || a == b)
      throw UserError("--outage", text, "expected SITE:START_S:END_S, e.g. fuzhou-core-dc:3600:7200");
    suanli::model::Outage out{text.substr(0, a), 0, 0};
    try {
      std::size_t used = 0;
      out.start_s = std::stod(text.substr(a + 1, b - a - 1), &used);
      if (used != b - a - 1) throw std::invalid_argument("start");
      out.end_s = std::stod(text.substr(b + 1), &used);
      if (used != text.size() - b - 1) throw std::invalid_argument("end");
    } catch (const std::exception&) {
      throw UserError("--outage", text, "expected SITE:START_S:END_S with times in seconds, e.g. fuzhou-core-dc:3600:7200");
    }
    scenario.outages.push_back(out);
  }
  {  // the options above change the scenario: check it again (limits included) before any work
    auto errors = suanli::load::validate(scenario);
    if (!errors.empty()) throw suanli::model::UserErrors(std::move(errors));
  }
  suanli::engine::check_runnable(scenario);
  suanli::engine::RunOptions options;
  options.output_dir = o.output;
  options.gzip = o.gzip;
  options.progress = !o.no_progress && ::isatty(STDERR_FILENO) != 0;
  options.simgrid_args = o.simgrid_args;
  options.decision_log = o.decision_log;
  options.jobs_csv = !o.no_jobs;
  options.full_horizon = o.full_horizon;
  options.executor = o.engine == "simgrid" ? suanli::engine::ExecutorKind::kSimGrid : suanli::engine::ExecutorKind::kExact;
  const auto t0 = std::chrono::steady_clock::now();
  const auto summary = suanli::engine::run_simulation(scenario, options);
  if (o.json) std::cout << summary.dump(2) << "\n";  // what summary.json holds
  else
    suanli::metrics::print_run_summary(std::cout, scenario, summary);
  std::cout << std::flush;
  std::cerr << "run: " << summary["jobs"]["submitted"].get<std::uint64_t>() << " jobs in " << elapsed_s(t0)
            << " s wall time; outputs in " << o.output << "\n";
  return 0;
}

int run_pue(const Options& o) {
  const auto scenario = load(o);
  const auto t0 = std::chrono::steady_clock::now();
  const suanli::energy::SiteWeather weather(scenario);
  const suanli::energy::GridCarbon carbon(scenario);
  const double read_s = elapsed_s(t0);
  const auto profile = suanli::capacity::annual_it_load(scenario, weather, carbon, o.it_load, o.it_diurnal_amplitude);
  const auto t1 = std::chrono::steady_clock::now();
  const auto year = suanli::energy::annual_pue(scenario, weather, carbon, profile,
                                               {scenario.energy.start_hour_of_year, o.pue_hours});
  const double model_s = elapsed_s(t1);
  if (o.json) std::cout << suanli::metrics::pue_report_json(scenario, weather, profile, year).dump(2) << "\n";
  else
    suanli::metrics::print_pue_report(std::cout, scenario, weather, profile, year, o.verbose);
  std::cerr << "pue: " << scenario.sites.size() << " sites x " << o.pue_hours << " h in " << model_s * 1e3 << " ms (inputs read in "
            << read_s * 1e3 << " ms)\n";
  const bool failed = year.targets.pue == suanli::energy::Status::kFail ||
                      std::any_of(year.sites.begin(), year.sites.end(), [](const auto& y) {
                        return y.targets.pue == suanli::energy::Status::kFail;
                      });
  return (o.strict && failed) ? kExitTargetsFailed : 0;
}

int run_show(const Options& o) {
  const auto scenario = load(o);
  std::cout << suanli::model::scenario_to_json(scenario).dump(2) << "\n";
  return 0;
}

int run_plan_edge(const Options& o) {
  if (!o.sites_output.empty()) check_output_path(o.sites_output);
  const auto scenario = load(o);
  suanli::topology::EdgePlanOptions p;
  p.mode = scenario.latency_targets.mode;
  p.budget_s = o.budget_ms > 0 ? o.budget_ms * 1e-3 : scenario.latency_targets.intra_city_s;
  p.candidates = o.candidates == "grid"   ? suanli::topology::CandidateSource::kGrid
                 : o.candidates == "both" ? suanli::topology::CandidateSource::kBoth
                                          : suanli::topology::CandidateSource::kDemandPoints;
  p.grid_km = o.grid_km;
  p.ignore_existing_edge = o.ignore_existing_edge;
  suanli::topology::EdgePlan plan;
  try {
    plan = suanli::topology::plan_edge(scenario, p);
  } catch (const UserError& e) {
    throw UserError("suanli plan-edge", e.location(), e.message());
  }
  // What `check` reports besides demand coverage: stated, since no new edge site changes it.
  const auto not_fixed =
      suanli::metrics::violations_not_about_demand(suanli::topology::latency_circle(scenario, suanli::topology::Graph(scenario)));
  if (o.json) std::cout << suanli::metrics::edge_plan_json(scenario, p, plan, not_fixed).dump(2) << "\n";
  else
    suanli::metrics::print_edge_plan(std::cout, scenario, p, plan, not_fixed);
  if (!o.sites_output.empty())
    write_atomically(o.sites_output, [&](std::ostream& out) {
      out << suanli::metrics::proposed_sites_json(plan, o.racks_per_new_site).dump(2) << "\n";
    });
  return 0;
}

int run_platform(const Options& o) {
  if (!o.output.empty()) check_output_path(o.output);
  auto scenario = load(o);
  if (!o.granularity.empty())
    scenario.platform.host_granularity = o.granularity == "server" ? suanli::model::HostGranularity::kServer
                                         : o.granularity == "pod"  ? suanli::model::HostGranularity::kPod
                                                                   : suanli::model::HostGranularity::kRack;
  suanli::platform::check_platform_fits(scenario);
  if (o.output.empty() && !o.build) throw UserError("suanli platform", "", "give -o FILE.xml, --build, or both");

  const auto t0 = std::chrono::steady_clock::now();
  const suanli::topology::Graph graph(scenario);
  const auto spec = suanli::platform::build_platform_spec(scenario, graph);
  const double spec_s = elapsed_s(t0);
  std::cerr << "platform: " << spec.host_count << " hosts in " << spec.zones.size() << " sites, "
            << spec.links.size() << " fiber links, " << spec.routes.size() << " site-to-site routes ("
            << suanli::model::to_string(scenario.platform.host_granularity) << " granularity)\n";

  if (!o.output.empty()) {
    const auto t1 = std::chrono::steady_clock::now();
    write_atomically(o.output, [&](std::ostream& out) { suanli::platform::write_platform_xml(out, scenario, spec); });
    std::cerr << "platform: wrote " << o.output << " in " << elapsed_s(t1) << " s\n";
  }
  if (!o.build) return 0;

  // Progress on a terminal only (at most ~20 updates), so logs and pipes stay clean.
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::size_t last_shown = 0;
  const auto built = suanli::platform::build_in_simgrid(
      scenario, spec, o.simgrid_args,
      [&](std::size_t done, std::size_t total, std::int64_t hosts) {
        if (!tty || (done * 20 / total == last_shown * 20 / total && done != total)) return;
        last_shown = done;
        std::cerr << "\rbuilding SimGrid platform: site " << done << "/" << total << ", " << hosts << " hosts"
                  << (done == total ? "\n" : "") << std::flush;
      },
      o.verify, [] { suanli::io::install_interrupt_cleanup(); });  // after SimGrid's own SIGINT handler
  nlohmann::json stats = {{"scenario", scenario.name},
                          {"granularity", suanli::model::to_string(scenario.platform.host_granularity)},
                          {"hosts", built.hosts},
                          {"links", built.links},
                          {"site_routes", spec.routes.size()},
                          {"spec_seconds", spec_s},
                          {"simgrid_build_seconds", built.build_s},
                          {"peak_rss_mib", peak_rss_mib()}};
  if (o.verify) {
    stats["verified_routes"] = built.verified_routes;
    stats["max_latency_difference_s"] = built.max_latency_difference_s;
  }
  std::cout << stats.dump(2) << "\n";
  return 0;
}

std::string this_executable() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find this executable (/proc/self/exe): " + ec.message());
  return self.string();
}

int run_sweep(const Options& o) {
  const auto spec = suanli::sweep::read_sweep(o.sweep_file);
  if (o.emit_slurm) {
    const auto script = suanli::sweep::slurm_script(spec, o.sweep_file, o.output, this_executable(), o.slurm_shards,
                                                    o.slurm_cpus);
    std::filesystem::create_directories(o.output);
    const auto path = (std::filesystem::path(o.output) / "sweep.slurm").string();
    suanli::io::OutputFile f(path);
    f.write(script);
    f.commit();
    std::filesystem::permissions(path, std::filesystem::perms::owner_exec, std::filesystem::perm_options::add);
    std::cout << "wrote " << path << " (" << suanli::sweep::expand(spec).size() << " runs in " << o.slurm_shards
              << " array tasks)\nsubmit: sbatch " << suanli::sweep::shell_quote(path)
              << "\nthen:   " << suanli::sweep::collect_command(this_executable(), o.output) << "\n";
    return 0;
  }
  if ((o.keep_failed || o.force) && !o.resume)
    throw UserError(o.keep_failed ? "--keep-failed" : "--force", "", "applies only with --resume");
  std::optional<std::pair<std::size_t, std::size_t>> shard;
  if (!o.shard.empty()) shard = suanli::sweep::parse_shard(o.shard);
  if (o.dry_run) {
    auto plans = suanli::sweep::expand(spec);
    if (shard) plans = suanli::sweep::shard(plans, shard->first, shard->second);
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& p : plans) {
      const std::string status = suanli::sweep::run_status(o.output, p);
      nlohmann::json axes = nlohmann::json::object();
      for (std::size_t a = 0; a < spec.axes.size(); ++a) axes[spec.axes[a].name] = p.labels[a];
      runs.push_back({{"run", p.id}, {"config", p.config}, {"replication", p.replication}, {"seed", p.seed},
                      {"axes", axes}, {"status", status.empty() ? "to run" : status}});
    }
    if (o.json) {
      std::cout << nlohmann::json{{"sweep", spec.name}, {"output", o.output}, {"dry_run", true}, {"runs", runs}}.dump(2)
                << "\n";
      return 0;
    }
    std::cout << "sweep " << spec.name << ": " << plans.size() << " runs (dry run: nothing is run)\n";
    for (const auto& r : runs) {
      std::cout << "  " << r["run"].get<std::string>() << "  seed " << r["seed"].get<std::uint64_t>();
      for (const auto& [name, label] : r["axes"].items()) std::cout << "  " << name << "=" << label.get<std::string>();
      std::cout << "  (" << r["status"].get<std::string>() << ")\n";
    }
    return 0;
  }
  suanli::sweep::SweepOptions options;
  options.output_dir = o.output;
  options.suanli_binary = this_executable();
  options.jobs = o.jobs;
  options.resume = o.resume;
  options.retry_failed = !o.keep_failed;
  options.force = o.force;
  if (o.no_jobs) options.extra_run_arguments.push_back("--no-jobs");
  options.shard = shard;
  options.progress = ::isatty(STDERR_FILENO) != 0;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = suanli::sweep::run_sweep(spec, options);
  // Exit 1 while the tables hold a failed run: of this invocation, or one kept by --keep-failed.
  const bool any_failed = std::any_of(r.results.begin(), r.results.end(), [](const auto& x) { return x.status != "ok"; });
  if (o.json) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& x : r.results)
      runs.push_back({{"run", x.plan.id}, {"config", x.plan.config}, {"replication", x.plan.replication},
                      {"seed", x.plan.seed}, {"status", x.status}, {"exit_code", x.exit_code}, {"error", x.error}});
    const auto in = [&](const char* f) { return (std::filesystem::path(o.output) / f).string(); };
    std::cout << nlohmann::json{{"sweep", spec.name},
                                {"output", o.output},
                                {"planned", r.planned},
                                {"already_done", r.skipped},
                                {"retried", r.retried},
                                {"ok", r.ok},
                                {"failed", r.failed},
                                {"runs", runs},
                                {"files",
                                 {{"summary_csv", in("summary.csv")},
                                  {"runs_csv", in("runs.csv")},
                                  {"database", in("results.sqlite")}}}}
                     .dump(2)
              << "\n";
    return any_failed ? kExitTargetsFailed : 0;
  }
  std::cout << "sweep " << spec.name << ": " << r.planned << " runs (" << r.skipped << " already done, " << r.ok
            << " ok, " << r.failed << " failed";
  if (r.retried > 0) std::cout << "; " << r.retried << " retried";
  std::cout << ") in " << elapsed_s(t0) << " s\n"
            << "  " << o.output << "/summary.csv   per configuration: mean, sd, 95 % CI of each metric\n"
            << "  " << o.output << "/runs.csv      per run\n"
            << "  " << o.output << "/results.sqlite tables runs and metrics\n";
  return any_failed ? kExitTargetsFailed : 0;
}

int run_growth(const Options& o) {
  if (!o.csv.empty()) check_output_path(o.csv);
  if (!o.costs_csv.empty()) check_output_path(o.costs_csv);
  const auto scenario = load(o);
  if (!o.failures.empty() || !o.what_if.empty() || !o.what_if_file.empty() || !o.add_sites.empty() || !o.from.empty())
    throw UserError("--growth", "", "give --growth alone (with --csv, --costs-csv, --json, -v); what-if edits go in --set");
  const auto t0 = std::chrono::steady_clock::now();
  const suanli::energy::SiteWeather weather(scenario);
  const suanli::energy::GridCarbon carbon(scenario);
  const auto report = suanli::capacity::compute_growth(scenario, weather, carbon, o.min_budget_attainment);
  const double took = elapsed_s(t0);
  std::unique_ptr<suanli::io::OutputFile> limits, costs;
  if (!o.csv.empty()) {
    limits = std::make_unique<suanli::io::OutputFile>(o.csv);
    limits->write(suanli::capacity::growth_csv(report, o.bom));
  }
  if (!o.costs_csv.empty()) {
    costs = std::make_unique<suanli::io::OutputFile>(o.costs_csv);
    costs->write(suanli::capacity::growth_costs_csv(report, o.bom));
  }
  if (limits) limits->commit();
  if (costs) costs->commit();
  if (o.json) std::cout << suanli::capacity::growth_json(report).dump(2) << "\n";
  else
    suanli::capacity::print_growth(std::cout, report, o.verbose);
  if (!scenario.growth.present)
    std::cerr << "note: " << o.scenario << " has no growth section: no demand growth, no additions (docs/capacity.md)\n";
  std::cerr << "growth: " << scenario.sites.size() << " sites x " << report.horizon_months + 1 << " months in "
            << took << " s\n";
  return 0;
}

/// The IT load of what-if and failure tables, in words.
std::string load_words(std::optional<double> it_load) {
  if (it_load) return "IT load " + std::to_string(static_cast<int>(std::lround(100 * *it_load))) + " % of rated (--it-load)";
  return "the IT load each scenario's workload implies (the same demand on both: the capacity fast path, month 0)";
}

int run_capacity(const Options& o) {
  if (o.growth) return run_growth(o);
  if (!o.failures.empty() && o.what_if.empty() && o.what_if_file.empty() && o.add_sites.empty()) {
    // Static failures: what capacity and latency circle remain.
    const auto baseline = load(o);
    const auto failed = suanli::capacity::with_failures(baseline, o.failures);
    const auto rows = suanli::capacity::what_if(baseline, failed, o.it_load);
    if (!o.csv.empty()) {
      suanli::io::OutputFile f(o.csv);
      f.write(suanli::capacity::what_if_csv(rows, o.bom));
      f.commit();
    }
    std::cout << "Failures on " << baseline.name << " (" << o.scenario << "):";
    for (const auto& f : o.failures) std::cout << " " << f;
    std::cout << "; annual figures at " << load_words(o.it_load) << "\n";
    suanli::capacity::print_what_if(std::cout, rows);
    return 0;
  }
  if (!o.failures.empty())
    throw UserError("--fail", "", "give failures or what-if edits, not both (run them one after the other)");
  if (!o.what_if.empty() || !o.what_if_file.empty() || !o.add_sites.empty()) {
    // Baseline and edited copy, figure by figure.
    const auto baseline = load(o);
    suanli::model::LoadOptions options;
    options.lenient = o.lenient;
    for (const auto& e : o.set) options.edits.push_back(suanli::model::parse_scenario_edit(e, "--set"));
    if (!o.what_if_file.empty()) {
      const auto patch = suanli::io::parse_json_text(suanli::io::read_text_file(o.what_if_file), o.what_if_file);
      if (!patch.is_object())
        throw UserError(o.what_if_file, "", "expected an object {\"/json/pointer\": value, ...}");
      for (const auto& [pointer, value] : patch.items()) {
        if (pointer.empty() || pointer[0] != '/')
          throw UserError(o.what_if_file, "/" + pointer, "keys are JSON pointers into the scenario, e.g. \"/sites/0/racks\"");
        options.edits.push_back(suanli::model::ScenarioEdit{pointer, value});
      }
    }
    for (const auto& e : o.what_if) options.edits.push_back(suanli::model::parse_scenario_edit(e, "--what-if"));
    if (!o.add_sites.empty()) {
      // plan-edge --sites-output: an array of site objects, appended to the scenario's sites.
      const auto sites = suanli::io::parse_json_text(suanli::io::read_text_file(o.add_sites), o.add_sites);
      if (!sites.is_array())
        throw UserError(o.add_sites, "", "expected an array of sites, as `suanli plan-edge --sites-output` writes");
      for (const auto& site : sites) options.edits.push_back(suanli::model::ScenarioEdit{"/sites/-", site});
    }
    options.edits_origin = "--what-if";
    const auto changed = suanli::load::load_scenario(o.scenario, options).scenario;
    const auto rows = suanli::capacity::what_if(baseline, changed, o.it_load);
    if (!o.csv.empty()) {
      suanli::io::OutputFile f(o.csv);
      f.write(suanli::capacity::what_if_csv(rows, o.bom));
      f.commit();
    }
    std::cout << "What-if on " << baseline.name << " (" << o.scenario << "): " << options.edits.size() - o.set.size()
              << " edit(s); annual figures at " << load_words(o.it_load) << "\n";
    suanli::capacity::print_what_if(std::cout, rows);
    return 0;
  }
  const auto scenario = load(o);
  std::optional<suanli::capacity::RunUsage> usage;
  if (!o.from.empty()) usage = suanli::capacity::read_run_usage(o.from, scenario);
  const auto report = suanli::capacity::compute_headroom(scenario, usage ? &*usage : nullptr);
  if (!o.csv.empty()) {
    suanli::io::OutputFile f(o.csv);
    f.write(suanli::capacity::headroom_csv(report, o.bom));
    f.commit();
  }
  if (o.json) std::cout << suanli::capacity::headroom_json(report).dump(2) << "\n";
  else
    suanli::capacity::print_headroom(std::cout, report, o.verbose);
  return 0;
}

int run_report(const Options& o) {
  suanli::report::write_report(o.folders, o.output);
  std::cout << "wrote " << o.output << "\n";
  return 0;
}

int run_collect(const Options& o) {
  suanli::sweep::collect(o.folders, o.output);
  std::cout << "collected " << o.folders.size() << " shard folders into " << o.output << " (summary.csv, runs.csv, results.sqlite)\n";
  return 0;
}

int run_policies(const Options& o) {
  using suanli::model::to_string;
  if (o.json) {  // the registry's names: scripts and the schema test read these, never a copy
    nlohmann::json j;
    j["placement"] = nlohmann::json::array();
    for (const auto& p : suanli::policy::placement_registry())
      j["placement"].push_back({{"name", p.name}, {"summary", p.summary}});
    using suanli::model::QueueDiscipline, suanli::model::AllocationStrategy, suanli::model::DvfsMode;
    j["queue"] = {to_string(QueueDiscipline::kFcfs), to_string(QueueDiscipline::kEasy),
                  to_string(QueueDiscipline::kConservative)};
    j["allocation"] = {to_string(AllocationStrategy::kFirstFit), to_string(AllocationStrategy::kBestFit)};
    j["dvfs"] = {to_string(DvfsMode::kMax), to_string(DvfsMode::kDeadline)};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "Placement policies (per job class: \"placement\": NAME or {\"policy\": NAME, parameters}):\n";
  for (const auto& p : suanli::policy::placement_registry()) std::cout << "  " << std::left << std::setw(14) << p.name << p.summary << "\n";
  std::cout << "Queue disciplines (scheduling.queue): fcfs, easy (EASY backfilling), conservative (conservative backfilling)\n"
               "Allocation (scheduling.allocation): first_fit, best_fit\n"
               "Power management (scheduling.power): idle_off_s, reserve_fraction; DVFS (scheduling.dvfs): max, deadline\n";
  return 0;
}

/// A number option checked for what it means: finite (never nan or inf) and accepted by `ok`, else
/// "--horizon-s: expected a positive number of seconds, got -5" (CLI11 prefixes the option). CLI11's own
/// PositiveNumber and Range print their bounds with 300 digits and let nan through.
CLI::Validator checked_number(const std::string& expected, const std::string& description,
                              const std::function<bool(double)>& ok) {
  return CLI::Validator(
      [expected, ok](std::string& text) {
        double value = 0;
        std::size_t used = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        const bool good = used > 0 && used == text.size() && std::isfinite(value) && ok(value);
        return good ? std::string()
                    : "expected " + expected + ", got " + suanli::model::printable(text, suanli::model::kMaxQuotedChars);
      },
      description);
}

/// A seed: digits only, 0 to 2^63-1 (what a scenario's "seed" holds). CLI11 alone turns -1 and 2^64
/// into 18446744073709551615.
CLI::Validator seed_range() {
  return CLI::Validator(
      [](std::string& text) {
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool good = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
                          ec == std::errc() && end == text.data() + text.size() &&
                          value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        return good ? std::string()
                    : "expected a whole number from 0 to 9223372036854775807, got " +
                          suanli::model::printable(text, suanli::model::kMaxQuotedChars);
      },
      "0 - 2^63-1");
}

CLI::Validator positive(const std::string& unit) {
  return checked_number("a positive number of " + unit, "POSITIVE", [](double v) { return v > 0; });
}

CLI::Validator non_negative(const std::string& unit) {
  return checked_number("a number of " + unit + " >= 0", "NONNEGATIVE", [](double v) { return v >= 0; });
}

CLI::Validator share() {
  return checked_number("a share between 0 and 1", "[0 - 1]", [](double v) { return v >= 0 && v <= 1; });
}

/// Levenshtein distance: the fewest single-character insertions, deletions and substitutions.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// The command closest to `word` within two edits, or "" (CLI11 itself says only "A subcommand is required").
std::string closest_command(CLI::App& app, const std::string& word) {
  std::string closest;
  std::size_t best = 3;
  for (const auto* sub : app.get_subcommands([](CLI::App* a) { return !a->get_name().empty(); })) {
    const std::size_t d = edit_distance(word, sub->get_name());
    if (d < best) {
      best = d;
      closest = sub->get_name();
    }
  }
  return closest;
}

}  // namespace

int main(int argc, char** argv) {
  suanli::io::install_interrupt_cleanup();
  Options o;
  CLI::App app{
      "suanli (算力): simulate a provincial compute network - data centres, GPU and supercomputing centres, edge\n"
      "DCs and the fiber between them - and check it against the planning targets.\n"
      "Exit codes: 0 ok, 1 targets missed (--strict), 2 bad input or usage, 3 internal error, 130 interrupted.",
      "suanli"};
  app.set_version_flag("--version", std::string("suanli ") + suanli::kVersion +
                                        (std::string(suanli::kGitCommit).empty()
                                             ? std::string()
                                             : std::string(" (") + suanli::kGitCommit + ")"));
  app.require_subcommand(1);
  app.fallthrough();

  auto add_scenario = [&](CLI::App* sub) {
    sub->add_option("scenario", o.scenario, "Scenario JSON file (format: docs/scenario.md)")->required();
    sub->add_flag("--lenient", o.lenient, "Treat unknown fields as warnings instead of errors");
    sub->add_option("--set", o.set,
                    "Edit the scenario before reading it: POINTER=VALUE (JSON pointer; VALUE is JSON, else a string); "
                    "* matches every array element, e.g. --set '/workload/classes/*/placement=least_loaded'")
        ->take_all();
  };

  auto* check = app.add_subcommand("check", "Validate a scenario and print its latency-circle report");
  add_scenario(check);
  check->add_flag("--json", o.json, "Print the report as JSON");
  check->add_flag("-v,--verbose", o.verbose, "List every site (edge DCs too) within each city's budget");
  check->add_flag("--strict", o.strict, "Exit with 1 when the latency circle has violations");

  auto* run = app.add_subcommand("run", "Simulate the scenario's workload and write summary.json, jobs.csv, timeseries.csv");
  add_scenario(run);
  run->add_option("-o,--output", o.output, "Output folder (created if missing)")->required();
  run->add_option("--seed", o.seed, "Override the scenario's seed: a whole number from 0 to 2^63-1")
      ->check(seed_range());
  run->add_option("--horizon-s", o.horizon_s, "Override the simulated time, seconds (at most 10 years)")
      ->check(positive("seconds"))
      ->check(checked_number("at most 315576000 seconds (10 years)", "",
                             [](double v) { return v <= suanli::model::kMaxHorizonS; }));
  run->add_option("--max-rows", o.max_rows,
                  "Refuse a run whose timeseries.csv would have more rows (samples x sites); default 10000000 "
                  "(= --set /outputs/max_timeseries_rows=N)")
      ->check(checked_number("a whole number >= 1", "POSITIVE", [](double v) { return v >= 1 && v == std::floor(v) && v < 9e18; }));
  run->add_flag("--gzip", o.gzip, "Compress jobs.csv and timeseries.csv (.csv.gz)");
  run->add_flag("--json", o.json, "Print the summary as JSON (what summary.json holds) instead of the table");
  run->add_flag("--no-progress", o.no_progress, "No progress bar on stderr");
  run->add_flag("--no-jobs", o.no_jobs, "Do not write jobs.csv (one line per job: large); the summary is the same");
  run->add_flag("--full-horizon", o.full_horizon,
                "Simulate up to the horizon even when no work is left (idle hosts keep drawing power), "
                "instead of stopping when the last job ends; sweeps pass it to every run");
  run->add_option("--placement", o.placement,
                  "Use this placement policy for every job class (= --set /workload/classes/*/placement=NAME; "
                  "list: suanli policies)");
  run->add_option("--queue", o.queue, "Queue discipline of every site: fcfs, easy or conservative (= --set /scheduling/queue=NAME)");
  run->add_option("--idle-off-s", o.idle_off_s,
                  "Switch hosts off after this long idle, 0: never (= --set /scheduling/power/idle_off_s=S)")
      ->check(non_negative("seconds"));
  run->add_flag("--decision-log", o.decision_log,
                "Also write decisions.csv: every placement decision (job, candidate sites, chosen site, why); "
                "for small scenarios (one line per job)");
  run->add_option("--growth-month", o.growth_month,
                  "Run the scenario as it stands at this month of its growth section (demand grown, additions made)")
      ->check(checked_number("a whole number of months >= 0", "NONNEGATIVE",
                             [](double v) { return v >= 0 && v == std::floor(v); }));
  run->add_option("--outage", o.outages,
                  "Take a site out of service during the run: SITE:START_S:END_S (repeatable; as /outages)");
  run->add_option("--simgrid", o.simgrid_args, "Extra SimGrid option, e.g. --simgrid=--cfg=network/model:CM02");
  run->add_option("--engine", o.engine,
                  "How jobs' computation and IT energy are accounted: exact (closed form, the default) or simgrid "
                  "(SimGrid execs under its host energy plugin: the slower reference)")
      ->check(CLI::IsMember({"exact", "simgrid"}))
      ->capture_default_str();

  auto* pue = app.add_subcommand("pue", "Annual PUE per site and overall (8,760 h of weather), PASS/FAIL vs targets");
  add_scenario(pue);
  pue->add_option("--it-load", o.it_load,
                  "IT load as a share of each site's rated IT power (racks x 2.5 kW); default: the load the "
                  "scenario's workload implies (the capacity fast path at the growth start month)")
      ->check(share());
  pue->add_option("--it-diurnal-amplitude", o.it_diurnal_amplitude, "Relative daily swing of the IT load (peak 15:00)")
      ->check(share())
      ->capture_default_str();
  pue->add_option("--hours", o.pue_hours,
                  "Hours of the weather year from the scenario's /energy/start_hour_of_year, the period a run of "
                  "that many hours covers (e.g. 24 for a one-day run); below 8760 the PUE is that period's, with "
                  "no verdict")
      ->check(CLI::Range(std::size_t{1}, std::size_t{8760}))
      ->capture_default_str();
  pue->add_flag("--json", o.json, "Print the report as JSON");
  pue->add_flag("-v,--verbose", o.verbose, "List every edge DC too");
  pue->add_flag("--strict", o.strict, "Exit with 1 when a PUE target is missed");

  auto* show = app.add_subcommand("show", "Print the fully resolved scenario (every default filled in) as JSON");
  add_scenario(show);

  auto* plan = app.add_subcommand(
      "plan-edge", "Propose the fewest new edge sites that bring every demand point within its latency budget");
  add_scenario(plan);
  plan->add_option("--budget-ms", o.budget_ms, "Access budget in ms (default: the scenario's intra-city target)")
      ->check(positive("milliseconds"));
  plan->add_option("--candidates", o.candidates, "Candidate locations: demand (county seats), grid, or both")
      ->check(CLI::IsMember({"demand", "grid", "both"}))
      ->capture_default_str();
  plan->add_option("--grid-km", o.grid_km, "Grid spacing for grid candidates, km")
      ->check(positive("kilometres"))
      ->capture_default_str();
  plan->add_flag("--ignore-existing-edge", o.ignore_existing_edge, "Plan as if no edge_dc existed yet");
  plan->add_flag("--json", o.json, "Print the plan as JSON");
  plan->add_option("--sites-output", o.sites_output, "Also write the proposed sites as scenario 'sites' entries");
  plan->add_option("--racks", o.racks_per_new_site, "Standard racks of each proposed site (in --sites-output)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();

  auto* platform = app.add_subcommand("platform", "Export the SimGrid platform XML, or build it and report its cost");
  add_scenario(platform);
  platform->add_option("-o,--output", o.output, "Write the SimGrid platform XML here");
  platform->add_option("--granularity", o.granularity, "Override host granularity: server, rack or pod")
      ->check(CLI::IsMember({"server", "rack", "pod"}));
  platform->add_flag("--build", o.build,
                     "Build the platform in SimGrid and print hosts, links, time and peak memory (benchmark)");
  platform->add_flag("--verify", o.verify,
                     "With --build: compare SimGrid route latencies of every site pair with Boost.Graph's");
  platform->add_option("--simgrid", o.simgrid_args, "Extra SimGrid option, e.g. --simgrid=--cfg=network/model:CM02");

  auto* sweep = app.add_subcommand("sweep", "Run a parameter sweep: each configuration x replication as its own run, in parallel (docs/sweeps.md)");
  sweep->add_option("sweep", o.sweep_file, "Sweep JSON file (format: docs/sweeps.md)")->required();
  sweep->add_option("-o,--output", o.output, "Sweep folder (created; holds runs/, summary.csv, runs.csv, results.sqlite)")->required();
  sweep->add_option("-j,--jobs", o.jobs, "Runs at once (default: the number of cores)")->check(CLI::Range(1, 4096));
  sweep->add_flag("--resume", o.resume,
                  "Keep the runs already finished in the folder, run the rest and again those that failed; refused "
                  "if the base scenario or an input file changed since (SHA-256 in the runs' manifests)");
  sweep->add_flag("--keep-failed", o.keep_failed, "With --resume: keep failed runs as they are instead of retrying them");
  sweep->add_flag("--force", o.force, "With --resume: go on although the base scenario or an input file changed");
  sweep->add_flag("--dry-run", o.dry_run, "List the runs (id, seed, axis values, status in the folder) and run nothing");
  sweep->add_flag("--no-jobs", o.no_jobs, "Runs write no jobs.csv (suanli run --no-jobs)");
  sweep->add_flag("--json", o.json, "Print the result (counts, every run's status, the output files) as JSON");
  sweep->add_option("--shard", o.shard, "Run only shard i of N (i/N): runs whose index % N == i-1");
  sweep->add_flag("--emit-slurm", o.emit_slurm, "Do not run: write OUTPUT/sweep.slurm, a Slurm job array of --shards tasks");
  sweep->add_option("--shards", o.slurm_shards, "Array tasks of --emit-slurm")->check(CLI::Range(1, 100000))->capture_default_str();
  sweep->add_option("--cpus", o.slurm_cpus, "CPUs (runs at once) per array task of --emit-slurm")->check(CLI::Range(1, 4096))->capture_default_str();

  auto* collect = app.add_subcommand("collect", "Merge sweep shard folders (suanli sweep --shard) into one sweep folder");
  collect->add_option("shards", o.folders, "Shard folders")->required();
  collect->add_option("-o,--output", o.output, "Merged sweep folder")->required();

  auto* capacity = app.add_subcommand(
      "capacity", "Headroom per site, city and province (racks, IT power, cooling, GPUs, cores, uplink), what-if, "
                  "failures, growth and exhaustion dates, cost (docs/capacity.md)");
  add_scenario(capacity);
  capacity->add_option("--from", o.from, "A run folder of this scenario (suanli run -o): adds the used peak and p95");
  capacity->add_option("--csv", o.csv, "Also write the table as CSV (UTF-8)");
  capacity->add_flag("--bom", o.bom, "Start the CSV with a UTF-8 byte order mark (Excel then shows Chinese names)");
  capacity->add_flag("--json", o.json, "Print the report as JSON");
  capacity->add_flag("-v,--verbose", o.verbose, "List every edge DC too");
  capacity->add_option("--what-if", o.what_if,
                       "Compare with an edited copy: POINTER=VALUE (repeatable), e.g. --what-if /sites/0/racks=50000; "
                       "prints a table of differences against the baseline")
      ->take_all();
  capacity->add_option("--fail", o.failures,
                       "Take out a site, a fiber link, or one cooling or UPS unit of a site (site:NAME, link:A,B, "
                       "cooling:SITE, ups:SITE; repeatable) and compare what remains with the baseline")
      ->take_all();
  capacity->add_option("--add-sites", o.add_sites,
                       "What-if: add these sites (a JSON array, e.g. from `suanli plan-edge --sites-output`)");
  capacity->add_option("--what-if-file", o.what_if_file, "A patch file of edits: {\"/json/pointer\": value, ...}");
  capacity->add_flag("--growth", o.growth,
                     "Month by month over the scenario's growth section: when each site, city and the province runs "
                     "out of GPUs, cores, racks, IT power or cooling, misses a target, and the cost per year");
  capacity->add_option("--costs-csv", o.costs_csv, "Growth: also write the total cost of ownership per site, city, "
                                                   "province and year as CSV");
  capacity->add_option("--min-budget-attainment", o.min_budget_attainment,
                       "Growth: target share of latency-critical requests within their budget")
      ->check(share())
      ->capture_default_str();
  capacity->add_option("--it-load", o.it_load,
                       "What-if and failures: IT load as a share of rated power for the annual figures; default: "
                       "what each scenario's workload implies (the same demand on both)")
      ->check(share());

  auto* report = app.add_subcommand("report",
                                     "Write one self-contained HTML report of a run or a sweep folder; two runs side by side");
  report->add_option("folders", o.folders, "A run folder (suanli run -o) or a sweep folder; two run folders to compare")
      ->required()
      ->expected(1, 2);
  report->add_option("-o,--output", o.output, "The HTML file to write")->required();

  auto* policies = app.add_subcommand("policies", "List the placement policies and queue disciplines (docs/policies.md)");
  policies->add_flag("--json", o.json, "Print the names as JSON (placement: name and summary; queue, allocation, dvfs)");

  if (argc > 1 && argv[1][0] != '-' &&
      app.get_subcommands([&](CLI::App* a) { return a->check_name(argv[1]); }).empty()) {
    const std::string closest = closest_command(app, argv[1]);
    std::cerr << "suanli: unknown command '" << suanli::model::printable(argv[1], suanli::model::kMaxQuotedChars) << "'"
              << (closest.empty() ? " (see suanli --help)" : "; did you mean '" + closest + "'?") << "\n";
    return suanli::model::kExitUserError;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "suanli: " << suanli::model::printable(e.what(), suanli::model::kMaxMessageChars)
              << " (see suanli --help)\n";
    return suanli::model::kExitUserError;
  }

  try {
    if (*check) return run_check(o);
    if (*run) return run_run(o);
    if (*show) return run_show(o);
    if (*pue) return run_pue(o);
    if (*plan) return run_plan_edge(o);
    if (*platform) return run_platform(o);
    if (*policies) return run_policies(o);
    if (*sweep) return run_sweep(o);
    if (*collect) return run_collect(o);
    if (*report) return run_report(o);
    if (*capacity) return run_capacity(o);
  } catch (const suanli::model::UserErrors& e) {
    // Every error found, one line each, up to a bound (a generated scenario may have thousands).
    constexpr std::size_t kMaxListed = 50;
    const auto& errors = e.errors();
    for (std::size_t i = 0; i < errors.size() && i < kMaxListed; ++i) std::cerr << "error: " << errors[i].what() << "\n";
    if (errors.size() > kMaxListed)
      std::cerr << "error: " << errors.front().file() << ": " << errors.size() - kMaxListed << " more errors not listed\n";
    return suanli::model::kExitUserError;
  } catch (const UserError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return suanli::model::kExitUserError;
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the system refuses (permission denied, a file where a folder should be, a name too
    // long, /proc): the user's to fix.
    std::cerr << "error: " << UserError(e.path1().string(), "", e.code().message()).what() << "\n";
    return suanli::model::kExitUserError;
  } catch (const std::exception& e) {
    std::cerr << "suanli: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return 0;
}
