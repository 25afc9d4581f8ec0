// The workload trace readers in one include: SWF jobs, Azure LLM inference requests, Alibaba GPU pods.
#pragma once

// Every reader streams its file (plain or gzip) one line at a time:
//   SwfReader            -> SwfJob            (Standard Workload Format 2.2, HPC batch jobs)
//   AzureInferenceReader -> InferenceRequest  (Azure LLM inference trace 2023)
//   AlibabaGpuReader     -> GpuPod            (Alibaba GPU cluster trace 2023, openb pods)
// each with `std::optional<Record> next()` (nullopt at the end) and `std::size_t line() const`,
// and every malformed input throws suanli::model::UserError(file, "line N", message).
#include "workload/AlibabaGpuReader.hpp"
#include "workload/AzureInferenceReader.hpp"
#include "workload/SwfReader.hpp"
