// Enum names and small derived quantities of the scenario types.
#include "model/Scenario.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace suanli::model {

std::string_view to_string(CityRole v) { return v == CityRole::kCentral ? "central" : "regional"; }

std::string_view to_string(SiteKind v) {
  switch (v) {
    case SiteKind::kCoreCluster: return "core_cluster";
    case SiteKind::kGpuCenter: return "gpu_center";
    case SiteKind::kSupercomputingCenter: return "supercomputing_center";
    case SiteKind::kEdgeDc: return "edge_dc";
  }
  return "?";
}

std::string_view to_string(LiquidTechnology v) {
  return v == LiquidTechnology::kColdPlate ? "cold_plate" : "immersion";
}

std::string_view to_string(LatencyMode v) { return v == LatencyMode::kOneWay ? "one_way" : "round_trip"; }

std::string_view to_string(HostGranularity v) {
  switch (v) {
    case HostGranularity::kServer: return "server";
    case HostGranularity::kRack: return "rack";
    case HostGranularity::kPod: return "pod";
  }
  return "?";
}

std::string_view to_string(SizeClass v) {
  switch (v) {
    case SizeClass::kEdge: return "edge";
    case SizeClass::kSmallMedium: return "small_medium";
    case SizeClass::kLarge: return "large";
    case SizeClass::kHyperscale: return "hyperscale";
  }
  return "?";
}

std::string_view to_string(JobKind v) {
  switch (v) {
    case JobKind::kLatencyCritical: return "latency_critical";
    case JobKind::kAiInference: return "ai_inference";
    case JobKind::kAiTraining: return "ai_training";
    case JobKind::kHpcBatch: return "hpc_batch";
    case JobKind::kCloudService: return "cloud_service";
  }
  return "?";
}

std::string_view to_string(ArrivalProcess v) {
  switch (v) {
    case ArrivalProcess::kPoisson: return "poisson";
    case ArrivalProcess::kTrace: return "trace";
    case ArrivalProcess::kResample: return "resample";
  }
  return "?";
}

std::string_view to_string(TraceFormat v) {
  switch (v) {
    case TraceFormat::kSwf: return "swf";
    case TraceFormat::kAzureInference: return "azure_inference";
    case TraceFormat::kAlibabaGpu: return "alibaba_gpu";
  }
  return "?";
}

std::string_view to_string(ServiceDistribution v) {
  return v == ServiceDistribution::kExponential ? "exponential" : "deterministic";
}

std::string_view to_string(OriginLevel v) { return v == OriginLevel::kCity ? "city" : "demand_point"; }
std::string_view to_string(QueueDiscipline v) {
  switch (v) {
    case QueueDiscipline::kFcfs: return "fcfs";
    case QueueDiscipline::kEasy: return "easy";
    case QueueDiscipline::kConservative: return "conservative";
    case QueueDiscipline::kAdded: return "added";
  }
  return "?";
}
std::string_view to_string(AllocationStrategy v) { return v == AllocationStrategy::kFirstFit ? "first_fit" : "best_fit"; }
std::string_view to_string(DvfsMode v) { return v == DvfsMode::kMax ? "max" : "deadline"; }
std::string_view to_string(AfterRepair v) { return v == AfterRepair::kReturn ? "return" : "stay"; }

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

std::string_view to_string(OutageKind v) {
  switch (v) {
    case OutageKind::kSite: return "site";
    case OutageKind::kCooling: return "cooling";
    case OutageKind::kUps: return "ups";
  }
  return "?";
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
