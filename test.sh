#!/usr/bin/env bash
# The project's one test command (README and .ci/run run exactly this).
# It installs what the tests need on a fresh machine, builds in Release, runs every test project,
# and ends with one summary line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

./scripts/ensure-deps.sh || { echo "test.sh: could not install the test dependencies (see above)"; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet build ActorNet.sln -c Release -nologo -clp:ErrorsOnly || { echo "test.sh: build failed"; exit 1; }
# -m:1: one test assembly at a time, so the data plane's spinning cross-process tests do not starve the
# timing-sensitive actor and cluster tests of the two cores.
dotnet test ActorNet.sln -c Release --no-build -nologo -m:1 "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# Sum the per-project result lines, e.g. "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12".
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
# A test host that crashed ("Test Run Aborted") reports no failed count of its own: count each as a failure.
aborted=$(grep -c 'Test Run Aborted' "$log" || true)
if [ "$aborted" -gt 0 ]; then
  echo "test.sh: $aborted test run(s) aborted (a test host crashed; see above)"
  failed=$((failed + aborted))
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
