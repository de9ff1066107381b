#!/usr/bin/env bash
# Runs the three walk-throughs in both forms, as CI does (.ci/run calls this script):
#   * the .NET 10 file-based apps, notebooks/NN-*.cs: `dotnet run notebooks/NN-*.cs`, built from source through their
#     #:project directives (nothing packed);
#   * the Polyglot notebooks, notebooks/NN-*.ipynb: packs src/* into artifacts/packages, then executes each notebook
#     headless with the dotnet-repl local tool pinned in dotnet-tools.json. The notebooks' packages are restored into a
#     private package folder, artifacts/notebooks/nuget-packages (NUGET_PACKAGES), so the user's ~/.nuget/packages is
#     never changed and a re-packed 0.1.0-local is always the one loaded (only the private copies are dropped).
# Usage: notebooks/run-all.sh [--no-pack] [--update] [NAME ...]    NAME: 01-quickstart.cs, 02-kernel-filter.ipynb, ...
#   --no-pack  use the packages already in artifacts/packages
#   --update   copy the executed notebooks over notebooks/*.ipynb (commit them: GitHub shows their outputs)
# Prints "ok   NAME (S s)" or "FAIL NAME (...)" per walk-through (.ci/run counts these lines), then a summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

pack=1
update=0
while [[ "${1:-}" == --* ]]; do
  case "$1" in
    --no-pack) pack=0 ;;
    --update) update=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
started=$SECONDS
if [[ $# -gt 0 ]]; then names=("$@"); else names=(); for f in notebooks/[0-9]*.cs notebooks/[0-9]*.ipynb; do names+=("$(basename "$f")"); done; fi
passed=0
failed=0
out="$root/notebooks/out"
mkdir -p "$out"

report() { # name rc seconds [details]
  if [[ $2 -eq 0 ]]; then passed=$((passed + 1)); echo "ok   $1 ($3 s)"; else failed=$((failed + 1)); echo "FAIL $1 (exit $2, $3 s)"; [[ -n "${4:-}" ]] && echo "$4"; fi
  return 0
}

# --- the file-based apps -------------------------------------------------------------------------------------------
for name in "${names[@]}"; do
  [[ "$name" == *.cs ]] || continue
  t0=$SECONDS
  set +e
  dotnet run "notebooks/$name" > "$out/${name%.cs}.txt" 2>&1 </dev/null
  rc=$?
  set -e
  report "$name" $rc $((SECONDS - t0)) "$( [[ $rc -ne 0 ]] && tail -n 20 "$out/${name%.cs}.txt" | sed 's/^/  /')"
done

# --- the notebooks -------------------------------------------------------------------------------------------------
notebooks=()
for name in "${names[@]}"; do [[ "$name" == *.ipynb ]] && notebooks+=("$name"); done
if [[ ${#notebooks[@]} -gt 0 ]]; then
  if [[ $pack == 1 ]]; then
    echo "== pack src -> artifacts/packages"
    for project in AgentPassport AgentPassport.Testing AgentPassport.Extensions.AI AgentPassport.SemanticKernel; do
      dotnet pack "src/$project" -c Release -nologo -v quiet
    done
  fi
  ls artifacts/packages/AgentPassport.0.1.0-local.nupkg >/dev/null

  # Every local build is 0.1.0-local and NuGet never re-reads a version it already holds: restore into a private
  # folder and drop only its copies of this repository's packages (never the user's ~/.nuget/packages).
  echo "== dotnet tool restore (dotnet-repl, pinned in dotnet-tools.json)"
  dotnet tool restore >/dev/null
  export NUGET_PACKAGES="$root/artifacts/notebooks/nuget-packages"
  mkdir -p "$NUGET_PACKAGES"
  rm -rf "$NUGET_PACKAGES"/agentpassport*

  cd notebooks
  for notebook in "${notebooks[@]}"; do
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
    if [[ -n "$errors" && $rc -eq 0 ]]; then rc=1; fi
    report "$notebook" $rc $((SECONDS - t0)) "$errors"
    if [[ $rc -eq 0 && $update == 1 ]]; then
      python3 "$root/notebooks/tidy-outputs.py" "out/$notebook" "$notebook"
    fi
  done
  cd ..
fi

echo "== walk-throughs: $passed passed, $failed failed ($((SECONDS - started)) s)"
[[ $failed -eq 0 ]]
