#!/bin/bash
# CPU per event of `forkscope events --json` run ALONE on one storm, split by thread, and the
# reader thread's wake-ups per event. The bench's watcher stage runs five readers at once on the
# same storm; this shows what forkscope costs by itself, and where (main JS thread, reader
# thread, V8's helper threads).
#
#   bench/thread-cpu.sh fork -n 40000 -c 8      (arguments are bench/storm's: exec|fork|threads …)
#   bench/thread-cpu.sh --c-reader fork -n 40000 -c 8   the same storm under the bench's C reader
#                                                       (the floor), alone too; its one thread
#                                                       is reported as the reader
#
# Needs `npm run build` first; compiles bench/out/storm if missing. Run as root for the reader's
# SCHED_FIFO, as the bench's privileged pass does. CPU comes from utime+stime of each thread in
# /proc/PID/task/*/stat (clock ticks) before and after the storm; events = NDJSON lines written.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -f dist/electron/cli/main.js ] || { echo "thread-cpu: run 'npm run build' first" >&2; exit 2; }
mkdir -p bench/out
[ -x bench/out/storm ] || cc -O2 -Wall -Wextra -pthread -o bench/out/storm bench/storm/storm.c
command=(node bin/forkscope.js events --json)
if [ "${1:-}" = --c-reader ]; then
  shift
  [ -x bench/out/reader ] || cc -O2 -Wall -Wextra -o bench/out/reader bench/c-reader/reader.c
  command=(bench/out/reader)
fi
work=$(mktemp -d /tmp/forkscope-thread-cpu.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"${command[@]}" >"$work/events.ndjson" 2>"$work/stderr" &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/stderr" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$work/stderr" || { cat "$work/stderr" >&2; exit 1; }

# "tid ticks wakeups" per thread. The main thread's tid is the pid; the native reader names
# itself forkscope-read, and the thread that completes its batches forkscope-done
# (native/src/proc_connector_reader.cc).
sample() {
  for task in /proc/"$pid"/task/*; do
    echo "${task##*/} $(awk '{print $14 + $15}' "$task/stat") $(awk '/^voluntary_ctxt_switches/ {print $2}' "$task/status")"
  done | sort
}
# The C reader has one thread: its wake-ups are the main thread's.
reader=$(grep -l '^forkscope-read$' /proc/"$pid"/task/*/comm | head -n 1 | cut -d/ -f5 || true)
[ -n "$reader" ] || reader=$pid
completer=$(grep -l '^forkscope-done$' /proc/"$pid"/task/*/comm | head -n 1 | cut -d/ -f5 || true)
sample >"$work/before"
bench/out/storm "$@" >/dev/null
sleep 0.6 # the reader flushes within 8 ms and the log writes within a frame: let it drain
sample >"$work/after"
main=$pid
kill -INT "$pid"
wait "$pid" || true
pid=
events=$(wc -l <"$work/events.ndjson")
hz=$(getconf CLK_TCK)
join "$work/before" "$work/after" | awk -v n="$events" -v hz="$hz" -v main="$main" -v reader="$reader" -v completer="$completer" '
  { ticks = $4 - $2; total += ticks
    role = $1 == reader ? "reader" : $1 == main ? "main (JS)" : $1 == completer ? "completer" : "other (V8, libuv)"
    cpu[role] += ticks
    if ($1 == reader) wakeups = $5 - $3 }
  END {
    for (role in cpu) printf "%-18s %8.2f us/event\n", role, cpu[role] * 1e6 / hz / n
    printf "%-18s %8.2f us/event over %d events\n", "total", total * 1e6 / hz / n, n
    printf "%-18s %8.2f per event\n", "reader wake-ups", wakeups / n
  }'
