// The charts of one run, or of two runs side by side on shared scales: PUE, power stack,
// utilization, latency CDF and the map of sites with their cities' latency circles.
#pragma once

#include <string>
#include <vector>

#include "report/RunData.hpp"

namespace suanli::report {

/// One chart: a panel (SVG and legend, HTML) per run, all on the same axes, and a caption.
struct Figure {
  std::string id;                   ///< anchor, e.g. "pue"
  std::string title;                ///< plain text (escaped when written)
  std::vector<std::string> panels;  ///< HTML, one per run, in the order of the runs
  std::string caption;              ///< HTML (already escaped)
};

/// Every chart of `runs` (one or two), in page order. Charts that do not apply (GPU utilization
/// when no run has GPUs) are left out.
std::vector<Figure> run_figures(const std::vector<const RunData*>& runs);

/// The colour of a site kind on maps and per-kind lines.
std::string kind_colour(const std::string& kind);

}  // namespace suanli::report
