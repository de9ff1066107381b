#!/usr/bin/env bash
# Rewrites each src project's .PublicAPI/PublicAPI.Unshipped.txt from the code, with the PublicApiAnalyzers' own code fix.
#
#   eng/update-public-api.sh                 # every project under src/
#   eng/update-public-api.sh AgentPassport   # only src/AgentPassport (several names may be given)
#
# For each project: creates .PublicAPI/PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt if missing, empties Unshipped (keeping
# '#nullable enable' and any '*REMOVED*' lines, which record removals of shipped members) and lets
# `dotnet format analyzers` declare every public member that Shipped does not list (RS0016, RS0037). Members that are
# gone disappear with the reset. Then review the diff: it is the change to the package's public API.
# A shipped member that was removed or changed still fails the build (RS0017): write it into Unshipped prefixed with
# '*REMOVED*' by hand; that is a breaking change (see the versioning policy in the README).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -gt 0 ]; then
  projects=()
  for name in "$@"; do projects+=("src/$name/$name.csproj"); done
else
  projects=(src/*/*.csproj)
fi

for project in "${projects[@]}"; do
  [ -f "$project" ] || { echo "no such project: $project" >&2; exit 2; }
  dir=$(dirname "$project")/.PublicAPI
  mkdir -p "$dir"
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  unshipped="$dir/PublicAPI.Unshipped.txt"
  removed=$(grep '^\*REMOVED\*' "$unshipped" 2>/dev/null || true)
  { printf '#nullable enable\n'; [ -z "$removed" ] || printf '%s\n' "$removed"; } > "$unshipped"
  echo "== $project"
  dotnet format analyzers "$project" --diagnostics RS0016 RS0037 --severity info
done

git --no-pager diff --stat -- 'src/*/.PublicAPI/*.txt' || true
echo "Done. Build to check: dotnet build AgentPassport.SemanticKernel.sln"
