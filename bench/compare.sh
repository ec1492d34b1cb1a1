#!/usr/bin/env bash
# bench/compare.sh: upward side by side with jrnl, Taskwarrior and ripgrep at 1k, 10k and 50k
# items (ten years of heavy use), and upward's own workflows at each size.
#
# From a clean clone, as root (or with sudo): installs what it needs (Debian's taskwarrior,
# hyperfine, ripgrep, time and eatmydata; jrnl from PyPI into bench/.venv), builds the release
# binaries, generates the workspaces into bench/work/N/, loads the same content into each peer,
# times every operation with hyperfine (medians) and peak memory with /usr/bin/time -v, and
# prints the summary tables (also written to bench/work/summary.md). Idempotent: every run
# starts from freshly generated data. About 7 minutes on 2 cores once built (half of it jrnl,
# which needs two minutes to add one entry to 50,000 tagged entries); a clean clone adds the
# release build and the installs, about 5 more.
#
# Settings (environment): SIZES="1000 10000 50000", WORD=latency (the search word),
# RUNS=100 (hyperfine runs per fast command), CARGO_TARGET_DIR (where the binaries are built).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
sizes="${SIZES:-1000 10000 50000}"
word="${WORD:-latency}"
runs="${RUNS:-100}"
jrnl_version="${JRNL_VERSION:-4.6}"
target="${CARGO_TARGET_DIR:-$root/target}"
# Every run sees the same "now", so due dates, nudges and agendas are the same each time.
export UPWARD_NOW=2026-11-23 NO_COLOR=1
unset UPWARD_CONFIG UPWARD_DB TASKRC TASKDATA

step() { printf '\n== %s\n' "$*" >&2; }

step "tools"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
apt_install() {
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
need=()
command -v task >/dev/null || need+=(taskwarrior)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v rg >/dev/null || need+=(ripgrep)
command -v eatmydata >/dev/null || need+=(eatmydata)
command -v python3 >/dev/null || need+=(python3 python3-venv)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt_install "${need[@]}"
fi
venv="$bench/.venv"
if [ ! -x "$venv/bin/jrnl" ]; then
  rm -rf "$venv"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    apt_install python3-venv
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check "jrnl==$jrnl_version"
fi
jrnl="$venv/bin/jrnl"
eatmydata_lib="$(dpkg -L libeatmydata1 2>/dev/null | grep -m1 '/libeatmydata\.so$' || true)"

step "build (release)"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p upward -p upward-bench
upward="$target/release/upward"
gen="$target/release/upward-bench"

mkdir -p "$work"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores: $(nproc)"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -sr)"
  echo "filesystem: $(df -T "$work" | awk 'NR==2 {print $2}')"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "upward: $("$upward" --version) (release build, $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "no git")$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo "+changes"))"
  echo "sqlite: $("$gen" sqlite-version) (bundled)"
  echo "rustc: $(rustc --version)"
  echo "jrnl: $("$jrnl" --version | head -1)"
  echo "python: $("$venv/bin/python" --version)"
  echo "taskwarrior: $(task --version)"
  echo "ripgrep: $(rg --version | head -1)"
  echo "hyperfine: $(hyperfine --version)"
} >"$work/machine.txt"
cat "$work/machine.txt" >&2

# hf SIZE NAME WARMUP RUNS COMMAND: median of COMMAND (run without a shell) into SIZE/NAME.json.
hf() {
  local n=$1 name=$2 warmup=$3 count=$4 command=$5
  hyperfine -N --style none --warmup "$warmup" --runs "$count" \
    --export-json "$work/$n/$name.json" --command-name "$name" "$command" >/dev/null
}

# hf_rss SIZE NAME WARMUP RUNS COMMAND: as hf, and the peak RSS of its runs into SIZE/rss.tsv
# (getrusage reports the largest child's peak; hyperfine's own is 3 MB). For the slow peers,
# whose runs are too long to repeat just to measure memory.
hf_rss() {
  local n=$1 name=$2 warmup=$3 count=$4 command=$5 kb
  kb=$(/usr/bin/time -v hyperfine -N --style none --warmup "$warmup" --runs "$count" \
    --export-json "$work/$n/$name.json" --command-name "$name" "$command" 2>&1 >/dev/null |
    awk -F': ' '/Maximum resident set size/ {print $2}')
  printf '%s\t%s\n' "$name" "$kb" >>"$work/$n/rss.tsv"
}

# rss SIZE NAME COMMAND...: the largest peak RSS (KiB) of three runs into SIZE/rss.tsv.
rss() {
  local n=$1 name=$2 most=0 kb
  shift 2
  for _ in 1 2 3; do
    kb=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')
    [ "${kb:-0}" -gt "$most" ] && most=$kb
  done
  printf '%s\t%s\n' "$name" "$most" >>"$work/$n/rss.tsv"
}

for n in $sizes; do
  d="$work/$n"
  step "$n items: generate and load the peers"
  rm -rf "$d"
  mkdir -p "$d"
  "$gen" generate "$d/upward.db" "$n" >"$d/generate.json"
  "$gen" peers "$d/upward.db" "$d/peers" >"$d/peers.json"
  cat "$d/generate.json" >&2
  # `add` writes: it gets its own copy, so the other commands see the generated data.
  cp "$d/upward.db" "$d/add.db"
  # jrnl: its config in a private XDG dir, pointing at the generated journal.
  mkdir -p "$d/jrnl-config/jrnl" "$d/jrnl-data"
  cat >"$d/jrnl-config/jrnl/jrnl.yaml" <<EOF
colors:
  body: none
  date: none
  tags: none
  title: none
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: true
indent_character: '|'
journals:
  default:
    journal: $d/peers/jrnl/journal.txt
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%F %r'
version: '$jrnl_version'
EOF
  # Taskwarrior: its own rc and data dir; the open items imported as pending tasks.
  printf 'data.location=%s\nconfirmation=off\nnews.version=%s\n' \
    "$d/task-data" "$(task --version)" >"$d/taskrc"
  mkdir -p "$d/task-data"
  TASKRC="$d/taskrc" task rc.verbose=nothing import "$d/peers/task/import.json" >/dev/null 2>&1
done
# Let the new files (hundreds of MB at 50k) reach the disk now, not while `add` is timed: its
# fsyncs wait behind any writeback. The smallest size is timed first, the largest last.
sync

for n in $sizes; do
  d="$work/$n"
  step "$n items: upward"
  (
    export UPWARD_DB="$d/upward.db"
    hf "$n" upward-list 3 "$runs" "$upward list"
    hf "$n" upward-search 3 "$runs" "$upward search $word"
    hf "$n" upward-prep 3 "$runs" "$upward prep"
    hf "$n" upward-nudges 3 "$runs" "$upward nudges"
    hf "$n" upward-update 3 "$runs" "$upward update"
    hf "$n" upward-review 3 "$runs" "$upward review"
    hf "$n" upward-intake 3 "$runs" "$upward intake 'Audit log export' --from Dana --due 2026-12-21 --effort 5d"
    for c in list "search $word" prep nudges update review; do
      # shellcheck disable=SC2086
      rss "$n" "upward-${c%% *}" "$upward" $c
    done
    rss "$n" upward-intake "$upward" intake "Audit log export" --from Dana --due 2026-12-21 --effort 5d
    export UPWARD_DB="$d/add.db"
    hf "$n" upward-add 3 "$runs" "$upward add note 'Benchmark entry about $word' --tag perf"
    rss "$n" upward-add "$upward" add note "Benchmark entry about $word" --tag perf
    if [ -n "$eatmydata_lib" ]; then
      # Not a product setting: how much of `add` is the fsync that makes it durable.
      LD_PRELOAD="$eatmydata_lib" hf "$n" upward-add-nofsync 3 "$runs" \
        "$upward add note 'Benchmark entry about $word' --tag perf"
    fi
  )

  step "$n items: jrnl, Taskwarrior, ripgrep"
  (
    export XDG_CONFIG_HOME="$d/jrnl-config" XDG_DATA_HOME="$d/jrnl-data"
    # jrnl takes seconds to minutes a run at these sizes (see RESULTS.md): fewer runs.
    if [ "$n" -gt 10000 ]; then jw=0 jr=2; else jw=1 jr=5; fi
    hf_rss "$n" jrnl-add "$jw" "$jr" "$jrnl 'Benchmark entry about $word. Written by bench/compare.sh @perf'"
    hf_rss "$n" jrnl-search "$jw" $((jr + 1)) "$jrnl -contains $word"
  )
  (
    export TASKRC="$d/taskrc"
    hf "$n" task-add 3 "$runs" "task add Benchmark entry about $word project:note +perf"
    hf "$n" task-list 3 "$runs" "task list"
    rss "$n" task-add task add "Benchmark entry about $word" project:note +perf
    rss "$n" task-list task list
  )
  step "$n items: head to head, interleaved"
  # The same comparisons once more, the two commands taking turns, so a machine that slows
  # down for a while (shared VMs do) slows both alike.
  (
    export UPWARD_DB="$d/add.db" TASKRC="$d/taskrc"
    python3 "$bench/paired.py" 60 "$d/paired-add.json" upward-add \
      "$upward add note 'Benchmark entry about $word' --tag perf" \
      task-add "task add Benchmark entry about $word project:note +perf"
    export UPWARD_DB="$d/upward.db"
    python3 "$bench/paired.py" 60 "$d/paired-list.json" upward-list "$upward list" \
      task-list "task list"
    python3 "$bench/paired.py" 60 "$d/paired-search.json" upward-search "$upward search $word" \
      rg-by-month "rg -i $word $d/peers/md/by-month"
  )
  hf "$n" rg-by-month 3 "$runs" "rg -i $word $d/peers/md/by-month"
  hf "$n" rg-by-item 2 $((runs / 4)) "rg -i $word $d/peers/md/by-item"
  rss "$n" rg-by-month rg -i "$word" "$d/peers/md/by-month"
  rss "$n" rg-by-item rg -i "$word" "$d/peers/md/by-item"
  {
    echo "matching: $(rg -i -l "$word" "$d/peers/md/by-item" | wc -l)"
    echo "db_bytes: $(stat -c %s "$d/upward.db")"
    echo "journal_bytes: $(stat -c %s "$d/peers/jrnl/journal.txt")"
    echo "markdown_bytes: $(du -sb "$d/peers/md/by-month" | cut -f1)"
  } >"$d/sizes.txt"
done

step "summary"
python3 "$bench/summarize.py" "$work" | tee "$work/summary.md"
