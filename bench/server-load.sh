#!/usr/bin/env bash
# bench/server-load.sh: the team server (`upward server start`) under load, on loopback, with
# wrk, on PostgreSQL and on SQLite in the same run. Not part of CI.
#
# For each backend: generates an organisation (1,000 accounts, 500 spaces of two members,
# 100,000 records, written as the server writes them: crates/upward-bench/src/bin/server_org.rs)
# into a throw-away PostgreSQL cluster (scripts/postgres) or a fresh SQLite file, starts the
# release `upward server start --listen 127.0.0.1:0` on it with the benchmark's baseline
# turned on (UPWARD_BENCH_TRIVIAL=1: `GET /bench/trivial`, a bare handler running one trivial
# query through the same pool), signs a manager of 5 spaces in for an API token
# (POST /api/v1/login), and runs wrk for DURATION at 1 and at 16 connections against:
#   - the trivial handler (`/bench/trivial`, no sign-in), measured first and again last so
#     that a change of the machine's other load shows;
#   - the space page (`/spaces/ID`, the manager's space with a report);
#   - the manager's home, the page (`/`) and the API (`/api/v1/home`);
#   - a topic POST (`POST /api/v1/spaces/ID/topics`, JSON with the bearer token), round-robin
#     over the manager's 5 spaces (each POST adds a record: measured after the reads).
# Pages and API are sent the token as `Authorization: Bearer` (a page takes it as a browser's
# session would be taken: one lookup per request). Prints, per run: requests per second, the
# 99th percentile latency, the answers that were not 2xx, the server's resident memory after
# the run and its peak so far (VmRSS and VmHWM of /proc/PID/status); then both backends side
# by side and the ratio space page / trivial handler at each number of connections (the goal:
# at least 0.5).
#
# As root (or with sudo) on Debian: installs `wrk` with apt-get when it is missing. Servers
# listen on 127.0.0.1 only; each is stopped after its runs (or by `timeout` if the script
# dies), and the PostgreSQL cluster is deleted at the end.
#
# Settings (environment): DURATION=10s, CONNECTIONS="1 16", BACKENDS="postgres sqlite",
# CARGO_TARGET_DIR (where the binaries are built).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-1 16}"
backends="${BACKENDS:-postgres sqlite}"
target="${CARGO_TARGET_DIR:-$root/target}"
export UPWARD_NOW=2026-11-23 NO_COLOR=1
unset UPWARD_CONFIG

step() { printf '== %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null; then
  step "installing wrk"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
command -v curl >/dev/null || { echo "bench/server-load.sh: needs curl" >&2; exit 1; }

step "building the release binaries"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p upward -p upward-bench
upward="$target/release/upward"
org="$target/release/server_org"

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

# wrk's script for the topic POST: JSON, round-robin over the manager's spaces.
cat >"$tmp/topic.lua" <<'EOF'
local spaces = {}
for s in string.gmatch(os.getenv("BENCH_SPACES") or "", "%S+") do
  spaces[#spaces + 1] = s
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local path = "/api/v1/spaces/" .. spaces[(n % #spaces) + 1] .. "/topics"
  return wrk.format(nil, path, nil, '{"title":"A topic from the load test"}')
end
EOF

# Runs: label path (GET with the token) or label POST.
runs() {
  echo "trivial /bench/trivial"
  echo "space /spaces/$SPACE"
  echo "home /"
  echo "apihome /api/v1/home"
  echo "topic POST"
  echo "trivial2 /bench/trivial"
}

name_of() {
  case "$1" in
  trivial) echo "trivial handler (first)" ;;
  trivial2) echo "trivial handler (again, last)" ;;
  space) echo "space page" ;;
  home) echo "manager's home page" ;;
  apihome) echo "manager's home, API" ;;
  topic) echo "topic POST (API)" ;;
  esac
}

load() { awk '{print $1, $2, $3}' /proc/loadavg; }
results="$tmp/results.tsv"
: >"$results"
secs=${duration%s}
limit=$((180 + 2 * secs * 6 * $(echo "$connections" | wc -w)))

for backend in $backends; do
  case "$backend" in
  postgres)
    step "starting a throw-away PostgreSQL"
    eval "$("$root/scripts/postgres" start)"
    pg_dir="$UPWARD_TEST_POSTGRES_DIR"
    url="$UPWARD_TEST_POSTGRES"
    ;;
  sqlite) url="sqlite://$tmp/server.db" ;;
  *) echo "bench/server-load.sh: unknown backend $backend" >&2; exit 1 ;;
  esac

  step "$backend: generating the organisation"
  "$org" "$url" >"$tmp/org.env"
  # shellcheck disable=SC1091
  . "$tmp/org.env"
  step "$backend: $ACCOUNTS accounts, $SPACES spaces, $RECORDS records ($OPERATIONS operations) in ${GEN_SECONDS}s"
  gen_secs=$GEN_SECONDS

  step "$backend: starting upward server"
  UPWARD_TEST_ARGON2_MIN=1 UPWARD_BENCH_TRIVIAL=1 timeout "$limit" "$upward" server start \
    --database "$url" --listen 127.0.0.1:0 >"$tmp/server.out" 2>"$tmp/server.err" &
  timeout_pid=$!
  for _ in $(seq 300); do
    [ -s "$tmp/server.out" ] && break
    sleep 0.1
  done
  line=$(head -n1 "$tmp/server.out")
  case "$line" in
  "upward server is at "*) ;;
  *)
    cat "$tmp/server.err" >&2
    echo "bench/server-load.sh: upward server did not print its address" >&2
    exit 1
    ;;
  esac
  base=${line#upward server is at }
  base=${base%% *}
  pid=$(pgrep -P "$timeout_pid" -x upward || true)
  [ -n "$pid" ] || pid=$timeout_pid
  hwm() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }
  rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"; }

  token=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d "{\"email\":\"$MANAGER\",\"password\":\"$PASSWORD\",\"name\":\"bench\"}" \
    "$base/api/v1/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$token" ] || { echo "bench/server-load.sh: could not sign $MANAGER in" >&2; exit 1; }
  export BENCH_SPACES="$MANAGER_SPACES"

  echo
  echo "$backend: upward server on $SPACES spaces, $RECORDS records (generated in ${gen_secs}s); $(nproc) cores shared with wrk and the database; load average $(load) before; idle RSS $(rss) MiB"
  echo
  echo "| request | connections | size | req/s | p99 | not 2xx | RSS after | peak RSS |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  while read -r key path; do
    if [ "$path" = POST ]; then
      size="–"
    else
      auth=()
      [ "$key" = trivial ] || [ "$key" = trivial2 ] || auth=(-H "Authorization: Bearer $token")
      read -r status bytes < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "${auth[@]}" "$base$path")
      if [ "$status" != 200 ]; then
        echo "| $(name_of "$key") | – | – | not measured: answers $status | | | | |"
        continue
      fi
      size=$(awk -v b="$bytes" 'BEGIN {printf "%.1f KiB", b / 1024}')
    fi
    for c in $connections; do
      threads=$((c < 2 ? 1 : 2))
      if [ "$path" = POST ]; then
        wrk -t"$threads" -c"$c" -d"$duration" --latency -s "$tmp/topic.lua" \
          -H "Authorization: Bearer $token" "$base" >"$tmp/wrk.out" 2>&1
      elif [ "$key" = trivial ] || [ "$key" = trivial2 ]; then
        wrk -t"$threads" -c"$c" -d"$duration" --latency "$base$path" >"$tmp/wrk.out" 2>&1
      else
        wrk -t"$threads" -c"$c" -d"$duration" --latency \
          -H "Authorization: Bearer $token" "$base$path" >"$tmp/wrk.out" 2>&1
      fi
      rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$tmp/wrk.out")
      p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.out")
      bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$tmp/wrk.out")
      errors=$(awk '/Socket errors:/ {sub(/^ *Socket errors: */, ""); print}' "$tmp/wrk.out")
      echo "| $(name_of "$key") | $c | $size | $rps | $p99 | ${bad:-0}${errors:+ (socket: $errors)} | $(rss) MiB | $(hwm) MiB |"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$key" "$c" "$rps" "$p99" "$(rss)" "$(hwm)" >>"$results"
    done
  done < <(runs)
  echo
  echo "$backend: load average $(load) after; server stderr $(wc -l <"$tmp/server.err") lines"
  stop_server
  if [ "$backend" = postgres ]; then
    "$root/scripts/postgres" stop "$pg_dir"
    pg_dir=""
  fi
done

# Both backends side by side, and the goal's ratio.
echo
echo "| request | connections | PostgreSQL req/s | p99 | RSS after / peak | SQLite req/s | p99 | RSS after / peak |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
awk -F'\t' '
  { key = $2 "\t" $3; if (!(key in seen)) { order[++n] = key; seen[key] = 1 }
    rps[$1, key] = $4; p99[$1, key] = $5; mem[$1, key] = $6 " / " $7 " MiB" }
  END {
    split("trivial:trivial handler (first)|space:space page|home:manager'"'"'s home page|apihome:manager'"'"'s home, API|topic:topic POST (API)|trivial2:trivial handler (again, last)", names, "|")
    for (i in names) { split(names[i], kv, ":"); label[kv[1]] = kv[2] }
    for (i = 1; i <= n; i++) {
      split(order[i], k, "\t")
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", label[k[1]], k[2],
        rps["postgres", order[i]], p99["postgres", order[i]], mem["postgres", order[i]],
        rps["sqlite", order[i]], p99["sqlite", order[i]], mem["sqlite", order[i]]
    }
  }' "$results"
echo
awk -F'\t' '
  { rps[$1, $2, $3] = $4; if (!($1 in b)) { b[$1] = 1; bs[++nb] = $1 } if (!($3 in c)) { c[$3] = 1; cs[++nc] = $3 } }
  END {
    for (i = 1; i <= nb; i++) for (j = 1; j <= nc; j++) {
      t1 = rps[bs[i], "trivial", cs[j]]; t2 = rps[bs[i], "trivial2", cs[j]]; s = rps[bs[i], "space", cs[j]]
      if (t1 == "" || s == "") continue
      t = (t2 == "" ? t1 : (t1 + t2) / 2)
      printf "%s, %s connection(s): space page %s req/s / trivial handler %.0f req/s (mean of first and last) = %.3f — goal (>= 0.5) %s\n",
        bs[i], cs[j], s, t, s / t, (s / t >= 0.5 ? "met" : "NOT met")
    }
  }' "$results"
