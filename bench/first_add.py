#!/usr/bin/env python3
"""What the automatic backup costs the first `add` of a day (docs/backups.md), at each size.

usage: bench/first_add.py UPWARD UPWARD_BENCH WORKDIR RUNS SIZE...

For each SIZE: generates a workspace of SIZE items (`upward-bench generate`) as
WORKDIR/SIZE/upward.db, then times, taking turns so both meet the same moments of the machine:
  first  - `upward add note …` with no copy of today in backups/ (removed before each run): the
           add copies the database, checks the copy with integrity_check, then writes;
  later  - the same `add` with today's copy there: what every other add of the day costs.
and, separately, `upward backup` (the copy alone) and `upward doctor` (every check). Prints a
markdown table of medians and fastest runs (ms) and the database and copy sizes; the raw times
go to WORKDIR/first_add.json. "Now" is fixed (UPWARD_NOW=2026-11-23), as in bench/compare.sh.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time


def timed(argv, env):
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1e3


def main():
    upward, gen, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    sizes = [int(s) for s in sys.argv[5:]]
    env = dict(os.environ, UPWARD_NOW="2026-11-23", NO_COLOR="1")
    env.pop("UPWARD_CONFIG", None)
    results = {}
    print("| items | database | first add of the day | a later add | ratio | `upward backup` | `upward doctor` |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        d = os.path.join(work, str(n))
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        db = os.path.join(d, "upward.db")
        subprocess.run([gen, "generate", db, str(n)], env=env, stdout=subprocess.DEVNULL, check=True)
        run_env = dict(env, UPWARD_DB=db)
        copy = os.path.join(d, "backups", "upward-2026-11-23.db")
        add = [upward, "add", "note", "Benchmark note"]
        # Warm the page cache and make today's copy once.
        for _ in range(3):
            timed(add, run_env)
        first, later, backup, doctor = [], [], [], []
        for i in range(runs):
            order = ["first", "later"] if i % 2 == 0 else ["later", "first"]
            for which in order:
                if which == "first":
                    os.remove(copy)
                    first.append(timed(add, run_env))
                else:
                    later.append(timed(add, run_env))
        for _ in range(max(5, runs // 4)):
            backup.append(timed([upward, "backup"], run_env))
            doctor.append(timed([upward, "doctor"], run_env))
        size = os.path.getsize(db) / 1e6
        copy_size = os.path.getsize(copy) / 1e6
        med = statistics.median
        results[n] = {
            "database_mb": size,
            "copy_mb": copy_size,
            "first_ms": first,
            "later_ms": later,
            "backup_ms": backup,
            "doctor_ms": doctor,
        }
        print(
            f"| {n:,} | {size:.1f} MB | {med(first):.1f} ({min(first):.1f}) | "
            f"{med(later):.1f} ({min(later):.1f}) | {med(first) / med(later):.1f}× | "
            f"{med(backup):.1f} ({min(backup):.1f}) | {med(doctor):.1f} ({min(doctor):.1f}) |"
        )
        sys.stdout.flush()
    with open(os.path.join(work, "first_add.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
