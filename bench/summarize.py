#!/usr/bin/env python3
"""Turns bench/work (hyperfine JSON, peak RSS, sizes) into the markdown tables of RESULTS.md.

usage: bench/summarize.py bench/work
"""

import json
import os
import sys

TARGET_MS = 20.0
TARGET_RSS_MB = 30.0
TARGET_GROWTH = 3.0

UPWARD = [
    ("add", "upward-add"),
    ("list open items", "upward-list"),
    ("search", "upward-search"),
    ("prep", "upward-prep"),
    ("nudges", "upward-nudges"),
    ("update", "upward-update"),
    ("review", "upward-review"),
    ("intake", "upward-intake"),
]

# (operation, upward, peer, peer label, how much faster upward must be: 1 = not slower)
VERSUS = [
    ("add an entry", "upward-add", "jrnl-add", "jrnl", 10.0),
    ("add an entry", "upward-add", "task-add", "task add", 1.0),
    ("list open items", "upward-list", "task-list", "task list", 1.0),
    ("full-text search", "upward-search", "jrnl-search", "jrnl -contains", 20.0),
    ("full-text search", "upward-search", "rg-by-month", "rg, a file per month", 1.0),
    ("full-text search", "upward-search", "rg-by-item", "rg, a file per item", 1.0),
]


def load(work, n, name, stat="median"):
    path = os.path.join(work, str(n), name + ".json")
    if not os.path.exists(path):
        return None
    r = json.load(open(path))["results"][0]
    return r[stat] * 1000.0


def rss(work, n):
    out = {}
    path = os.path.join(work, str(n), "rss.tsv")
    if os.path.exists(path):
        for line in open(path):
            name, kb = line.split("\t")
            out[name] = int(kb) / 1024.0
    return out


def kv(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            if ":" in line:
                k, v = line.split(":", 1)
                out[k.strip()] = v.strip()
    return out


def ms(v):
    if v is None:
        return "–"
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else "bench/work"
    sizes = sorted(int(d) for d in os.listdir(work) if d.isdigit())
    if not sizes:
        sys.exit("no results under " + work)
    big, small = sizes[-1], sizes[0]
    out = []
    p = out.append

    p("## Workspaces\n")
    p("| items | open | meetings | database | journal (jrnl) | markdown | files matching the word | generated in |")
    p("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        g = json.load(open(os.path.join(work, str(n), "generate.json")))
        s = kv(os.path.join(work, str(n), "sizes.txt"))
        mb = lambda k: f"{int(s.get(k, 0)) / 1e6:.1f} MB"
        p(
            f"| {n:,} | {g['open']:,} | {g['meetings']} | {mb('db_bytes')} | {mb('journal_bytes')} "
            f"| {mb('markdown_bytes')} | {s.get('matching', '–')} | {g['total_seconds']:.1f} s |"
        )

    p(f"\n## upward against the tools people would otherwise use (median ms, {big:,} items)\n")
    p("| operation | upward | peer | peer ms | peer ÷ upward | target | met |")
    p("|---|---:|---|---:|---:|---|---|")
    for op, ours, theirs, label, factor in VERSUS:
        a, b = load(work, big, ours), load(work, big, theirs)
        if a is None or b is None:
            continue
        ratio = b / a
        target = "not slower" if factor == 1.0 else f"≥ {factor:.0f}× faster"
        p(f"| {op} | {ms(a)} | {label} | {ms(b)} | {ratio:.1f}× | {target} | {'yes' if ratio >= factor else '**no**'} |")

    p("\n### The same, the two commands taking turns (median ms less process start; 60 pairs)\n")
    p("| comparison | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    p("|---|" + "---:|" * len(sizes))
    for key, label in [("add", "upward add vs task add"), ("list", "upward list vs task list"),
                       ("search", "upward search vs rg, a file per month")]:
        cells = []
        for n in sizes:
            path = os.path.join(work, str(n), f"paired-{key}.json")
            if not os.path.exists(path):
                cells.append("–")
                continue
            r = json.load(open(path))
            cells.append(f"{r['a_ms']:.1f} vs {r['b_ms']:.1f}: {r['ratio']:.1f}×")
        p(f"| {label} | " + " | ".join(cells) + " |")

    p("\n### At every size (median ms)\n")
    names = [("upward-add", "upward add"), ("upward-add-nofsync", "upward add, fsync off (attribution only)"),
             ("jrnl-add", "jrnl add"), ("task-add", "task add"), ("upward-list", "upward list"),
             ("task-list", "task list"), ("upward-search", "upward search"), ("jrnl-search", "jrnl -contains"),
             ("rg-by-month", "rg, a file per month"), ("rg-by-item", "rg, a file per item")]
    p("| command | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    p("|---|" + "---:|" * len(sizes))
    for key, label in names:
        row = [load(work, n, key) for n in sizes]
        if all(v is None for v in row):
            continue
        p(f"| {label} | " + " | ".join(ms(v) for v in row) + " |")

    p(f"\n## upward's commands (median ms, fastest run in brackets; peak RSS at {big:,} items)\n")
    p("| command | " + " | ".join(f"{n:,}" for n in sizes)
      + f" | {big:,} ÷ {small:,} | ≤ {TARGET_MS:.0f} ms | ≤ {TARGET_GROWTH:.0f}× | peak RSS | ≤ {TARGET_RSS_MB:.0f} MB |")
    p("|---|" + "---:|" * len(sizes) + "---:|---|---|---:|---|")
    peak = rss(work, big)
    for label, key in UPWARD:
        row = [load(work, n, key) for n in sizes]
        low = [load(work, n, key, "min") for n in sizes]
        if row[-1] is None:
            continue
        growth = row[-1] / row[0] if row[0] else float("nan")
        low_growth = low[-1] / low[0] if low[0] else float("nan")
        mem = peak.get(key)
        p(
            f"| {label} | " + " | ".join(f"{ms(v)} ({ms(m)})" for v, m in zip(row, low))
            + f" | {growth:.1f}× ({low_growth:.1f}×) | {'yes' if row[-1] <= TARGET_MS else '**no**'}"
            + f" | {'yes' if growth <= TARGET_GROWTH else '**no**'}"
            + f" | {mem:.1f} MB | {'yes' if mem is not None and mem <= TARGET_RSS_MB else '**no**'} |"
        )

    p(f"\n## Peak RSS (MB, largest of three runs)\n")
    keys = sorted({k for n in sizes for k in rss(work, n)})
    p("| command | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    p("|---|" + "---:|" * len(sizes))
    for key in keys:
        row = [rss(work, n).get(key) for n in sizes]
        p(f"| {key} | " + " | ".join("–" if v is None else f"{v:.1f}" for v in row) + " |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
