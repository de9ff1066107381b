#!/usr/bin/env bash
# Runs every notebook headless, as CI does: packs the libraries into artifacts/packages (the notebooks load them with
# `#r "nuget: AgentPassport, 0.1.0-local"`), then executes each notebook with the pinned dotnet-repl local tool and
# fails if any cell fails (exit code 2 from dotnet-repl, or an error output in the executed notebook).
# Usage: notebooks/run-all.sh [--no-pack] [notebook.ipynb ...]      Executed copies go to notebooks/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

pack=1
if [[ "${1:-}" == "--no-pack" ]]; then pack=0; shift; fi
started=$SECONDS

if [[ $pack == 1 ]]; then
  echo "== pack src -> artifacts/packages"
  for project in AgentPassport AgentPassport.Identity AgentPassport.Testing AgentPassport.Extensions.AI AgentPassport.SemanticKernel; do
    dotnet pack "src/$project" -c Release -nologo -v quiet
  done
fi
ls artifacts/packages/AgentPassport.0.1.0-local.nupkg >/dev/null

# NuGet never re-reads a package whose id and version it already has, and every local build is 0.1.0-local:
# drop the cached copies so the notebooks load what was just packed.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/agentpassport*

echo "== dotnet tool restore (dotnet-repl, pinned in dotnet-tools.json)"
dotnet tool restore >/dev/null

cd notebooks
mkdir -p out
if [[ $# -gt 0 ]]; then notebooks=("$@"); else notebooks=([0-9]*.ipynb); fi
failed=0
for notebook in "${notebooks[@]}"; do
  notebook=$(basename "$notebook")
  t0=$SECONDS
  set +e
  dotnet repl --run "$notebook" --exit-after-run --output-path "out/$notebook" </dev/null
  rc=$?
  set -e
  # dotnet-repl exits 2 when a cell fails; also read the executed notebook, so a crash or a silent failure is caught too.
  errors=$(python3 - "out/$notebook" <<'PY'
import json, sys
try:
    cells = json.load(open(sys.argv[1], encoding="utf-8"))["cells"]
except Exception as e:  # no output notebook: the run itself failed
    print(f"  (no executed notebook: {e})"); sys.exit()
for i, cell in enumerate(cells, 1):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            print(f"  cell {i}: {out.get('ename')}: {out.get('evalue', '')[:400]}")
PY
)
  if [[ $rc -ne 0 || -n "$errors" ]]; then
    failed=$((failed + 1))
    echo "FAIL $notebook (exit $rc, $((SECONDS - t0)) s)"
    [[ -n "$errors" ]] && echo "$errors"
  else
    echo "ok   $notebook ($((SECONDS - t0)) s)"
  fi
done

echo "== notebooks: $((${#notebooks[@]} - failed)) passed, $failed failed ($((SECONDS - started)) s)"
[[ $failed -eq 0 ]]
