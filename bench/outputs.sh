#!/usr/bin/env bash
# bench/outputs.sh BIN DB OUTDIR: every read command's output (stdout, stderr and exit code),
# as text and with --json, for every person, several review windows, list filters, search,
# show and export, one file per invocation into OUTDIR (emptied first). Run it with two builds
# on copies of the same database and `diff -r` the two directories: a change that must not
# alter what a command says shows no difference. Writes nothing to the database (intake
# without --accept, decline and the rest only read); `UPWARD_NOW` is fixed so dates agree.
#
#   cp db a.db; cp db b.db
#   bench/outputs.sh old/upward a.db /tmp/out-old
#   bench/outputs.sh new/upward b.db /tmp/out-new
#   diff -r /tmp/out-old /tmp/out-new && echo identical
set -euo pipefail
bin=$1 db=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
export UPWARD_NOW="${UPWARD_NOW:-2026-11-23}" NO_COLOR=1
unset UPWARD_CONFIG UPWARD_DB
i=0
run() {
  i=$((i + 1))
  local f
  f="$out/$(printf %03d $i)"
  { "$bin" --db "$db" "$@" && echo "exit 0" || echo "exit $?"; } >"$f.out" 2>&1
  { "$bin" --db "$db" --json "$@" && echo "exit 0" || echo "exit $?"; } >"$f.json" 2>&1
  sed -i "s|$db|DB|g" "$f.out" "$f.json"
  echo "$*" >>"$out/index"
}
people=$("$bin" --db "$db" --json person list --all |
  python3 -c 'import json,sys; print("\n".join(p["name"] for p in json.load(sys.stdin)))')
run prep
run nudges
run update
run review
while IFS= read -r p; do
  run prep "$p"
  run update "$p"
  run update "$p" --since 2026-01-01
  run update "$p" --channel email
  run person show "$p"
  run intake "Audit log export" --from "$p" --due 2026-12-21 --effort 5d
done <<<"$people"
for f in 2026-11-01 2026-05-23 2025-11-23 2025-01-01 2016-01-01 2000-01-01; do
  run review --from $f
  run review --from $f --format html
  run review --from $f --format md
done
run review --from 2025-01-01 --to 2025-06-30
run review --from 2026-06-01 --to 2026-11-23 --format md
for k in "" win priority risk blocker promise action feedback goal topic note idea expectation; do
  # shellcheck disable=SC2086
  run list $k
  # shellcheck disable=SC2086
  run list $k --status all
done
run list note --since 2026-10-01
run list --with Dana --status done
run list --tag perf
run search latency
run search "checkout latency"
run search dana
run search latency --limit 1000
run show 1
run show 25000
run show 49999
run export
run export --format md
run person list
run person list --all
run intake "New dashboard" --from Dana --due 2w --effort 5d
run decline "New dashboard" --from Dana --reason "no capacity"
run config
echo "$i invocations, each as text and --json, into $out" >&2
