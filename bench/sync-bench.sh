#!/usr/bin/env bash
# bench/sync-bench.sh: the speed of `upward sync` against the team server (docs/sync.md), on
# loopback, on PostgreSQL and on SQLite in the same run. Not part of CI (its --smoke mode is:
# bench/smoke runs it).
#
# For each backend: writes 1 + CLIENTS pairs of accounts (a report and their manager) with one
# active space each into a throw-away PostgreSQL cluster (scripts/postgres) or a fresh SQLite
# file, as the server writes them (crates/upward-bench/src/bin/sync_spaces.rs): the first
# space's log holds OPS operations, each other space's CLIENT_OPS. Starts the release
# `upward server start --listen 127.0.0.1:0` on it and measures:
#   1. first sync: a fresh workspace of the first pair's report (`upward init`, the manager's
#      email on their person, `upward remote login`) runs `upward sync` and pulls all OPS
#      operations. Timed with hyperfine, RUNS_FIRST runs, the workspace put back to its
#      unsynced copy before each (`--prepare`);
#   2. incremental sync: on that workspace once synced, the manager adds NEW topics through
#      the API (`POST /api/v1/spaces/ID/topics`, one operation each) before each run
#      (`--prepare`, not timed), and `upward sync` pulls them; measured side by side with
#      `upward list` and an `upward sync` with nothing new, RUNS runs each, on the same
#      workspace. The goal: the incremental sync under 2x `upward list`;
#   3. the server's memory while CLIENTS clients sync at once: CLIENTS more workspaces, each
#      signed in with its own account (a report of its own space), start `upward sync` at
#      the same moment against a freshly started server. Prints the server's resident memory
#      idle, its peak sampled every 20 ms and its VmHWM (of /proc/PID/status) afterwards,
#      the wall time until the last client is done, and how many failed.
# Each sync's answer is checked (`--json`'s `pulled`): a first sync that does not pull OPS
# operations, or an incremental one that does not pull NEW, stops the script.
#
# As root (or with sudo) on Debian: installs `hyperfine` with apt-get when it is missing.
# Servers listen on 127.0.0.1 only; each is stopped after its runs (or by `timeout` if the
# script dies), every client runs under `timeout`, and the PostgreSQL cluster is deleted at
# the end.
#
# Settings (environment): OPS=10000, NEW=10, CLIENTS=100, CLIENT_OPS=1000, RUNS=30,
# RUNS_FIRST=5, BACKENDS="postgres sqlite", CARGO_TARGET_DIR (where the binaries are built),
# BIN_DIR (a directory holding release `upward` and `sync_spaces` already built, e.g. of an
# earlier commit: then nothing is built).
# UPWARD_SYNC_TIMING=1 is passed through: `upward sync` then prints each step's time on
# stderr (shown once after the runs).
#
# `--smoke`: the same steps at tiny scale (SQLite, 300 operations, 3 clients), with the
# dev-profile binaries, each sync run once and checked: for CI, no figures, nothing installed.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
smoke=""
case "${1:-}" in
--smoke) smoke=1 ;;
"") ;;
*) echo "usage: bench/sync-bench.sh [--smoke]" >&2; exit 2 ;;
esac
if [ -n "$smoke" ]; then
  ops=300 new=10 clients=3 client_ops=50 backends=sqlite
else
  ops="${OPS:-10000}"
  new="${NEW:-10}"
  clients="${CLIENTS:-100}"
  client_ops="${CLIENT_OPS:-1000}"
  backends="${BACKENDS:-postgres sqlite}"
fi
runs="${RUNS:-30}"
runs_first="${RUNS_FIRST:-5}"
export UPWARD_NOW=2026-11-23 NO_COLOR=1
unset UPWARD_CONFIG UPWARD_DB UPWARD_CREDENTIALS

step() { printf '== %s\n' "$*" >&2; }
die() { echo "bench/sync-bench.sh: $*" >&2; exit 1; }

command -v curl >/dev/null || die "needs curl"
command -v python3 >/dev/null || die "needs python3"
if [ -n "$smoke" ]; then
  cargo build --quiet --manifest-path "$root/Cargo.toml" -p upward -p upward-bench
  bin="$target/debug"
else
  if ! command -v hyperfine >/dev/null; then
    step "installing hyperfine"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends hyperfine >/dev/null
  fi
  if [ -n "${BIN_DIR:-}" ]; then
    bin="$BIN_DIR"
  else
    step "building the release binaries"
    cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p upward -p upward-bench
    bin="$target/release"
  fi
fi
upward="$bin/upward"
gen="$bin/sync_spaces"

tmp="$(mktemp -d)"
pid=""
timeout_pid=""
pg_dir=""
stop_server() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
  [ -z "$timeout_pid" ] || wait "$timeout_pid" 2>/dev/null || true
  pid=""
  timeout_pid=""
}
cleanup() {
  stop_server
  [ -z "$pg_dir" ] || "$root/scripts/postgres" stop "$pg_dir" || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# Starts the server on $url, bounded by $1 seconds; sets base and pid.
start_server() {
  : >"$tmp/server.out"
  UPWARD_TEST_ARGON2_MIN=1 timeout "$1" "$upward" server start \
    --database "$url" --listen 127.0.0.1:0 >"$tmp/server.out" 2>"$tmp/server.err" &
  timeout_pid=$!
  for _ in $(seq 300); do
    [ -s "$tmp/server.out" ] && break
    sleep 0.1
  done
  local line
  line=$(head -n1 "$tmp/server.out")
  case "$line" in
  "upward server is at "*) ;;
  *)
    cat "$tmp/server.err" >&2
    die "upward server did not print its address"
    ;;
  esac
  base=${line#upward server is at }
  base=${base%% *}
  pid=$(pgrep -P "$timeout_pid" -x upward || true)
  [ -n "$pid" ] || pid=$timeout_pid
}
mib() { awk -v f="$1:" '$1 == f {printf "%.1f", $2 / 1024}' "/proc/$pid/status"; }

# A workspace in $tmp/$1 for pair $2, signed in to the server; prints the environment
# assignments that select it.
workspace() {
  local dir="$tmp/$1" i
  i=$(printf '%03d' "$2")
  mkdir -p "$dir"
  local env=(UPWARD_DB="$dir/upward.db" UPWARD_CREDENTIALS="$dir/credentials.toml")
  env "${env[@]}" "$upward" init --me "Report $i" --manager "Manager $i" >/dev/null
  env "${env[@]}" "$upward" person set "Manager $i" email "manager$i@sync.example" >/dev/null
  printf '%s\n' "$PASSWORD" | env "${env[@]}" "$upward" remote login "$base" \
    --email "report$i@sync.example" --password-stdin >/dev/null
  echo "UPWARD_DB=$dir/upward.db UPWARD_CREDENTIALS=$dir/credentials.toml"
}

# `upward sync --json` in the workspace $1 (its assignments); prints how many it pulled.
pulled() {
  env $1 timeout 600 "$upward" sync --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pulled"])'
}

# hyperfine's JSON export to "mean ± sd (min … max), N runs" in ms, per command.
summary() {
  python3 - "$1" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    ms = lambda s: s * 1000
    print("%s\t%.1f\t%.1f\t%.1f\t%.1f\t%d" % (r["command"], ms(r["mean"]), ms(r["stddev"] or 0),
          ms(r["min"]), ms(r["max"]), len(r["times"])))
EOF
}

# Smoke: a command run once, its time in ms.
once() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

load() { awk '{print $1, $2, $3}' /proc/loadavg; }
limit=$((600 + 30 * runs + clients * 10))

for backend in $backends; do
  case "$backend" in
  postgres)
    step "starting a throw-away PostgreSQL"
    eval "$("$root/scripts/postgres" start)"
    pg_dir="$UPWARD_TEST_POSTGRES_DIR"
    url="$UPWARD_TEST_POSTGRES"
    ;;
  sqlite) url="sqlite://$tmp/server.db" ;;
  *) die "unknown backend $backend" ;;
  esac

  step "$backend: writing $((clients + 1)) spaces ($ops operations in the first, $client_ops in each other)"
  "$gen" "$url" $((clients + 1)) "$ops" "$client_ops" >"$tmp/gen.env"
  # shellcheck disable=SC1091
  . "$tmp/gen.env"
  step "$backend: $OPERATIONS operations, $RECORDS records in ${GEN_SECONDS}s"
  start_server "$limit"
  echo
  echo "### $backend: upward sync against upward server ($SPACE: $ops operations); $(nproc) cores; load average $(load) before"
  echo

  # 1. First sync.
  step "$backend: first sync of $ops operations"
  ws=$(workspace first 0)
  # The unsynced workspace, put back before each first sync: the database with its WAL.
  mkdir "$tmp/unsynced"
  cp "$tmp/first"/upward.db* "$tmp/unsynced/"
  printf '#!/usr/bin/env bash\nrm -f %s/upward.db*\ncp %s/upward.db* %s/\n' \
    "$tmp/first" "$tmp/unsynced" "$tmp/first" >"$tmp/reset.sh"
  chmod +x "$tmp/reset.sh"
  reset="$tmp/reset.sh"
  if [ -n "$smoke" ]; then
    got=$(pulled "$ws")
  else
    hyperfine --style none --runs "$runs_first" --prepare "$reset" \
      --export-json "$tmp/first.json" -n "first sync" "env $ws $upward sync" >/dev/null
    $reset
    got=$(pulled "$ws")
  fi
  [ "$got" = "$ops" ] || die "the first sync pulled $got operations, not $ops"
  items=$(env $ws "$upward" --json list --status all | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  echo "First sync: $ops operations pulled into $items items of the workspace (checked: \`pulled\` = $got)."
  echo

  # 2. Incremental sync beside `upward list`.
  step "$backend: incremental sync of $new operations"
  mtoken=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d "{\"email\":\"manager000@sync.example\",\"password\":\"$PASSWORD\",\"name\":\"bench\"}" \
    "$base/api/v1/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$mtoken" ] || die "could not sign manager000 in"
  cat >"$tmp/add.sh" <<EOF
#!/usr/bin/env bash
set -e
for i in \$(seq $new); do
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' \\
    -H 'Authorization: Bearer $mtoken' -d '{"title":"A topic the manager adds"}' \\
    "$base/api/v1/spaces/$SPACE/topics"
done
EOF
  chmod +x "$tmp/add.sh"
  "$tmp/add.sh"
  got=$(pulled "$ws")
  [ "$got" = "$new" ] || die "the incremental sync pulled $got operations, not $new"
  if [ -n "$smoke" ]; then
    "$tmp/add.sh"
    printf 'incremental sync\t%s\t0\t0\t0\t1\n' "$(once env $ws "$upward" sync)" >"$tmp/inc.tsv"
    printf 'list\t%s\t0\t0\t0\t1\n' "$(once env $ws "$upward" list)" >>"$tmp/inc.tsv"
  else
    hyperfine --style none --warmup 3 --runs "$runs" \
      --prepare "$tmp/add.sh" --prepare true --prepare true \
      --export-json "$tmp/inc.json" \
      -n "incremental sync ($new new)" "env $ws $upward sync" \
      -n "upward list" "env $ws $upward list" \
      -n "sync, nothing new" "env $ws $upward sync" >/dev/null
    summary "$tmp/inc.json" >"$tmp/inc.tsv"
    summary "$tmp/first.json" >>"$tmp/inc.tsv"
  fi
  echo "| command | mean (ms) | sd | min | max | runs |"
  echo "|---|---:|---:|---:|---:|---:|"
  awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}' "$tmp/inc.tsv"
  echo
  awk -F'\t' -v new="$new" '
    $1 ~ /^incremental/ { s = $2 } $1 ~ /list/ { l = $2 }
    END { if (l > 0) printf "Incremental sync (%s new) / upward list = %.0f / %.0f ms = %.2f — goal (< 2) %s\n", new, s, l, s / l, (s / l < 2 ? "met" : "NOT met") }' "$tmp/inc.tsv"
  if [ -n "${UPWARD_SYNC_TIMING:-}" ]; then
    "$tmp/add.sh"
    echo
    echo "Steps of one incremental sync (UPWARD_SYNC_TIMING=1):"
    echo '```'
    env $ws "$upward" sync 2>&1 >/dev/null | sed 's/^/    /'
    echo '```'
  fi
  echo
  stop_server

  # 3. Many clients at once, against a fresh server (CLIENTS=0: not measured).
  if [ "$clients" -gt 0 ]; then
    step "$backend: $clients workspaces signing in"
    start_server "$limit"
    for c in $(seq "$clients"); do
      workspace "client$c" "$c" >"$tmp/client$c.env"
    done
    idle_rss=$(mib VmRSS)
    idle_hwm=$(mib VmHWM)
    step "$backend: $clients clients syncing at once"
    : >"$tmp/done"
    cpids=()
    t0=$(date +%s%N)
    for c in $(seq "$clients"); do
      (
        # shellcheck disable=SC2046
        env $(cat "$tmp/client$c.env") timeout 300 "$upward" sync --json >"$tmp/client$c.out" 2>"$tmp/client$c.err" || true
        echo "$c" >>"$tmp/done"
      ) &
      cpids+=($!)
    done
    peak=0
    while [ "$(wc -l <"$tmp/done")" -lt "$clients" ]; do
      r=$(awk '$1 == "VmRSS:" {print $2}' "/proc/$pid/status")
      [ "$r" -le "$peak" ] || peak=$r
      sleep 0.02
    done
    t1=$(date +%s%N)
    wait "${cpids[@]}"
    failed=0
    for c in $(seq "$clients"); do
      got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pulled"])' "$tmp/client$c.out" 2>/dev/null || echo none)
      if [ "$got" != "$client_ops" ]; then
        failed=$((failed + 1))
        [ "$failed" -gt 1 ] || { echo "client $c pulled $got:" >&2; cat "$tmp/client$c.err" >&2; }
      fi
    done
    echo "$clients clients, each signed in with its own account, syncing at once (each pulls its space's $client_ops operations):"
    echo
    echo "| server RSS idle (after sign-ins) | peak RSS sampled every 20 ms | VmHWM after | VmRSS after | wall time, all clients | clients failed |"
    echo "|---:|---:|---:|---:|---:|---:|"
    echo "| $idle_rss MiB (VmHWM $idle_hwm) | $(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}') MiB | $(mib VmHWM) MiB | $(mib VmRSS) MiB | $(((t1 - t0) / 1000000)) ms | $failed |"
    echo
    echo "$backend: load average $(load) after; server stderr $(wc -l <"$tmp/server.err") lines"
    stop_server
    [ "$failed" = 0 ] || die "$failed of $clients clients did not sync"
  fi
  rm -rf "$tmp"/client* "$tmp/first" "$tmp/unsynced"
  if [ "$backend" = postgres ]; then
    "$root/scripts/postgres" stop "$pg_dir"
    pg_dir=""
  fi
done
[ -z "$smoke" ] || echo "sync bench smoke: ok ($ops operations, $clients clients)"
