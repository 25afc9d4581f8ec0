// The names of the scenario's enumerations: one table each, used by the reader, to_string, the CLI
// and `suanli policies --json` (which tests/schema/names_test.py holds to the schema).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/Scenario.hpp"
#include "model/Workload.hpp"

namespace suanli::model {

/// EnumNames<E>::key names the list (`suanli policies --json` prints it under "names"), and
/// EnumNames<E>::table pairs every value of E with its JSON name, in the order error messages list them.
template <typename E>
struct EnumNames;

template <typename E>
using NameEntry = std::pair<std::string_view, E>;

#define SUANLI_ENUM_NAMES(E, KEY, ...)                     \
  template <>                                              \
  struct EnumNames<E> {                                    \
    static constexpr std::string_view key = KEY;           \
    static constexpr NameEntry<E> table[] = {__VA_ARGS__}; \
  };

SUANLI_ENUM_NAMES(CityRole, "city_role", {"central", CityRole::kCentral}, {"regional", CityRole::kRegional})
SUANLI_ENUM_NAMES(SiteKind, "site_kind", {"core_cluster", SiteKind::kCoreCluster},
                  {"gpu_center", SiteKind::kGpuCenter},
                  {"supercomputing_center", SiteKind::kSupercomputingCenter}, {"edge_dc", SiteKind::kEdgeDc})
SUANLI_ENUM_NAMES(LiquidTechnology, "liquid_technology", {"cold_plate", LiquidTechnology::kColdPlate},
                  {"immersion", LiquidTechnology::kImmersion})
SUANLI_ENUM_NAMES(LatencyMode, "latency_mode", {"one_way", LatencyMode::kOneWay},
                  {"round_trip", LatencyMode::kRoundTrip})
SUANLI_ENUM_NAMES(HostGranularity, "host_granularity", {"server", HostGranularity::kServer},
                  {"rack", HostGranularity::kRack}, {"pod", HostGranularity::kPod})
SUANLI_ENUM_NAMES(SizeClass, "size_class", {"edge", SizeClass::kEdge},
                  {"small_medium", SizeClass::kSmallMedium}, {"large", SizeClass::kLarge},
                  {"hyperscale", SizeClass::kHyperscale})
SUANLI_ENUM_NAMES(OutageKind, "outage_kind", {"site", OutageKind::kSite}, {"cooling", OutageKind::kCooling},
                  {"ups", OutageKind::kUps})
SUANLI_ENUM_NAMES(JobKind, "job_kind", {"latency_critical", JobKind::kLatencyCritical},
                  {"ai_inference", JobKind::kAiInference}, {"ai_training", JobKind::kAiTraining},
                  {"hpc_batch", JobKind::kHpcBatch}, {"cloud_service", JobKind::kCloudService})
SUANLI_ENUM_NAMES(ArrivalProcess, "arrival_process", {"poisson", ArrivalProcess::kPoisson},
                  {"trace", ArrivalProcess::kTrace}, {"resample", ArrivalProcess::kResample})
SUANLI_ENUM_NAMES(TraceFormat, "trace_format", {"swf", TraceFormat::kSwf},
                  {"azure_inference", TraceFormat::kAzureInference},
                  {"alibaba_gpu", TraceFormat::kAlibabaGpu})
SUANLI_ENUM_NAMES(ServiceDistribution, "service_distribution",
                  {"exponential", ServiceDistribution::kExponential},
                  {"deterministic", ServiceDistribution::kDeterministic})
SUANLI_ENUM_NAMES(OriginLevel, "origin_level", {"city", OriginLevel::kCity},
                  {"demand_point", OriginLevel::kDemandPoint})
SUANLI_ENUM_NAMES(QueueDiscipline, "queue", {"fcfs", QueueDiscipline::kFcfs},
                  {"easy", QueueDiscipline::kEasy}, {"conservative", QueueDiscipline::kConservative})
SUANLI_ENUM_NAMES(AllocationStrategy, "allocation", {"first_fit", AllocationStrategy::kFirstFit},
                  {"best_fit", AllocationStrategy::kBestFit})
SUANLI_ENUM_NAMES(DvfsMode, "dvfs", {"max", DvfsMode::kMax}, {"deadline", DvfsMode::kDeadline})
SUANLI_ENUM_NAMES(AfterRepair, "after_repair", {"return", AfterRepair::kReturn}, {"stay", AfterRepair::kStay})

#undef SUANLI_ENUM_NAMES

/// Every enumeration with a name table, for code that lists them all (`suanli policies --json`):
/// SUANLI_EACH_ENUM(F) calls F(E) once per enumeration.
/// (Kept out of clang-format: version 14 does not settle on one layout of this list.)
// clang-format off
#define SUANLI_EACH_ENUM(F)                                                  \
  F(CityRole)                                                                \
  F(SiteKind)                                                                \
  F(LiquidTechnology)                                                        \
  F(LatencyMode)                                                             \
  F(HostGranularity)                                                         \
  F(SizeClass)                                                               \
  F(OutageKind)                                                              \
  F(JobKind)                                                                 \
  F(ArrivalProcess)                                                          \
  F(TraceFormat)                                                             \
  F(ServiceDistribution)                                                     \
  F(OriginLevel)                                                             \
  F(QueueDiscipline)                                                         \
  F(AllocationStrategy)                                                      \
  F(DvfsMode)                                                                \
  F(AfterRepair)
// clang-format on

/// The name of `value` ("?" for a value outside the table: a programming error).
template <typename E>
constexpr std::string_view name_of(E value) {
  for (const auto& [name, v] : EnumNames<E>::table)
    if (v == value) return name;
  return "?";
}

/// The value named `name`, or nullopt.
template <typename E>
std::optional<E> value_named(std::string_view name) {
  for (const auto& [n, v] : EnumNames<E>::table)
    if (n == name) return v;
  return std::nullopt;
}

/// Every name of E, in table order.
template <typename E>
std::vector<std::string> names_of() {
  std::vector<std::string> out;
  for (const auto& entry : EnumNames<E>::table) out.emplace_back(entry.first);
  return out;
}

/// "a, b, c": the names of E for messages.
template <typename E>
std::string joined_names() {
  std::string out;
  for (const auto& entry : EnumNames<E>::table) out += (out.empty() ? "" : ", ") + std::string(entry.first);
  return out;
}

}  // namespace suanli::model
