# gantry tracked tasks: the target-side half. POSIX sh; needs setsid and flock (util-linux), tmux optional.
#
# gantry sends this file on stdin (`sh -s -- <verb> ...`) for every control verb, and `start` copies it
# into the task folder as wrapper.sh so the detached `run` verb keeps working after the connection drops
# (for that, `start` gets this file once more after it, as $wrapper, from a here-document).
#
#   start  BASE                                    then, on stdin after this file, one line per task:
#          start_task ID TIMEOUT RUNNER AFTER COMMAND end
#                                                  create BASE/_tasks/ID and launch it, or, with an AFTER
#                                                  task id (else "-"), hold it until that task has ended;
#                                                  print "CODE<TAB>ID<TAB>folder or message<TAB>runner<TAB>
#                                                  started|held" per task (not in their order)
#   status BASE ID                                 print "alive|dead", then status.json
#   read   BASE ID OFFSET MAX                      print "alive|dead", status.json, log size, then up to
#                                                  MAX bytes of stdout.log from byte OFFSET
#   list   BASE                                    print "alive|dead<TAB>status.json" per task
#   kill   BASE GRACE ID...                        TERM each task's process group, KILL what is left after
#                                                  GRACE s; a held task is ended before it ever starts;
#                                                  print "ID<TAB>killed|not-running|missing" per task
#   run    DIR ID TIMEOUT RUNNER CREATED_AT AFTER  (detached) run command.sh, keep status.json current,
#                                                  then start the tasks held until this one ended
#   watchdog DIR TIMEOUT PGID                      (detached) end the task when TIMEOUT runs out
#
# Exit codes (and start_task's CODE): 0 ok, 1 could not start, 3 no such task, 4 target lacks a tool,
# 17 task id already used. One `start` creates a whole batch, so it spends forks sparingly: status.json
# is written by builtins and one mv, and the clock is read once per batch. A held task costs nothing
# while it waits: the task it follows lists it in its .next file and starts it when it ends.
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

json_str() { if [ -n "$1" ]; then printf '"%s"' "$1"; else printf null; fi; }

# Writes status.json from the variables below, atomically: readers see the old or the new file, never half.
write_status() {
  tmp="$dir/.status.json.$$"
  {
    printf '{"task_id":"%s","state":"%s","runner":"%s","wrapper_pid":%s,"pid":%s,"pgid":%s,"exit_code":%s,"reason":' \
      "$id" "$state" "$runner" "${wrapper_pid:-null}" "${pid:-null}" "${pid:-null}" "${exit_code:-null}"
    json_str "$reason"
    printf ',"timeout_secs":%s,"after":' "${timeout_secs:-null}"
    json_str "$after"
    printf ',"created_at":"%s","started_at":' "$created_at"
    json_str "$started_at"
    printf ',"ended_at":'
    json_str "$ended_at"
    printf '}\n'
  } >"$tmp" && mv -f "$tmp" "$dir/status.json"
}

# Sets $value to the number under "$1" in $dir/status.json, empty when it is null (builtins only).
field() {
  IFS= read -r line <"$dir/status.json" || line=''
  value=${line#*"\"$1\":"}
  value=${value%%[!0-9]*}
}

# kill -0 also answers for zombies, and containers whose PID 1 never reaps keep those forever: on
# Linux, /proc tells a process that has ended from one that has not.
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  IFS= read -r stat <"/proc/$1/stat" 2>/dev/null || return 0
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

group_alive() {
  kill -0 -"$1" 2>/dev/null || return 1
  [ -r /proc/self/stat ] || return 0
  cat /proc/[0-9]*/stat 2>/dev/null |
    awk -v g="$1" '{ sub(/.*\) /, ""); if ($3 == g && $1 != "Z") found = 1 } END { exit !found }'
}

# Sets $alive for the task in $dir: dead when its wrapper is gone (builtins only).
liveness() {
  field wrapper_pid
  if [ -z "$value" ] || pid_alive "$value"; then alive=alive; else alive=dead; fi
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

# Creates the file $1 only if it does not exist yet (noclobber: an exclusive create), so of two shells
# claiming the same thing exactly one succeeds. A task's .launched is the claim on starting it (a release
# racing another release, or a kill of a held task, never starts it twice); .running, on running it.
claim() {
  set -C
  { printf '%s\n' "$$" >"$1"; } 2>/dev/null
  claimed=$?
  set +C
  return "$claimed"
}

# Starts the detached `run` of a task now: DIR ID TIMEOUT RUNNER CREATED_AT AFTER.
spawn() {
  how=$4
  set -- sh "$1/wrapper.sh" run "$@"
  if [ "$how" = tmux ]; then
    # new-window first: the session usually exists; new-session when it does not; new-window again when
    # a concurrent start created the session in between.
    # (9>&-: a task, or a tmux server started here, must not hold the start lock.)
    tmux new-window -d -t gantry: -n "$5" "$@" </dev/null 2>/dev/null 9>&- ||
      tmux new-session -d -s gantry -n "$5" "$@" </dev/null 2>/dev/null 9>&- ||
      tmux new-window -d -t gantry: -n "$5" "$@" </dev/null 9>&- || return 1
  else
    setsid "$@" </dev/null >/dev/null 2>&1 9>&- &
  fi
}

# tmux answers each command in time that grows with the windows it has, so a batch opens its windows
# WINDOWS_PER_CALL to a tmux command (after the first, which makes sure the session exists). Queued
# tasks are reported when their windows are open.
WINDOWS_PER_CALL=50
tab=$(printf '\t')
windows='' queued='' nqueued=0 session_ready=''

# Appends $1 to $windows as one single-quoted shell word (builtins only).
add_word() {
  rest=$1 word=''
  while :; do
    case $rest in
    *"'"*) word="$word${rest%%"'"*}'\\''" rest=${rest#*"'"} ;;
    *) break ;;
    esac
  done
  windows="$windows '$word$rest'"
}

# Queues the window of a task: DIR ID TIMEOUT RUNNER CREATED_AT AFTER.
queue_window() {
  for word in new-window -d -t gantry: -n "$2" sh "$1/wrapper.sh" run "$@" ';'; do add_word "$word"; done
  queued="$queued$2$tab$1$tab$3$tab$5$tab$6
"
  nqueued=$((nqueued + 1))
  [ "$nqueued" -lt "$WINDOWS_PER_CALL" ] || flush_windows
}

# Opens the queued windows with one tmux command. When it fails part-way, each task is started on its
# own; a task whose window did open runs once all the same (its `run` claims .running).
flush_windows() {
  [ "$nqueued" -gt 0 ] || return 0
  if eval "tmux $windows" </dev/null >/dev/null 2>&1 9>&-; then opened=1; else opened=''; fi
  while IFS="$tab" read -r qid qdir qtimeout qcreated qafter; do
    [ -n "$qid" ] || continue
    if [ -n "$opened" ] || spawn "$qdir" "$qid" "$qtimeout" tmux "$qcreated" "$qafter"; then
      printf '0\t%s\t%s\ttmux\tstarted\n' "$qid" "$qdir"
    else
      not_started "$qdir" "$qid" tmux
    fi
  done <<EOF_QUEUED
$queued
EOF_QUEUED
  windows='' queued='' nqueued=0
}

# Sets the variables write_status needs for a task that never started, from its status.json in $dir.
load_unstarted() {
  IFS= read -r line <"$dir/status.json"
  created_at=${line#*'"created_at":"'} created_at=${created_at%%'"'*}
  after=${line#*'"after":'} after=${after%%,*} after=${after#'"'} after=${after%'"'}
  [ "$after" != null ] || after=''
  timeout_secs=${line#*'"timeout_secs":'} timeout_secs=${timeout_secs%%[!0-9]*}
  runner=${line#*'"runner":"'} runner=${runner%%'"'*}
  wrapper_pid='' pid='' exit_code='' started_at=''
}

# Records that the task in DIR (id ID) could not be started under RUNNER, and says so.
not_started() {
  dir=$1 id=$2
  load_unstarted
  state=failed reason="could not start under $3" ended_at=$(now)
  write_status
  printf '1\t%s\tcould not start the task under %s\t\t\n' "$id" "$3"
}

# Starts the task (claimed before), or queues its window when a batch is opening tmux windows.
launch() {
  if [ "$4" = tmux ] && [ -n "$session_ready" ]; then
    queue_window "$@"
  elif spawn "$@"; then
    [ "$4" != tmux ] || session_ready=1
    printf '0\t%s\t%s\t%s\tstarted\n' "$2" "$1" "$4"
  else
    not_started "$1" "$2" "$4"
  fi
}

# The task in $dir has ended: start the tasks held until then (listed in its .next, one id a line).
release_next() {
  [ -f "$dir/.next" ] || return 0
  while IFS= read -r next; do
    d="${dir%/*}/$next"
    [ -f "$d/.launch" ] && IFS=' ' read -r t r c <"$d/.launch" && claim "$d/.launched" && spawn "$d" "$next" "$t" "$r" "$c" "$id"
  done <"$dir/.next"
  return 0
}

# True when the task in $1 has ended: its status.json says so (read by builtins).
has_ended() {
  IFS= read -r line <"$1/status.json" || return 1
  case $line in *'"state":"success"'* | *'"state":"failed"'* | *'"state":"timed_out"'*) return 0 ;; esac
  return 1
}

# Creates one task folder and starts (or holds) the task; prints its result line (see the top).
start_task() {
  # A line cut short (the connection or gantry died while sending the batch) is not carried out.
  [ $# -eq 6 ] && [ "$6" = end ] || return 0
  id=$1 timeout_secs=$2 runner=$3 after=$4 dir="$base/_tasks/$1"
  [ "$after" != - ] || after=''
  if [ "$runner" = auto ]; then
    if command -v tmux >/dev/null 2>&1; then runner=tmux; else runner=setsid; fi
  elif [ "$runner" = tmux ] && ! command -v tmux >/dev/null 2>&1; then
    printf '4\t%s\ttmux not found on the target\t\t\n' "$id"
    return
  fi
  if [ -n "$after" ] && [ ! -f "$base/_tasks/$after/status.json" ]; then
    printf '3\t%s\tno task %s to wait for\t\t\n' "$id" "$after"
    return
  fi
  mkdir "$dir" 2>/dev/null || { printf '17\t%s\ttask %s already exists in %s\t\t\n' "$id" "$id" "$dir"; return; }
  state=pending wrapper_pid='' pid='' exit_code='' reason='' started_at='' ended_at=''
  [ "$timeout_secs" -gt 0 ] || timeout_secs=''
  printf '%s\n' "$5" >"$dir/command.sh"
  printf '%s' "$wrapper" >"$dir/wrapper.sh"
  : >"$dir/stdout.log"
  write_status || { printf '1\t%s\tcould not write %s/status.json\t\t\n' "$id" "$dir"; return; }
  if [ -n "$after" ]; then
    # Listed first, checked second: the task followed either sees this line when it ends, or has
    # already ended here; when both happen, the .launched claim starts the task once.
    printf '%s %s %s\n' "${timeout_secs:-0}" "$runner" "$created_at" >"$dir/.launch"
    printf '%s\n' "$id" >>"$base/_tasks/$after/.next"
    if ! has_ended "$base/_tasks/$after"; then
      printf '0\t%s\t%s\t%s\theld\n' "$id" "$dir" "$runner"
      return
    fi
  fi
  # Claimed here for a task nobody else knows yet; for a held one, whoever claims first starts it.
  claim "$dir/.launched" || { printf '0\t%s\t%s\t%s\tstarted\n' "$id" "$dir" "$runner"; return; }
  launch "$dir" "$id" "${timeout_secs:-0}" "$runner" "$created_at" "${after:--}"
}

verb=${1:-}
[ $# -gt 0 ] && shift
case $verb in
start)
  base=$(expand_base "$1") created_at=$(now)
  for tool in setsid flock; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool not found on the target (install util-linux)" >&2; exit 4; }
  done
  mkdir -p "$base/_tasks" || exit 1
  # One batch at a time: a batch sent again after a dropped connection waits for the cut one, which
  # goes on to its end, so a row never looks for the task it follows while that task is being created.
  exec 9>"$base/_tasks/.start.lock"
  flock -w 120 9 || { echo "another start of tasks in $base/_tasks has held its lock for 2 minutes" >&2; exit 1; }
  # A dropped connection must not stop a start half-way: every start_task line read is carried out.
  # (Caught, not ignored: the tasks started get the default handlers back.)
  trap 'lost=1' HUP PIPE
  # Windows still queued are opened when the shell ends, however the batch ended.
  trap flush_windows EXIT
  # Next on stdin: `wrapper=$(cat <<...)` with this file, then the start_task lines.
  ;;
run)
  dir=$1 id=$2 timeout_secs=$3 runner=$4 created_at=$5 after=$6
  [ "$after" != - ] || after=''
  # Once per task, even when a batch that failed part-way opened its window twice.
  claim "$dir/.running" || exit 0
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
  release_next
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
  echo "$alive"
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
    liveness
    IFS= read -r line <"$status" && printf '%s\t%s\n' "$alive" "$line"
  done
  ;;
kill)
  # Every task is signalled first and the grace period is waited once, however many tasks there are.
  tasks=$(expand_base "$1")/_tasks grace=$2 groups=''
  shift 2
  for id in "$@"; do
    dir="$tasks/$id"
    [ -f "$dir/status.json" ] || { printf '%s\tmissing\n' "$id"; continue; }
    field pgid
    pgid=$value
    if [ -z "$pgid" ]; then
      # Not started yet. Claiming its start ends a held task for good; else it is starting right now.
      if claim "$dir/.launched"; then
        load_unstarted
        state=failed reason='killed by gantry task kill before it started' ended_at=$(now)
        write_status
        # Out of the queue: the tasks held behind it now wait for what it waited for.
        before="$tasks/$after"
        if [ -n "$after" ] && [ -f "$dir/.next" ]; then
          while IFS= read -r next; do printf '%s\n' "$next" >>"$before/.next"; done <"$dir/.next"
          if has_ended "$before"; then release_next; fi
        else
          release_next
        fi
        printf '%s\tkilled\n' "$id"
        continue
      fi
      waited=0
      while [ -z "$pgid" ] && [ "$waited" -lt 10 ]; do
        sleep 1
        waited=$((waited + 1))
        field pgid
        pgid=$value
      done
    fi
    if [ -z "$pgid" ] || ! group_alive "$pgid"; then
      printf '%s\tnot-running\n' "$id"
      continue
    fi
    note_end_reason "$dir" killed
    kill -TERM -"$pgid" 2>/dev/null
    groups="$groups $pgid"
    printf '%s\tkilled\n' "$id"
  done
  waited=0
  while [ -n "$groups" ] && [ "$waited" -lt "$grace" ]; do
    sleep 1
    waited=$((waited + 1))
    left=''
    for g in $groups; do if group_alive "$g"; then left="$left $g"; fi; done
    groups=$left
  done
  for g in $groups; do kill -KILL -"$g" 2>/dev/null; done
  ;;
*)
  echo "usage: sh task-wrapper.sh start|status|read|list|kill|run|watchdog ..." >&2
  exit 2
  ;;
esac
