#!/usr/bin/env bash
# Packs every shipping project (src/*) into artifacts/packages and checks what a user would get from NuGet:
#   - each .nupkg carries its README.md (declared as the package readme) and the LICENSE file, declares Apache-2.0,
#     the repository and project URLs, a description and tags; a .snupkg (symbols) lies beside it;
#   - AgentPassport.Cli is a .NET tool: it is installed from the packed folder into a temporary tool path (with a
#     temporary NuGet cache, so neither the user's global tools nor ~/.nuget/packages are touched) and
#     `agent-passport --version` must print the packed version.
# Prints "ok   <check>" or "FAIL <check>: why" per check (CI counts them) and exits non-zero if any check failed.
# Extra arguments go to `dotnet pack` (CI passes `--no-build -c Debug` after its own build; default: a Release build).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
out="$root/artifacts/packages"
work=$(mktemp -d "${TMPDIR:-/tmp}/agent-passport-packages.XXXXXX")
trap 'rm -rf "$work"' EXIT

pack_args=("$@")
if [ ${#pack_args[@]} -eq 0 ]; then pack_args=(-c Release); fi

rm -f "$out"/*.nupkg "$out"/*.snupkg
if ! dotnet pack AgentPassport.SemanticKernel.sln -o "$out" --nologo -v quiet "${pack_args[@]}" > "$work/pack.log" 2>&1; then
  cat "$work/pack.log"
  echo "FAIL dotnet pack: see the log above"
  exit 1
fi

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
failed=0
python3 - "$out" "$version" src/*/ <<'PY' || failed=1
import os, re, sys, zipfile
out, version, project_dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
expected = sorted(os.path.basename(d.rstrip("/")) for d in project_dirs if os.path.exists(os.path.join(d, os.path.basename(d.rstrip("/")) + ".csproj")))
license_text = open("LICENSE", encoding="utf-8").read()
bad = 0
for pid in expected:
    problems = []
    nupkg = os.path.join(out, f"{pid}.{version}.nupkg")
    if not os.path.exists(nupkg):
        print(f"FAIL {pid}: no {os.path.basename(nupkg)} was packed"); bad += 1; continue
    with zipfile.ZipFile(nupkg) as z:
        names = set(z.namelist())
        nuspec = z.read(f"{pid}.nuspec").decode("utf-8")
        readme = z.read("README.md").decode("utf-8") if "README.md" in names else None
        packed_license = z.read("LICENSE").decode("utf-8") if "LICENSE" in names else None
    def tag(name):
        m = re.search(rf"<{name}(?:\s[^>]*)?>(.*?)</{name}>", nuspec, re.S)
        return m.group(1).strip() if m else ""
    if readme is None: problems.append("README.md is not in the package")
    elif tag("readme") != "README.md": problems.append("the nuspec does not declare README.md as its readme")
    elif not readme.startswith("# "): problems.append("README.md does not start with a title")
    if packed_license is None: problems.append("LICENSE is not in the package")
    elif packed_license != license_text: problems.append("the packed LICENSE differs from the repository's")
    if not re.search(r'<license type="expression">Apache-2.0</license>', nuspec): problems.append("no Apache-2.0 license expression")
    if not re.search(r'<repository type="git" url="https://github\.com/[^"]+"', nuspec): problems.append("no git repository URL")
    if not tag("projectUrl").startswith("https://"): problems.append("no project URL")
    if len(tag("description")) < 40: problems.append("the description is missing or too short")
    if not tag("tags"): problems.append("no tags")
    if not os.path.exists(nupkg[:-len(".nupkg")] + ".snupkg"): problems.append("no .snupkg symbols package beside it")
    if pid == "AgentPassport.Cli" and '<packageType name="DotnetTool"' not in nuspec: problems.append("not packed as a .NET tool")
    if problems:
        bad += 1
        print(f"FAIL {pid}: " + "; ".join(problems))
    else:
        print(f"ok   {pid} (README, LICENSE, Apache-2.0, repository, description, tags, symbols)")
sys.exit(1 if bad else 0)
PY

# Install the tool exactly as a user would, but into throw-away places.
export NUGET_PACKAGES="$work/nuget-packages" NUGET_HTTP_CACHE_PATH="$work/nuget-http-cache"
if ! dotnet tool install AgentPassport.Cli --version "$version" --add-source "$out" --tool-path "$work/tools" > "$work/install.log" 2>&1; then
  cat "$work/install.log"
  echo "FAIL AgentPassport.Cli tool install from $out"
  failed=1
elif ! printed=$("$work/tools/agent-passport" --version 2>&1); then
  echo "$printed"
  echo "FAIL agent-passport --version: exit code non-zero"
  failed=1
elif [[ "$printed" != "$version"* ]]; then
  echo "FAIL agent-passport --version: printed '$printed', expected $version"
  failed=1
else
  echo "ok   agent-passport --version (installed from the packed folder): $printed"
fi

exit $failed
