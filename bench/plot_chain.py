#!/usr/bin/env python3
"""Draws chain length vs verify time (cold, new leaf with cached parents, full cache hit, N x raw verify) as an SVG.

Standard library only. Usage: plot_chain.py [summary.json] [out.svg]
(defaults: artifacts/bench/summary.json -> docs/performance-chain.svg)
"""
import json
import sys
from xml.sax.saxutils import escape

src = sys.argv[1] if len(sys.argv) > 1 else "artifacts/bench/summary.json"
out = sys.argv[2] if len(sys.argv) > 2 else "docs/performance-chain.svg"
data = json.load(open(src, encoding="utf-8"))
series = data["chain_series"]

W, H = 840, 440
left, right, top, bottom = 70, 250, 40, 60
pw, ph = W - left - right, H - top - bottom
xs = [p["tokens"] for p in series]
ymax = max(max(p["cold_us"], p["raw_verify_times_n_us"]) for p in series) * 1.08
step = 100 if ymax <= 1200 else 200


def x(n):
    return left + (n - min(xs)) / (max(xs) - min(xs)) * pw


def y(v):
    return top + ph - v / ymax * ph


lines = [
    ("raw_verify_times_n_us", "N × raw ECDsa.VerifyData", "#888888", "6,4"),
    ("cold_us", "chain, cold", "#c0392b", None),
    ("new_leaf_parents_cached_us", "new leaf, parents cached", "#2471a3", None),
    ("cache_hit_us", "whole chain cached (hit)", "#1e8449", None),
]

svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{left}" y="22" font-size="14" font-weight="bold">Passport chain verification time vs chain length (ES256, median µs)</text>']
v = 0
while v <= ymax:
    svg.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + pw}" y2="{y(v):.1f}" stroke="#e5e5e5"/>')
    svg.append(f'<text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
    v += step
for n in xs:
    svg.append(f'<text x="{x(n):.1f}" y="{top + ph + 18}" text-anchor="middle">{n}</text>')
svg.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="black"/>')
svg.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="black"/>')
svg.append(f'<text x="{left + pw / 2}" y="{H - 18}" text-anchor="middle">tokens in the chain (1 = a root Passport; 9 = root + 8 delegation hops)</text>')
svg.append(f'<text transform="translate(18,{top + ph / 2}) rotate(-90)" text-anchor="middle">µs per verification</text>')

for i, (key, label, color, dash) in enumerate(lines):
    pts = " ".join(f"{x(p['tokens']):.1f},{y(p[key]):.1f}" for p in series)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    svg.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"{dash_attr}/>')
    for p in series:
        svg.append(f'<circle cx="{x(p["tokens"]):.1f}" cy="{y(p[key]):.1f}" r="3" fill="{color}"/>')
    ly = top + 20 + i * 22
    svg.append(f'<line x1="{left + pw + 15}" y1="{ly}" x2="{left + pw + 40}" y2="{ly}" stroke="{color}" stroke-width="2"{dash_attr}/>')
    svg.append(f'<text x="{left + pw + 46}" y="{ly + 4}">{escape(label)}</text>')

hit = series[-1]["cache_hit_us"]
svg.append(f'<text x="{left + pw + 15}" y="{top + 20 + len(lines) * 22 + 10}" font-size="11" fill="#1e8449">hit at 9 tokens: {hit * 1000:.0f} ns</text>')
note = f'{data.get("machine", "")}; load average {data.get("load_average", "n/a")}'
svg.append(f'<text x="{left}" y="{H - 4}" font-size="10" fill="#666">{escape(note)}</text>')
svg.append("</svg>")
open(out, "w", encoding="utf-8").write("\n".join(svg) + "\n")
print(f"wrote {out}")
