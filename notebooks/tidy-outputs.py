#!/usr/bin/env python3
"""Copies the outputs of an executed notebook (dotnet-repl's copy) into the committed notebook, cell by cell.

Usage: tidy-outputs.py EXECUTED.ipynb NOTEBOOK.ipynb   (run-all.sh --update calls it)
The committed notebook keeps its own sources and metadata. Left out: HTML that needs a script (the mermaid.js drawing;
the Markdown ```mermaid output next to it is what GitHub draws), empty outputs, and all but the last of the package
restore's progress updates. The repository's absolute path is written as <repository>.
"""
import json
import os
import sys

executed_path, notebook_path = sys.argv[1], sys.argv[2]
executed = json.load(open(executed_path, encoding="utf-8"))["cells"]
notebook = json.load(open(notebook_path, encoding="utf-8"))
cells = notebook["cells"]
if len(executed) != len(cells):
    sys.exit(f"{executed_path} has {len(executed)} cells, {notebook_path} {len(cells)}")

root = os.path.dirname(os.path.dirname(os.path.abspath(notebook_path)))


def scrub(value):
    if isinstance(value, str):
        return value.replace(root, "<repository>")
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    return value


def text_of(out):
    return "".join(out.get("text", [])) + "".join("".join(v) if isinstance(v, list) else str(v) for v in out.get("data", {}).values())


count = 0
for mine, run in zip(cells, executed):
    if mine["cell_type"] != "code":
        continue
    count += 1
    outputs = []
    for out in run.get("outputs", []):
        data = out.get("data", {})
        html = "".join(data.get("text/html", []))
        if "<script" in html or not text_of(out).strip():
            continue
        if "Restore sources" in html and outputs and "Restore sources" in "".join(outputs[-1].get("data", {}).get("text/html", [])):
            outputs[-1] = out  # a progress update of the same display: keep the latest
            continue
        outputs.append(out)
    mine["outputs"] = scrub(outputs)
    mine["execution_count"] = count

with open(notebook_path, "w", encoding="utf-8") as f:
    json.dump(notebook, f, indent=1, ensure_ascii=False)
    f.write("\n")
