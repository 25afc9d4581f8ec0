// Streams requests from an Azure LLM inference trace (AzureLLMInferenceTrace_{conv,code}.csv).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "io/LineReader.hpp"

namespace suanli::workload {

/// One LLM inference request (Azure LLM inference trace 2023, Splitwise paper, ISCA 2024).
struct InferenceRequest {
  double t_s = 0.0;          ///< arrival time [s] since the first row's timestamp (0 for the first row)
  int context_tokens = 0;    ///< prompt length [tokens], >= 0
  int generated_tokens = 0;  ///< output length [tokens], >= 0
};

/// Reads the CSV `TIMESTAMP,ContextTokens,GeneratedTokens` lazily (columns found by name, extra
/// columns ignored). TIMESTAMP is `YYYY-MM-DD HH:MM:SS[.fffffff]` (up to 7 fraction digits, 100 ns),
/// taken as one clock without time zone; timestamps must be non-decreasing. Malformed input
/// throws UserError(file, "line N", message).
class AzureInferenceReader {
 public:
  /// Opens `path` (plain or .gz) and reads the header row; throws UserError if it is missing or
  /// lacks a column.
  explicit AzureInferenceReader(std::string path);

  /// The next request, or nullopt after the last one.
  std::optional<InferenceRequest> next();

  /// Number (1-based) of the line last read; the header is line 1.
  std::size_t line() const { return csv_.lines().line(); }

 private:
  io::CsvReader csv_;
  std::size_t timestamp_;
  std::size_t context_;
  std::size_t generated_;
  std::optional<std::int64_t> first_ticks_;  // first row's time, in 100 ns ticks since 1970-01-01
  std::int64_t last_ticks_ = 0;
  std::string last_text_;
};

/// Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

}  // namespace suanli::workload
