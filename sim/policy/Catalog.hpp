// Every policy name a scenario accepts, in one document: what `suanli policies --json` prints and
// `suanli.policies()` returns (with the ones added from Python in that process).
#pragma once

#include <nlohmann/json.hpp>

namespace suanli::policy {

/// {"placement": [{"name", "summary"}...], "queue": [names], "queue_summaries": [{"name", "summary"}...],
///  "allocation": [names], "dvfs": [names], "names": {every enumeration of the scenario format}}: built-in
///  names first, then those added at run time.
nlohmann::json policies_json();

}  // namespace suanli::policy
