// The names of every policy and discipline (see Catalog.hpp).
#include "policy/Catalog.hpp"

#include "model/Names.hpp"
#include "policy/Placement.hpp"
#include "policy/QueueScheduler.hpp"

namespace suanli::policy {

nlohmann::json policies_json() {
  nlohmann::json j;
  j["placement"] = nlohmann::json::array();
  for (const auto& name : placement_names())
    j["placement"].push_back({{"name", name}, {"summary", placement_summary(name)}});
  j["queue"] = queue_scheduler_names();
  j["queue_summaries"] = nlohmann::json::array();
  for (const auto& name : queue_scheduler_names())
    j["queue_summaries"].push_back({{"name", name}, {"summary", queue_scheduler_summary(name)}});
  j["allocation"] = model::names_of<model::AllocationStrategy>();
  j["dvfs"] = model::names_of<model::DvfsMode>();
  // Every enumeration of the scenario format, by its table's key (model/Names.hpp).
  auto& names = j["names"] = nlohmann::json::object();
#define SUANLI_ENUM_JSON(E) names[std::string(model::EnumNames<model::E>::key)] = model::names_of<model::E>();
  SUANLI_EACH_ENUM(SUANLI_ENUM_JSON)
#undef SUANLI_ENUM_JSON
  return j;
}

}  // namespace suanli::policy
