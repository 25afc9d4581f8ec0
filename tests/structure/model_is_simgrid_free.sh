#!/usr/bin/env bash
# The pure model (scenario, topology, metrics, platform description) must neither include nor link
# SimGrid: only sim/platform/SimGridPlatform.* and the CLI may.
#   usage: model_is_simgrid_free.sh SOURCE_DIR UNIT_TEST_BINARY
set -euo pipefail
src=$1
bin=$2
status=0
offenders=$(grep -rlE '#include[[:space:]]*[<"](simgrid|xbt)/' \
  "$src/sim/model" "$src/sim/topology" "$src/sim/metrics" "$src/sim/policy" "$src/sim/energy" \
  "$src/sim/workload" "$src/sim/sweep" "$src/sim/report" "$src/sim/capacity" \
  "$src/sim/platform/PlatformSpec.hpp" "$src/sim/platform/PlatformSpec.cpp" \
  "$src/sim/platform/PlatformXml.hpp" "$src/sim/platform/PlatformXml.cpp" || true)
if [ -n "$offenders" ]; then
  echo "SimGrid included by pure-model files:"; echo "$offenders"; status=1
fi
if ldd "$bin" | grep -q simgrid; then
  echo "$bin links SimGrid, but it only uses the pure model library"; status=1
fi
[ $status -eq 0 ] && echo "ok: the model library neither includes nor links SimGrid"
exit $status
