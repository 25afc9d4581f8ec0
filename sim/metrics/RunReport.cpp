// Summary table of a run: jobs per class, waits, latency and budgets, site utilization and energy.
#include "metrics/RunReport.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "io/Format.hpp"
#include "io/Table.hpp"

namespace suanli::metrics {

namespace {

/// "-" when there is no value: null, or NaN (a ratio without a denominator, e.g. utilization of no host).
std::string num(const nlohmann::json& v, double scale, int decimals) {
  return io::format_fixed_or_dash(v.is_number() ? v.get<double>() * scale : std::nan(""), decimals);
}

/// A share in percent, "12.3 %"; "-" alone when there is no value.
std::string percent(const nlohmann::json& v, int decimals) {
  return io::percent(v.is_number() ? v.get<double>() : std::nan(""), decimals);
}

/// A verdict after its value: PASS or FAIL, "(no target)" for n/a.
std::string verdict(const nlohmann::json& v) {
  const std::string s = v.get<std::string>();
  return s == "n/a" ? "(no target)" : s;
}

std::string grade(const nlohmann::json& g) {
  return g.is_number() ? "grade " + std::to_string(g.get<int>()) : g.get<std::string>();
}

}  // namespace

void print_run_summary(std::ostream& out, const model::Scenario& s, const nlohmann::json& j) {
  out << "Run of " << s.name << " (seed " << j["seed"].get<std::uint64_t>()
      << "): " << num(j["simulated_s"], 1.0 / 3600, 2) << " h simulated";
  const bool annual = j.contains("period") && j["period"]["annual"].get<bool>();
  if (j.contains("period"))
    out << ", " << j["period"]["from"].get<std::string>() << " to " << j["period"]["to"].get<std::string>()
        << " of the weather year";
  out << "\n";
  const auto& jobs = j["jobs"];
  out << "  jobs: " << jobs["submitted"].get<std::uint64_t>() << " simulated, "
      << jobs["completed"].get<std::uint64_t>() << " completed, " << jobs["rejected"].get<std::uint64_t>()
      << " rejected, " << jobs["unfinished"].get<std::uint64_t>() << " unfinished at the end";
  if (jobs.contains("lost") && jobs["lost"].get<std::uint64_t>() > 0)
    out << ", " << jobs["lost"].get<std::uint64_t>() << " lost to outages";
  out << "\n";
  if (j.contains("outages"))
    for (const auto& o : j["outages"])
      out << "  outage of " << o["site"].get<std::string>()
          << (o.value("what", "site") == "site"
                  ? std::string()
                  : " (" + std::to_string(o["units"].get<int>()) + " " + o["what"].get<std::string>() +
                        " unit(s), " + std::to_string(o["hosts_out"].get<std::uint64_t>()) + " hosts out)")
          << " from " << num(o["start_s"], 1, 0) << " s to " << num(o["end_s"], 1, 0)
          << " s: " << o["running"].get<std::uint64_t>() << " running, " << o["waiting"].get<std::uint64_t>()
          << " waiting or in transfer; " << o["replaced"].get<std::uint64_t>() << " re-placed elsewhere, "
          << o["lost"].get<std::uint64_t>() << " lost\n";
  out << "\n";

  out << "  " << io::column("class", 18, true) << io::column("kind", 18, true) << io::column("jobs", 10)
      << io::column("done", 10) << io::column("wait p50 s", 12) << io::column("wait p95 s", 12)
      << io::column("wait p99 s", 12) << io::column("rtt p95 ms", 12) << io::column("budget met", 12) << "\n";
  for (const auto& c : j["classes"]) {
    const auto& wait = c["wait_s"];
    const auto& rtt = c["network_rtt_s"];
    out << "  " << io::column(c["name"].get<std::string>(), 18, true)
        << io::column(c["kind"].get<std::string>(), 18, true)
        << io::column(std::to_string(c["jobs_simulated"].get<std::uint64_t>()), 10)
        << io::column(std::to_string(c["completed"].get<std::uint64_t>()), 10)
        << io::column(wait.is_null() ? "-" : num(wait["p50"], 1, 3), 12)
        << io::column(wait.is_null() ? "-" : num(wait["p95"], 1, 3), 12)
        << io::column(wait.is_null() ? "-" : num(wait["p99"], 1, 3), 12)
        << io::column(rtt.is_null() ? "-" : num(rtt["p95"], 1e3, 3), 12)
        << io::column(percent(c["budget_attainment"], 2), 12) << "\n";
  }

  out << "\n  " << io::column("site", 36, true) << io::column("jobs", 10) << io::column("cpu util", 10)
      << io::column("gpu util", 10) << io::column("IT MWh", 10) << io::column("mean MW", 10)
      << io::column("PUE", 8) << io::column("target", 8) << io::column("GB 40879", 14)
      << io::column("CO2 t", 10) << "\n";
  std::size_t shown = 0, hidden = 0;
  for (const auto& site : j["sites"]) {
    if (site["kind"] == "edge_dc" && shown >= 12) {
      ++hidden;
      continue;
    }
    ++shown;
    out << "  " << io::column(site["name"].get<std::string>(), 36, true)
        << io::column(std::to_string(site["jobs_completed"].get<std::uint64_t>()), 10)
        << io::column(percent(site["cpu_utilization"], 1), 10)
        << io::column(percent(site["gpu_utilization"], 1), 10)
        << io::column(num(site["it_energy_j"], 1.0 / 3.6e9, 2), 10)
        << io::column(num(site["mean_it_power_w"], 1e-6, 3), 10) << io::column(num(site["pue"], 1, 3), 8)
        << io::column(annual ? site["targets"]["pue"].get<std::string>() : "-", 8)
        << io::column(grade(site["targets"]["gb40879_grade"]), 14)
        << io::column(num(site["carbon_kg"], 1e-3, 1), 10) << "\n";
  }
  if (hidden) out << "  ... and " << hidden << " more edge DCs (see summary.json)\n";
  const auto& t = j["totals"];
  out << "  " << io::column("total", 36, true) << io::column("", 10)
      << io::column(percent(t["cpu_utilization"], 1), 10) << io::column(percent(t["gpu_utilization"], 1), 10)
      << io::column(num(t["it_energy_j"], 1.0 / 3.6e9, 2), 10)
      << io::column(num(t["mean_it_power_w"], 1e-6, 3), 10) << io::column(num(t["pue"], 1, 3), 8)
      << io::column(annual ? t["targets"]["pue"].get<std::string>() : "-", 8) << io::column("", 14)
      << io::column(num(t["carbon_kg"], 1e-3, 1), 10) << "\n";
  if (!annual)
    out << "  PUE over the simulated period only: the PUE target is annual (`suanli pue` gives the annual "
           "PUE at\n"
           "  the load the workload implies, `suanli pue --hours "
        << (j.contains("period") ? std::to_string(std::llround(j["period"]["hours"].get<double>())) : "N")
        << "` this period's; a run of a whole weather year gives it with a verdict)\n";
  out << "  facility " << num(t["facility_energy_j"], 1.0 / 3.6e9, 2) << " MWh (losses "
      << num(t["loss_energy_j"], 1.0 / 3.6e9, 2) << ", cooling " << num(t["cooling_energy_j"], 1.0 / 3.6e9, 2)
      << ", overheads " << num(t["overhead_energy_j"], 1.0 / 3.6e9, 2) << "); water "
      << num(t["water_l"], 1e-3, 1) << " m3; electricity " << num(t["electricity_cost"], 1, 0) << " "
      << t["currency"].get<std::string>() << "\n";
  out << "  rack occupancy (installed / built): " << percent(t["rack_occupancy"], 1) << " "
      << verdict(t["targets"]["occupancy"]) << "; liquid-cooled share " << percent(t["liquid_share"], 1)
      << " " << verdict(t["targets"]["liquid_share"]) << "; IT-load utilization "
      << percent(t["it_load_utilization"], 1) << " of rated\n";
}

}  // namespace suanli::metrics
