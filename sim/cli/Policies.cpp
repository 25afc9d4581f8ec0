// `suanli policies`: lists the placement policies and queue disciplines.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/Commands.hpp"
#include "model/Names.hpp"
#include "policy/Placement.hpp"

namespace suanli::cli {

namespace {

/// The options of `suanli policies`, filled by CLI11.
struct PoliciesOptions {
  bool json = false;
};

int run_policies(const PoliciesOptions& o) {
  if (o.json) {  // the registry's and the model's name tables: scripts and the schema test read these
    nlohmann::json j;
    j["placement"] = nlohmann::json::array();
    for (const auto& p : suanli::policy::placement_registry())
      j["placement"].push_back({{"name", p.name}, {"summary", p.summary}});
    j["queue"] = model::names_of<model::QueueDiscipline>();
    j["allocation"] = model::names_of<model::AllocationStrategy>();
    j["dvfs"] = model::names_of<model::DvfsMode>();
    // Every enumeration of the scenario format, by its table's key.
    auto& names = j["names"] = nlohmann::json::object();
#define SUANLI_ENUM_JSON(E) names[std::string(model::EnumNames<model::E>::key)] = model::names_of<model::E>();
    SUANLI_EACH_ENUM(SUANLI_ENUM_JSON)
#undef SUANLI_ENUM_JSON
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "Placement policies (per job class: \"placement\": NAME or {\"policy\": NAME, parameters}):\n";
  for (const auto& p : suanli::policy::placement_registry())
    std::cout << "  " << std::left << std::setw(14) << p.name << p.summary << "\n";
  std::cout << "Queue disciplines (scheduling.queue): fcfs, easy (EASY backfilling), conservative "
               "(conservative backfilling)\n"
               "Allocation (scheduling.allocation): "
            << model::joined_names<model::AllocationStrategy>()
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
