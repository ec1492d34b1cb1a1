#!/usr/bin/env python3
"""Head-to-head timing that a noisy machine cannot tilt: runs two commands alternately, so both
see the same moments of the machine, and reports each one's median, their ratio, and the median
of the per-pair ratios. A third command, `true`, runs in the same rotation to measure what starting a
process from here costs; it is subtracted from both medians.

usage: bench/paired.py RUNS OUT.json NAME_A 'COMMAND A' NAME_B 'COMMAND B'
(commands are split like a shell would, but run without one; the environment is inherited)
"""

import json
import shlex
import statistics
import subprocess
import sys
import time


def once(argv):
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main():
    runs, out, name_a, cmd_a, name_b, cmd_b = sys.argv[1:7]
    runs = int(runs)
    a, b, t = shlex.split(cmd_a), shlex.split(cmd_b), ["true"]
    for _ in range(3):
        once(a), once(b), once(t)
    ta, tb, tt, ratios = [], [], [], []
    for i in range(runs):
        # Alternate who goes first, so neither always follows the other.
        order = [(a, ta), (b, tb)] if i % 2 == 0 else [(b, tb), (a, ta)]
        for argv, into in order:
            into.append(once(argv))
        tt.append(once(t))
        ratios.append(tb[-1] / ta[-1])
    spawn = statistics.median(tt)
    ma, mb = statistics.median(ta) - spawn, statistics.median(tb) - spawn
    result = {
        "runs": runs,
        "spawn_ms": spawn * 1e3,
        "a": name_a,
        "b": name_b,
        "a_ms": ma * 1e3,
        "b_ms": mb * 1e3,
        # b ÷ a on the medians less the cost of starting a process from Python.
        "ratio": mb / ma,
        # b ÷ a pair by pair, start-up included (so nearer 1 than the truth).
        "median_pair_ratio": statistics.median(ratios),
    }
    json.dump(result, open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
