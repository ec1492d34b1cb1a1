#!/usr/bin/env python3
"""Each page of `upward serve` against the command line doing the same workflow, side by side.

usage: bench/serve-vs-cli.py UPWARD DB [RUNS]

UPWARD is the (release) binary, DB a workspace (bench/generate DB 50000). Starts
`UPWARD serve --no-open --port 0` on DB (127.0.0.1 only; stopped at the end), then for each
workflow takes turns: the whole command-line process (`UPWARD --db DB …`, as a user runs it),
then the same workflow's page fetched over one kept-alive connection on loopback (the time
from sending the request to the last byte of the answer: the server's time plus loopback, an
upper bound of it). RUNS rounds (default 21) after 3 warm-up rounds; prints a markdown table of
the medians, the page's size and whether the page took at most the command's time.
UPWARD_NOW is fixed to 2026-11-23 for both.
"""

import http.client
import os
import statistics
import subprocess
import sys
import time

# (workflow, page path, command-line arguments)
WORKFLOWS = [
    ("Today (nudges)", "/", ["nudges"]),
    ("Agenda (prep)", "/agenda", ["prep"]),
    ("Agenda to share", "/agenda?shared=1", ["prep", "--shared"]),
    ("Update", "/update", ["update"]),
    ("Review", "/review", ["review"]),
    ("Review packet (file)", "/review/packet.html", ["review", "--format", "html"]),
    ("Items (list)", "/items", ["list"]),
    ("Items: risks", "/items?kind=risk", ["list", "risk"]),
    ("An item (show)", "/items/1", ["show", "1"]),
    ("People", "/people", ["person", "list"]),
    ("Search", "/search?q=latency", ["search", "latency"]),
    ("Intake", "/intake?title=New+dashboard&from=Dana&due=2w&effort=5d",
     ["intake", "New dashboard", "--from", "Dana", "--due", "2w", "--effort", "5d"]),
    ("1:1s (meetings)", "/meetings", ["meetings"]),
    ("API: prep", "/api/v1/prep", ["prep", "--json"]),
    ("API: items", "/api/v1/items?kind=risk", ["list", "risk", "--json"]),
    ("Export (JSON)", "/api/v1/export", ["export"]),
]


def main():
    upward, db = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 21
    env = dict(os.environ, UPWARD_NOW="2026-11-23", NO_COLOR="1", UPWARD_DB=db)
    env.pop("UPWARD_CONFIG", None)
    server = subprocess.Popen(
        ["timeout", "900", upward, "serve", "--no-open", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = server.stdout.readline().strip()
        if not line.startswith("upward is at "):
            sys.exit(f"serve-vs-cli: upward serve printed {line!r}")
        url = line[len("upward is at "):]
        hostport = url.split("//", 1)[1].split("/", 1)[0]
        token = url.split("token=", 1)[1]
        conn = http.client.HTTPConnection(hostport, timeout=60)
        headers = {"Authorization": f"Bearer {token}", "Host": hostport}

        def page(path):
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            body = r.read()
            elapsed = time.perf_counter() - start
            if r.status != 200:
                sys.exit(f"serve-vs-cli: {path} answered {r.status}: {body[:200]!r}")
            return elapsed, len(body)

        def command(args):
            start = time.perf_counter()
            subprocess.run(
                [upward, *args], env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, check=True,
            )
            return time.perf_counter() - start

        print(f"{runs} rounds taking turns, after 3 warm-up rounds; medians in ms\n")
        print("| workflow | page | size | page (server + loopback) | command (whole process) | page ÷ command | met |")
        print("|---|---|---:|---:|---:|---:|---|")
        for name, path, args in WORKFLOWS:
            for _ in range(3):
                command(args)
                page(path)
            pages, commands, size = [], [], 0
            for i in range(runs):
                if i % 2 == 0:
                    commands.append(command(args))
                    t, size = page(path)
                else:
                    t, size = page(path)
                    commands.append(command(args))
                pages.append(t)
            mp, mc = statistics.median(pages) * 1000, statistics.median(commands) * 1000
            met = "yes" if mp <= mc else "no"
            print(
                f"| {name} | `{path}` | {size / 1024:.0f} KiB | {mp:.2f} | {mc:.2f} | "
                f"{mp / mc:.2f} | {met} |"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
