#!/usr/bin/env bash
# What a stack run started, stopped on any exit of the run (scripts/stack.ts owns it).
#
# A run keeps a directory (.infra/stack/runs/<owner pid>/) with one file per process it started:
# `<label>.pid` holding "PID STARTTIME SIGNAL" (STARTTIME is field 22 of /proc/PID/stat, so a
# recycled pid is never mistaken for ours; SIGNAL is the polite stop signal, TERM or INT).
# The owner itself is recorded in `owner.pid` the same way.
#
#   stack-reaper.sh watch RUN_DIR   poll the owner every 0.5 s; when it is gone (exit, crash,
#                                   SIGKILL), reap RUN_DIR. Started detached, in its own
#                                   session, by the owner; SIGTERM ends the watch without reaping.
#   stack-reaper.sh reap RUN_DIR    stop every recorded process that is still the one recorded:
#                                   its polite signal to its process group (or the pid alone when
#                                   it leads none), SIGKILL after 10 s, then remove RUN_DIR.
#   stack-reaper.sh reap-stale RUNS_DIR   reap every run directory whose owner is gone.
set -euo pipefail

starttime() { # starttime PID → field 22 of /proc/PID/stat, empty when PID does not exist
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  # comm (field 2) may hold spaces and parentheses: fields 3… follow the last ") ".
  read -r -a rest <<<"${stat##*) }"
  echo "${rest[19]}"
}

# is_recorded FILE → the recorded process still runs (same pid and start time).
is_recorded() {
  local pid start _signal
  read -r pid start _signal <"$1" 2>/dev/null || return 1
  [[ -n "$pid" && "$(starttime "$pid")" == "$start" ]]
}

signal_recorded() { # signal_recorded FILE SIGNAL
  local pid start _signal
  read -r pid start _signal <"$1"
  # A process that leads its group (setsid, detached spawn) takes its children with it.
  if [[ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$pid" ]]; then
    kill "-$2" -- "-$pid" 2>/dev/null || true
  else
    kill "-$2" "$pid" 2>/dev/null || true
  fi
}

reap() {
  local dir="$1" file pid start signal live=()
  [[ -d "$dir" ]] || return 0
  for file in "$dir"/*.pid; do
    [[ -e "$file" && "$(basename "$file")" != owner.pid ]] || continue
    if is_recorded "$file"; then
      read -r pid start signal <"$file"
      echo "stack-reaper: stopping $(basename "$file" .pid) (pid $pid)" >&2
      signal_recorded "$file" "${signal:-TERM}"
      live+=("$file")
    fi
  done
  local deadline=$((SECONDS + 10)) remaining
  while ((${#live[@]} > 0 && SECONDS < deadline)); do
    sleep 0.2
    remaining=()
    for file in "${live[@]}"; do if is_recorded "$file"; then remaining+=("$file"); fi; done
    live=("${remaining[@]+"${remaining[@]}"}")
  done
  for file in "${live[@]+"${live[@]}"}"; do
    echo "stack-reaper: $(basename "$file" .pid) did not stop in 10 s, killing it" >&2
    signal_recorded "$file" KILL
  done
  rm -rf "$dir"
}

watch() {
  local dir="$1"
  trap 'exit 0' TERM
  while is_recorded "$dir/owner.pid"; do sleep 0.5; done
  reap "$dir"
}

reap_stale() {
  local runs="$1" dir
  [[ -d "$runs" ]] || return 0
  for dir in "$runs"/*/; do
    [[ -d "$dir" ]] || continue
    if ! is_recorded "$dir/owner.pid"; then
      echo "stack-reaper: clearing what a previous run (${dir%/}) left behind" >&2
      reap "${dir%/}"
    fi
  done
}

case "${1:-}" in
  watch) watch "${2:?usage: $0 watch RUN_DIR}" ;;
  reap) reap "${2:?usage: $0 reap RUN_DIR}" ;;
  reap-stale) reap_stale "${2:?usage: $0 reap-stale RUNS_DIR}" ;;
  *) echo "usage: $0 watch RUN_DIR | reap RUN_DIR | reap-stale RUNS_DIR" >&2; exit 2 ;;
esac
