#!/usr/bin/env bash
# CI entry for the performance figures: builds the benchmarks in Release and runs the quick mode (< 1 minute),
# which prints a JSON summary and writes artifacts/bench/summary.json. It never fails on a figure: the exit code is
# non-zero only when the build or the run itself breaks. Then draws docs' chain chart into artifacts/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build bench/AgentPassport.Benchmarks -c Release --nologo -v quiet
dotnet bench/AgentPassport.Benchmarks/bin/Release/net10.0/AgentPassport.Benchmarks.dll --quick --out artifacts/bench/summary.json "$@"
python3 bench/plot_chain.py artifacts/bench/summary.json artifacts/bench/performance-chain.svg

# One line per target for the log; informational only.
python3 - <<'PY'
import json
d = json.load(open("artifacts/bench/summary.json"))
met = sum(1 for t in d["targets"] if t["met"])
print(f"bench: {met}/{len(d['targets'])} targets met (informational; CI does not fail on figures)")
for t in d["targets"]:
    print(f"  {'met ' if t['met'] else 'MISS'} {t['ratio']:>9} {t['comparison']} {t['target']} {t['unit']}  {t['name']}")
PY
