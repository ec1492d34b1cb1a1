#!/usr/bin/env bash
# bench/serve-load.sh: `upward serve` under load, on loopback, with wrk. Not part of CI.
#
# Generates a workspace of N items (bench/generate, default 50,000: ten years of heavy use),
# starts the release `upward serve --no-open --port 0` on it, and for each page (Today, the
# Agenda, Items, and the API's nudges) runs wrk for DURATION at 1 and at 16 connections,
# authenticated with the printed token as a bearer. Prints, per run, the answer's size, requests per second, the
# 99th percentile latency, the answers that were not 2xx, and the server's peak resident memory
# so far (VmHWM of /proc/PID/status: the high-water mark since it started). A path that does
# not answer 200 before the runs (a page not built yet) is listed as such and not measured.
#
# As root (or with sudo) on Debian: installs `wrk` with apt-get when it is missing. The server
# listens on 127.0.0.1 only and is stopped at the end (or by `timeout` if the script dies).
#
# Settings (environment): N=50000, DURATION=10s, CONNECTIONS="1 16", PATHS (space-separated,
# default "/ /agenda /items /api/v1/nudges"), CARGO_TARGET_DIR (where the binaries are built).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
n="${N:-50000}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-1 16}"
paths="${PATHS:-/ /agenda /items /api/v1/nudges}"
target="${CARGO_TARGET_DIR:-$root/target}"
export UPWARD_NOW=2026-11-23 NO_COLOR=1
unset UPWARD_CONFIG

step() { printf '== %s\n' "$*" >&2; }

label() {
  case "$1" in
  /) echo "Today" ;;
  /agenda) echo "Agenda" ;;
  /items) echo "Items" ;;
  /api/v1/nudges) echo "API nudges" ;;
  *) echo "$1" ;;
  esac
}

if ! command -v wrk >/dev/null; then
  step "installing wrk"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
command -v curl >/dev/null || { echo "bench/serve-load.sh: needs curl" >&2; exit 1; }

step "building the release binaries"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p upward -p upward-bench
upward="$target/release/upward"

tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

step "generating $n items"
export UPWARD_DB="$tmp/serve.db"
"$target/release/upward-bench" generate "$UPWARD_DB" "$n" >/dev/null

step "starting upward serve"
# Bounded: every run, plus a margin, even if this script is killed before its cleanup.
secs=${duration%s}
limit=$((120 + 2 * secs * $(echo "$paths" | wc -w) * $(echo "$connections" | wc -w)))
timeout "$limit" "$upward" serve --no-open --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
timeout_pid=$!
for _ in $(seq 100); do
  [ -s "$tmp/serve.out" ] && break
  sleep 0.1
done
line=$(head -n1 "$tmp/serve.out")
case "$line" in
"upward is at "*) ;;
*)
  cat "$tmp/serve.err" >&2
  echo "bench/serve-load.sh: upward serve did not print its address" >&2
  exit 1
  ;;
esac
url=${line#upward is at }
base=${url%%/?token=*}
token=${url##*token=}
# The server itself (the child of timeout), for its memory.
pid=$(pgrep -P "$timeout_pid" -x upward || true)
[ -n "$pid" ] || pid=$timeout_pid

hwm() { awk '/^VmHWM/ {printf "%.1f MiB", $2 / 1024}' "/proc/$pid/status"; }
rss() { awk '/^VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$pid/status"; }

echo
echo "upward serve on $n items, $(nproc) cores (wrk shares them), $duration per run; idle RSS $(rss)"
echo
echo "| page | path | size | connections | req/s | p99 | not 2xx | server peak RSS |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for path in $paths; do
  read -r status size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' -H "Authorization: Bearer $token" "$base$path")
  if [ "$status" != 200 ]; then
    echo "| $(label "$path") | \`$path\` | – | – | not measured: answers $status | | | |"
    continue
  fi
  kib=$(awk -v b="$size" 'BEGIN {printf "%.0f KiB", b / 1024}')
  for c in $connections; do
    threads=$((c < 2 ? 1 : 2))
    wrk -t"$threads" -c"$c" -d"$duration" --latency \
      -H "Authorization: Bearer $token" "$base$path" >"$tmp/wrk.out" 2>&1
    rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$tmp/wrk.out")
    p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.out")
    bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$tmp/wrk.out")
    errors=$(awk '/Socket errors:/ {sub(/^ *Socket errors: */, ""); print}' "$tmp/wrk.out")
    echo "| $(label "$path") | \`$path\` | $kib | $c | $rps | $p99 | ${bad:-0}${errors:+ (socket: $errors)} | $(hwm) |"
  done
done
echo
kill -TERM "$pid" 2>/dev/null || true
wait "$timeout_pid" 2>/dev/null || true
pid=""
