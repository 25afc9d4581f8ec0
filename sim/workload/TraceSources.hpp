// Trace replay as job sources: SWF (hpc_batch), Azure LLM inference (ai_inference), Alibaba GPU
// pods (ai_training). Records are read lazily; times are shifted so the first replayed record
// (the first at or after arrivals.start_s) arrives at 0, then multiplied by arrivals.time_scale.
#pragma once

#include <memory>

#include "model/Scenario.hpp"
#include "workload/Job.hpp"
#include "workload/JobStream.hpp"

namespace suanli::workload {

std::unique_ptr<JobSource> make_trace_source(const model::Scenario& scenario, std::size_t class_index,
                                             std::uint64_t seed, double horizon_s);

/// The shapes of every record of a class's trace that a replay would accept (process "resample"),
/// read with the same meaning per format as a replay.
std::shared_ptr<const ShapeTable> load_trace_shapes(const model::Scenario& scenario, std::size_t class_index);

}  // namespace suanli::workload
