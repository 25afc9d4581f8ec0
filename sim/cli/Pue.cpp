// `suanli pue`: the annual PUE per site and overall, PASS/FAIL against the targets.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <iostream>
#include <optional>

#include "capacity/Growth.hpp"
#include "cli/Commands.hpp"
#include "energy/AnnualPue.hpp"
#include "metrics/PueReport.hpp"

namespace suanli::cli {

namespace {

/// The options of `suanli pue`, filled by CLI11.
struct PueOptions {
  ScenarioInput input;
  std::optional<double> it_load;  ///< --it-load; none: the load the workload implies
  double it_diurnal_amplitude = 0;
  std::size_t pue_hours = 8760;
  bool json = false;
  bool verbose = false;
  bool strict = false;
};

int run_pue(const PueOptions& o) {
  const auto scenario = load(o.input);
  const auto t0 = std::chrono::steady_clock::now();
  const suanli::energy::SiteWeather weather(scenario);
  const suanli::energy::GridCarbon carbon(scenario);
  const double read_s = elapsed_s(t0);
  const auto profile =
      suanli::capacity::annual_it_load(scenario, weather, carbon, o.it_load, o.it_diurnal_amplitude);
  const auto t1 = std::chrono::steady_clock::now();
  const auto year = suanli::energy::annual_pue(scenario, weather, carbon, profile,
                                               {scenario.energy.start_hour_of_year, o.pue_hours});
  const double model_s = elapsed_s(t1);
  if (o.json)
    std::cout << suanli::metrics::pue_report_json(scenario, weather, profile, year).dump(2) << "\n";
  else
    suanli::metrics::print_pue_report(std::cout, scenario, weather, profile, year, o.verbose);
  std::cerr << "pue: " << scenario.sites.size() << " sites x " << o.pue_hours << " h in " << model_s * 1e3
            << " ms (inputs read in " << read_s * 1e3 << " ms)\n";
  const bool failed = year.targets.pue == suanli::energy::Status::kFail ||
                      std::any_of(year.sites.begin(), year.sites.end(), [](const auto& y) {
                        return y.targets.pue == suanli::energy::Status::kFail;
                      });
  return (o.strict && failed) ? kExitTargetsFailed : 0;
}

}  // namespace

void add_pue(CLI::App& app, Commands& commands) {
  auto [pue, o] = add_command<PueOptions>(
      app, commands, "pue", "Annual PUE per site and overall (8,760 h of weather), PASS/FAIL vs targets",
      run_pue);
  add_scenario(pue, o.input);
  pue->add_option("--it-load", o.it_load,
                  "IT load as a share of each site's rated IT power (racks x 2.5 kW); default: the load the "
                  "scenario's workload implies (the capacity fast path at the growth start month)")
      ->check(share());
  pue->add_option("--it-diurnal-amplitude", o.it_diurnal_amplitude,
                  "Relative daily swing of the IT load (peak 15:00)")
      ->check(share())
      ->capture_default_str();
  pue->add_option(
         "--hours", o.pue_hours,
         "Hours of the weather year from the scenario's /energy/start_hour_of_year, the period a run of "
         "that many hours covers (e.g. 24 for a one-day run); below 8760 the PUE is that period's, with "
         "no verdict")
      ->check(CLI::Range(std::size_t{1}, std::size_t{8760}))
      ->capture_default_str();
  pue->add_flag("--json", o.json, "Print the report as JSON");
  pue->add_flag("-v,--verbose", o.verbose, "List every edge DC too");
  pue->add_flag("--strict", o.strict, "Exit with 1 when a PUE target is missed");
}

}  // namespace suanli::cli
