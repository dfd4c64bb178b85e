# gantry tracked tasks: the target-side half. POSIX sh; needs setsid (util-linux), tmux optional.
#
# gantry sends this file on stdin (`sh -s -- <verb> ...`) for every control verb, and `start` copies it
# into the task folder as wrapper.sh so the detached `run` verb keeps working after the connection drops.
#
#   start  BASE ID TIMEOUT RUNNER COMMAND WRAPPER  create BASE/_tasks/ID, launch it; print folder, runner
#   status BASE ID                                 print "alive|dead", then status.json
#   read   BASE ID OFFSET MAX                      print "alive|dead", status.json, log size, then up to
#                                                  MAX bytes of stdout.log from byte OFFSET
#   list   BASE                                    print "alive|dead<TAB>status.json" per task
#   kill   BASE ID GRACE                           TERM the task's process group, KILL after GRACE s
#   run    DIR ID TIMEOUT RUNNER CREATED_AT        (detached) run command.sh, keep status.json current
#   watchdog DIR TIMEOUT PGID                      (detached) end the task when TIMEOUT runs out
#
# Exit codes: 0 ok, 3 no such task, 4 target lacks a tool, 17 task id already used.
# Liveness is sampled before status.json is read: a wrapper that is gone while the status it left
# behind is still running can then only mean the task was lost (host reboot, wrapper killed).
set -u

now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# `~` and `~/x` mean the target user's home, as in ssh; anything else is used as given.
expand_base() {
  case $1 in
    "~") printf '%s' "$HOME" ;;
    "~/"*) printf '%s/%s' "$HOME" "${1#"~/"}" ;;
    *) printf '%s' "$1" ;;
  esac
}

task_dir() { printf '%s/_tasks/%s' "$(expand_base "$1")" "$2"; }

num_or_null() { if [ -n "$1" ]; then printf '%s' "$1"; else printf 'null'; fi; }
str_or_null() { if [ -n "$1" ]; then printf '"%s"' "$1"; else printf 'null'; fi; }

# Writes status.json from the variables below, atomically: readers see the old or the new file, never half.
write_status() {
  tmp="$dir/.status.json.$$"
  printf '{"task_id":"%s","state":"%s","runner":"%s","wrapper_pid":%s,"pid":%s,"pgid":%s,"exit_code":%s,"reason":%s,"timeout_secs":%s,"created_at":"%s","started_at":%s,"ended_at":%s}\n' \
    "$id" "$state" "$runner" "$(num_or_null "$wrapper_pid")" "$(num_or_null "$pid")" "$(num_or_null "$pid")" \
    "$(num_or_null "$exit_code")" "$(str_or_null "$reason")" "$(num_or_null "$timeout_secs")" \
    "$created_at" "$(str_or_null "$started_at")" "$(str_or_null "$ended_at")" >"$tmp" &&
    mv -f "$tmp" "$dir/status.json"
}

field() { sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" "$dir/status.json"; }

# kill -0 also answers for zombies, and containers whose PID 1 never reaps keep those forever: on
# Linux, /proc tells a process that has ended from one that has not.
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/stat" ] || return 0
  [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]
}

group_alive() {
  kill -0 -"$1" 2>/dev/null || return 1
  [ -r /proc/self/stat ] || return 0
  cat /proc/[0-9]*/stat 2>/dev/null |
    awk -v g="$1" '{ sub(/.*\) /, ""); if ($3 == g && $1 != "Z") found = 1 } END { exit !found }'
}

liveness() {
  wpid=$(field wrapper_pid)
  if [ -z "$wpid" ] || pid_alive "$wpid"; then echo alive; else echo dead; fi
}

# TERM the whole group, give it GRACE seconds, then KILL whatever is left (children that trap TERM).
reap_group() {
  kill -TERM -"$1" 2>/dev/null || return 0
  waited=0
  while [ "$waited" -lt "$2" ] && group_alive "$1"; do
    sleep 1
    waited=$((waited + 1))
  done
  kill -KILL -"$1" 2>/dev/null
  return 0
}

# The first reason wins: a kill during a timeout stays a timeout.
note_end_reason() { [ -f "$1/.end_reason" ] || printf '%s\n' "$2" >"$1/.end_reason"; }

verb=${1:-}
[ $# -gt 0 ] && shift
case $verb in
start)
  base=$(expand_base "$1") id=$2 timeout_secs=$3 runner=$4 command=$5 wrapper=$6
  dir="$base/_tasks/$id"
  command -v setsid >/dev/null 2>&1 || { echo "setsid not found on the target (install util-linux)" >&2; exit 4; }
  if [ "$runner" = auto ]; then
    if command -v tmux >/dev/null 2>&1; then runner=tmux; else runner=setsid; fi
  elif [ "$runner" = tmux ] && ! command -v tmux >/dev/null 2>&1; then
    echo "tmux not found on the target" >&2
    exit 4
  fi
  mkdir -p "$base/_tasks" || exit 1
  mkdir "$dir" 2>/dev/null || { echo "task $id already exists in $dir" >&2; exit 17; }
  state=pending wrapper_pid='' pid='' exit_code='' reason='' started_at='' ended_at='' created_at=$(now)
  [ "$timeout_secs" -gt 0 ] || timeout_secs=''
  printf '%s\n' "$command" >"$dir/command.sh"
  printf '%s' "$wrapper" >"$dir/wrapper.sh"
  : >"$dir/stdout.log"
  write_status || exit 1
  set -- sh "$dir/wrapper.sh" run "$dir" "$id" "${timeout_secs:-0}" "$runner" "$created_at"
  if [ "$runner" = tmux ]; then
    # new-window first: the session usually exists; new-session when it does not; new-window again when
    # a concurrent start created the session in between.
    tmux new-window -d -t gantry: -n "$id" "$@" 2>/dev/null ||
      tmux new-session -d -s gantry -n "$id" "$@" 2>/dev/null ||
      tmux new-window -d -t gantry: -n "$id" "$@"
  else
    setsid nohup "$@" </dev/null >/dev/null 2>&1 &
  fi
  launched=$?
  if [ "$launched" -ne 0 ]; then
    state=failed reason="could not start under $runner" ended_at=$(now)
    write_status
    echo "could not start the task under $runner" >&2
    exit 1
  fi
  printf '%s\n%s\n' "$dir" "$runner"
  ;;
run)
  dir=$1 id=$2 timeout_secs=$3 runner=$4 created_at=$5
  wrapper_pid=$$ exit_code='' reason='' ended_at='' started_at=$(now)
  [ "$timeout_secs" -gt 0 ] || timeout_secs=''
  # setsid makes the command the leader of a new process group, so a timeout or a kill reaches every
  # process it started and nothing else.
  setsid sh "$dir/command.sh" >>"$dir/stdout.log" 2>&1 </dev/null &
  pid=$!
  state=running
  write_status
  watchdog=''
  if [ -n "$timeout_secs" ]; then
    setsid sh "$dir/wrapper.sh" watchdog "$dir" "$timeout_secs" "$pid" </dev/null >/dev/null 2>&1 &
    watchdog=$!
  fi
  # A person attaching to the tmux window sees the output live.
  viewer=''
  if [ "$runner" = tmux ]; then
    tail -n +1 -f "$dir/stdout.log" &
    viewer=$!
  fi
  wait "$pid"
  exit_code=$?
  [ -n "$watchdog" ] && kill -KILL -"$watchdog" 2>/dev/null
  end_reason=''
  [ -f "$dir/.end_reason" ] && end_reason=$(cat "$dir/.end_reason")
  if [ -n "$end_reason" ]; then reap_group "$pid" 5; fi
  case $end_reason in
  timeout) state=timed_out reason="timed out after ${timeout_secs}s" ;;
  killed) state=failed reason="killed by gantry task kill" ;;
  *) if [ "$exit_code" -eq 0 ]; then state=success; else state=failed; fi ;;
  esac
  [ -n "$viewer" ] && kill "$viewer" 2>/dev/null
  ended_at=$(now)
  write_status
  ;;
watchdog)
  sleep "$2"
  note_end_reason "$1" timeout
  reap_group "$3" 5
  ;;
status | read)
  dir=$(task_dir "$1" "$2")
  [ -f "$dir/status.json" ] || exit 3
  liveness
  cat "$dir/status.json"
  if [ "$verb" = read ]; then
    offset=$3 max=$4
    size=$(wc -c <"$dir/stdout.log" | tr -d ' ')
    echo "$size"
    count=$((size - offset))
    [ "$count" -gt "$max" ] && count=$max
    [ "$count" -gt 0 ] && tail -c +"$((offset + 1))" "$dir/stdout.log" | head -c "$count"
  fi
  exit 0
  ;;
list)
  for status in "$(expand_base "$1")"/_tasks/*/status.json; do
    [ -f "$status" ] || continue
    dir=${status%/status.json}
    printf '%s\t%s\n' "$(liveness)" "$(cat "$status")"
  done
  ;;
kill)
  dir=$(task_dir "$1" "$2")
  [ -f "$dir/status.json" ] || exit 3
  pgid=$(field pgid)
  if [ -z "$pgid" ] || ! group_alive "$pgid"; then
    echo not-running
    exit 0
  fi
  note_end_reason "$dir" killed
  reap_group "$pgid" "$3"
  echo killed
  ;;
*)
  echo "usage: sh task-wrapper.sh start|status|read|list|kill|run|watchdog ..." >&2
  exit 2
  ;;
esac
