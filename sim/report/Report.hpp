// The HTML report of run and sweep folders (`suanli report DIR [DIR2] -o FILE.html`): one
// self-contained page (inline CSS and SVG, no scripts, no external resources) a teacher can project.
#pragma once

#include <string>
#include <vector>

namespace suanli::report {

/// Writes the report of one or two folders to `output_html` (atomically, io::OutputFile).
///
/// - One run folder (summary.json, scenario.json, timeseries.csv[.gz], jobs.csv[.gz], optional
///   decisions.csv): its jobs, waits and budgets per class, PASS/FAIL targets overall and per site,
///   and charts: PUE per site over time, the network's power stack (IT, losses, cooling, overheads),
///   CPU and GPU utilization, the network round-trip CDF per class, a map of the sites with each
///   city's intra-city latency circle; the first rows of decisions.csv.
/// - Two run folders A and B: a table of the main totals with B - A, and every chart for A and B
///   side by side on the same scales.
/// - A sweep folder (summary.csv and sweep.json): the summary table, a bar chart per metric of the
///   mean per configuration with 95 % confidence intervals, and the failed runs of runs.csv.
/// - Any other pair: each folder's report, one after the other.
///
/// All text from the inputs is HTML-escaped. The same inputs give the same bytes. Throws
/// model::UserError(file, location, message) for a folder that is neither a run nor a sweep, a
/// missing file, malformed JSON or CSV (naming the file and line), or an unwritable output.
void write_report(const std::vector<std::string>& folders, const std::string& output_html);

/// The HTML text write_report writes (for tests).
std::string render_report(const std::vector<std::string>& folders);

}  // namespace suanli::report
