// Streams jobs from a Standard Workload Format (SWF 2.2) trace, plain or gzip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "io/LineReader.hpp"

namespace suanli::workload {

/// One job of an SWF trace (https://www.cs.huji.ac.il/labs/parallel/workload/swf.html).
/// Times in seconds; submit_s is relative to the log's UnixStartTime header. -1 means unknown
/// (except submit_s, which is always known).
struct SwfJob {
  std::int64_t id = 0;             ///< field 1, job number
  double submit_s = 0.0;           ///< field 2, submit time [s], >= 0
  double wait_s = -1.0;            ///< field 3, wait time in the queue [s]
  double run_s = -1.0;             ///< field 4, run (wall-clock) time [s]
  int allocated_procs = -1;        ///< field 5, processors allocated
  int requested_procs = -1;        ///< field 8, processors requested
  double requested_time_s = -1.0;  ///< field 9, requested (wall-clock limit) time [s]
  int status = -1;                 ///< field 11: 1 completed, 0 failed, 5 cancelled, 2-4 checkpoint parts
  int user = -1;                   ///< field 12, user id
  int queue = -1;                  ///< field 15, queue number
  int partition = -1;              ///< field 16, partition number

  /// Processors the job occupies: allocated if known (> 0), else requested (-1 if neither is).
  int procs() const { return allocated_procs > 0 ? allocated_procs : requested_procs; }
};

/// Reads an SWF file lazily: the header comments (`; Key: value`) are read on construction, each
/// next() then parses one data line of 18 whitespace-separated numbers. Checks: 18 fields, each a
/// finite number, whole numbers where the field is a count or an id, no negative value except -1
/// ("unknown"), a known submit time, status in -1..5, submit times non-decreasing (every log of
/// the Parallel Workloads Archive is in submit order). Malformed input throws
/// UserError(file, "line N", message).
class SwfReader {
 public:
  /// Opens `path` (plain or .gz) and reads the header. An empty file, or one without header, is
  /// fine. Throws UserError if the file cannot be opened or a header line is not text.
  explicit SwfReader(std::string path);

  /// Header fields, e.g. {"MaxProcs", "100"}, {"UnixStartTime", "843480031"}. A key given on
  /// several lines (Note, Queue) and indented continuation lines are joined with "\n".
  const std::map<std::string, std::string>& header() const { return header_; }

  /// The next job, or nullopt after the last one.
  std::optional<SwfJob> next();

  /// Number (1-based) of the line last read.
  std::size_t line() const { return lines_.line(); }

 private:
  void read_header_line(std::string_view comment);
  SwfJob parse(std::string_view text);

  io::LineReader lines_;
  std::map<std::string, std::string> header_;
  std::string last_key_;
  std::optional<std::string> pending_;  // the first data line, read while scanning the header
  double last_submit_s_ = 0.0;
};

}  // namespace suanli::workload
