// Enum names (through model/Names.hpp's tables) and small derived quantities of the scenario types.
#include "model/Scenario.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "model/Names.hpp"

namespace suanli::model {

std::string_view to_string(CityRole v) { return name_of(v); }
std::string_view to_string(SiteKind v) { return name_of(v); }
std::string_view to_string(LiquidTechnology v) { return name_of(v); }
std::string_view to_string(LatencyMode v) { return name_of(v); }
std::string_view to_string(HostGranularity v) { return name_of(v); }
std::string_view to_string(SizeClass v) { return name_of(v); }
std::string_view to_string(JobKind v) { return name_of(v); }
std::string_view to_string(ArrivalProcess v) { return name_of(v); }
std::string_view to_string(TraceFormat v) { return name_of(v); }
std::string_view to_string(ServiceDistribution v) { return name_of(v); }
std::string_view to_string(OriginLevel v) { return name_of(v); }
std::string_view to_string(QueueDiscipline v) { return name_of(v); }
std::string_view to_string(AllocationStrategy v) { return name_of(v); }
std::string_view to_string(DvfsMode v) { return name_of(v); }
std::string_view to_string(AfterRepair v) { return name_of(v); }
std::string_view to_string(OutageKind v) { return name_of(v); }

int NodeType::effective_servers_per_rack() const {
  if (servers_per_rack) return *servers_per_rack;
  const double max_w = pstates.empty() ? 0.0 : pstates.front().max_w;
  if (max_w <= 0) return 1;
  return std::max(1, static_cast<int>(std::floor(kStandardRackW / max_w)));
}

double NodeType::peak_flops() const {
  const double core_speed = pstates.empty() ? 0.0 : pstates.front().core_speed_flops;
  return cores * core_speed + gpus * gpu_speed_flops;
}

double NodeType::standard_racks_per_server() const {
  return pstates.empty() ? 0.0 : pstates.front().max_w / kStandardRackW;
}

namespace {
template <typename T>
const T* find_by_name(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.name == name; });
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

const City* Scenario::find_city(std::string_view n) const { return find_by_name(cities, n); }
const NodeType* Scenario::find_node_type(std::string_view n) const { return find_by_name(node_types, n); }
const Site* Scenario::find_site(std::string_view n) const { return find_by_name(sites, n); }

std::string Scenario::output_directory() const {
  return outputs.directory.empty() ? "out/" + name : outputs.directory;
}

std::string Scenario::resolve_path(const std::string& path) const {
  const std::filesystem::path p(path);
  if (p.is_absolute() || source_file.empty()) return path;
  return (std::filesystem::path(source_file).parent_path() / p).lexically_normal().string();
}

double Plant::usable_w(double rated_w) const {
  const double capacity = capacity_w.value_or(rated_w);
  if (units <= 0) return capacity;
  const int needed = units - redundant_units;  // N
  const int working = units - failed_units;
  if (needed <= 0 || working >= needed) return capacity;
  return capacity * std::max(0, working) / needed;
}

double Growth::multiplier(std::string_view job_class, double month) const {
  const GrowthRate* wildcard = nullptr;
  for (const auto& r : demand) {
    if (r.job_class == job_class) return std::pow(1 + r.per_year, month / 12.0);
    if (r.job_class == "*") wildcard = &r;
  }
  return wildcard ? std::pow(1 + wildcard->per_year, month / 12.0) : 1.0;
}

SizeClass size_class_for_racks(std::int64_t racks) {
  if (racks <= 100) return SizeClass::kEdge;
  if (racks < 3000) return SizeClass::kSmallMedium;
  if (racks < 10000) return SizeClass::kLarge;
  return SizeClass::kHyperscale;
}

}  // namespace suanli::model
