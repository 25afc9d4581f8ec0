// `suanli policies`: lists the placement policies and queue disciplines.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/Commands.hpp"
#include "model/Names.hpp"
#include "policy/Catalog.hpp"

namespace suanli::cli {

namespace {

/// The options of `suanli policies`, filled by CLI11.
struct PoliciesOptions {
  bool json = false;
};

int run_policies(const PoliciesOptions& o) {
  // The registries' and the model's name tables: scripts and the schema test read these, never a copy.
  const auto j = policy::policies_json();
  if (o.json) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "Placement policies (per job class: \"placement\": NAME or {\"policy\": NAME, parameters}):\n";
  for (const auto& p : j["placement"])
    std::cout << "  " << std::left << std::setw(14) << p["name"].get<std::string>()
              << p["summary"].get<std::string>() << "\n";
  std::cout << "Queue disciplines (scheduling.queue):\n";
  for (const auto& q : j["queue_summaries"])
    std::cout << "  " << std::left << std::setw(14) << q["name"].get<std::string>()
              << q["summary"].get<std::string>() << "\n";
  std::cout << "Allocation (scheduling.allocation): " << model::joined_names<model::AllocationStrategy>()
            << "\nPower management (scheduling.power): idle_off_s, reserve_fraction; DVFS (scheduling.dvfs): "
            << model::joined_names<model::DvfsMode>() << "\n";
  return 0;
}

}  // namespace

void add_policies(CLI::App& app, Commands& commands) {
  auto [policies, o] = add_command<PoliciesOptions>(
      app, commands, "policies", "List the placement policies and queue disciplines (docs/policies.md)",
      run_policies);
  policies->add_flag(
      "--json", o.json,
      "Print the names as JSON (placement: name and summary; queue, allocation, dvfs; names: every "
      "enumeration of the scenario format)");
}

}  // namespace suanli::cli
