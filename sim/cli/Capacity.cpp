// `suanli capacity`: headroom, what-if, failures, growth and cost (the capacity fast paths).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capacity/Growth.hpp"
#include "capacity/Headroom.hpp"
#include "capacity/WhatIf.hpp"
#include "cli/Commands.hpp"
#include "io/JsonReader.hpp"
#include "io/OutputFile.hpp"
#include "load/Load.hpp"
#include "model/Error.hpp"
#include "model/ScenarioReader.hpp"

namespace suanli::cli {

namespace {

using model::UserError;

/// The options of `suanli capacity`, filled by CLI11.
struct CapacityOptions {
  ScenarioInput input;
  std::string from;  ///< a run folder
  std::string csv;
  bool bom = false;
  bool json = false;
  bool verbose = false;
  std::vector<std::string> what_if;
  std::vector<std::string> failures;
  std::string add_sites;  ///< sites to add (plan-edge --sites-output)
  std::string what_if_file;
  bool growth = false;
  std::string costs_csv;
  double min_budget_attainment = 0.99;
  std::optional<double> it_load;
};

int run_growth(const CapacityOptions& o) {
  if (!o.csv.empty()) check_output_path(o.csv);
  if (!o.costs_csv.empty()) check_output_path(o.costs_csv);
  const auto scenario = load(o.input);
  if (!o.failures.empty() || !o.what_if.empty() || !o.what_if_file.empty() || !o.add_sites.empty() ||
      !o.from.empty())
    throw UserError("--growth", "",
                    "give --growth alone (with --csv, --costs-csv, --json, -v); what-if edits go in --set");
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
  if (o.json)
    std::cout << suanli::capacity::growth_json(report).dump(2) << "\n";
  else
    suanli::capacity::print_growth(std::cout, report, o.verbose);
  if (!scenario.growth.present)
    std::cerr << "note: " << o.input.scenario
              << " has no growth section: no demand growth, no additions (docs/capacity.md)\n";
  std::cerr << "growth: " << scenario.sites.size() << " sites x " << report.horizon_months + 1
            << " months in " << took << " s\n";
  return 0;
}

/// The IT load of what-if and failure tables, in words.
std::string load_words(std::optional<double> it_load) {
  if (it_load)
    return "IT load " + std::to_string(static_cast<int>(std::lround(100 * *it_load))) +
           " % of rated (--it-load)";
  return "the IT load each scenario's workload implies (the same demand on both: the capacity fast path, "
         "month 0)";
}

int run_capacity(const CapacityOptions& o) {
  if (o.growth) return run_growth(o);
  if (!o.failures.empty() && o.what_if.empty() && o.what_if_file.empty() && o.add_sites.empty()) {
    // Static failures: what capacity and latency circle remain.
    const auto baseline = load(o.input);
    const auto failed = suanli::capacity::with_failures(baseline, o.failures);
    const auto rows = suanli::capacity::what_if(baseline, failed, o.it_load);
    if (!o.csv.empty()) {
      suanli::io::OutputFile f(o.csv);
      f.write(suanli::capacity::what_if_csv(rows, o.bom));
      f.commit();
    }
    std::cout << "Failures on " << baseline.name << " (" << o.input.scenario << "):";
    for (const auto& f : o.failures) std::cout << " " << f;
    std::cout << "; annual figures at " << load_words(o.it_load) << "\n";
    suanli::capacity::print_what_if(std::cout, rows);
    return 0;
  }
  if (!o.failures.empty())
    throw UserError("--fail", "", "give failures or what-if edits, not both (run them one after the other)");
  if (!o.what_if.empty() || !o.what_if_file.empty() || !o.add_sites.empty()) {
    // Baseline and edited copy, figure by figure.
    const auto baseline = load(o.input);
    suanli::model::LoadOptions options;
    options.lenient = o.input.lenient;
    for (const auto& e : o.input.set) options.edits.push_back(suanli::model::parse_scenario_edit(e, "--set"));
    if (!o.what_if_file.empty()) {
      const auto patch =
          suanli::io::parse_json_text(suanli::io::read_text_file(o.what_if_file), o.what_if_file);
      if (!patch.is_object())
        throw UserError(o.what_if_file, "", "expected an object {\"/json/pointer\": value, ...}");
      for (const auto& [pointer, value] : patch.items()) {
        if (pointer.empty() || pointer[0] != '/')
          throw UserError(o.what_if_file, "/" + pointer,
                          "keys are JSON pointers into the scenario, e.g. \"/sites/0/racks\"");
        options.edits.push_back(suanli::model::ScenarioEdit{pointer, value});
      }
    }
    for (const auto& e : o.what_if)
      options.edits.push_back(suanli::model::parse_scenario_edit(e, "--what-if"));
    if (!o.add_sites.empty()) {
      // plan-edge --sites-output: an array of site objects, appended to the scenario's sites.
      const auto sites = suanli::io::parse_json_text(suanli::io::read_text_file(o.add_sites), o.add_sites);
      if (!sites.is_array())
        throw UserError(o.add_sites, "",
                        "expected an array of sites, as `suanli plan-edge --sites-output` writes");
      for (const auto& site : sites) options.edits.push_back(suanli::model::ScenarioEdit{"/sites/-", site});
    }
    options.edits_origin = "--what-if";
    const auto changed = suanli::load::load_scenario(o.input.scenario, options).scenario;
    const auto rows = suanli::capacity::what_if(baseline, changed, o.it_load);
    if (!o.csv.empty()) {
      suanli::io::OutputFile f(o.csv);
      f.write(suanli::capacity::what_if_csv(rows, o.bom));
      f.commit();
    }
    std::cout << "What-if on " << baseline.name << " (" << o.input.scenario
              << "): " << options.edits.size() - o.input.set.size() << " edit(s); annual figures at "
              << load_words(o.it_load) << "\n";
    suanli::capacity::print_what_if(std::cout, rows);
    return 0;
  }
  const auto scenario = load(o.input);
  std::optional<suanli::capacity::RunUsage> usage;
  if (!o.from.empty()) usage = suanli::capacity::read_run_usage(o.from, scenario);
  const auto report = suanli::capacity::compute_headroom(scenario, usage ? &*usage : nullptr);
  if (!o.csv.empty()) {
    suanli::io::OutputFile f(o.csv);
    f.write(suanli::capacity::headroom_csv(report, o.bom));
    f.commit();
  }
  if (o.json)
    std::cout << suanli::capacity::headroom_json(report).dump(2) << "\n";
  else
    suanli::capacity::print_headroom(std::cout, report, o.verbose);
  return 0;
}

}  // namespace

void add_capacity(CLI::App& app, Commands& commands) {
  auto [capacity, o] = add_command<CapacityOptions>(
      app, commands, "capacity",
      "Headroom per site, city and province (racks, IT power, cooling, GPUs, cores, uplink), what-if, "
      "failures, growth and exhaustion dates, cost (docs/capacity.md)",
      run_capacity);
  add_scenario(capacity, o.input);
  capacity->add_option("--from", o.from,
                       "A run folder of this scenario (suanli run -o): adds the used peak and p95");
  capacity->add_option("--csv", o.csv, "Also write the table as CSV (UTF-8)");
  capacity->add_flag("--bom", o.bom,
                     "Start the CSV with a UTF-8 byte order mark (Excel then shows Chinese names)");
  capacity->add_flag("--json", o.json, "Print the report as JSON");
  capacity->add_flag("-v,--verbose", o.verbose, "List every edge DC too");
  capacity
      ->add_option(
          "--what-if", o.what_if,
          "Compare with an edited copy: POINTER=VALUE (repeatable), e.g. --what-if /sites/0/racks=50000; "
          "prints a table of differences against the baseline")
      ->take_all();
  capacity
      ->add_option(
          "--fail", o.failures,
          "Take out a site, a fiber link, or one cooling or UPS unit of a site (site:NAME, link:A,B, "
          "cooling:SITE, ups:SITE; repeatable) and compare what remains with the baseline")
      ->take_all();
  capacity->add_option(
      "--add-sites", o.add_sites,
      "What-if: add these sites (a JSON array, e.g. from `suanli plan-edge --sites-output`)");
  capacity->add_option("--what-if-file", o.what_if_file,
                       "A patch file of edits: {\"/json/pointer\": value, ...}");
  capacity->add_flag(
      "--growth", o.growth,
      "Month by month over the scenario's growth section: when each site, city and the province runs "
      "out of GPUs, cores, racks, IT power or cooling, misses a target, and the cost per year");
  capacity->add_option("--costs-csv", o.costs_csv,
                       "Growth: also write the total cost of ownership per site, city, "
                       "province and year as CSV");
  capacity
      ->add_option("--min-budget-attainment", o.min_budget_attainment,
                   "Growth: target share of latency-critical requests within their budget")
      ->check(share())
      ->capture_default_str();
  capacity
      ->add_option("--it-load", o.it_load,
                   "What-if and failures: IT load as a share of rated power for the annual figures; default: "
                   "what each scenario's workload implies (the same demand on both)")
      ->check(share());
}

}  // namespace suanli::cli
