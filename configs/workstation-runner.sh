# gantry official-run: the target-side runner (POSIX sh). It is the command of the run's tracked task:
#
#   sh -c "<this file>" gantry-runner AUDIT_DIR PROJECT_DIR REPORT_DIR REPORT_NAME
#
# Runs AUDIT_DIR/command.sh with all its output in AUDIT_DIR/run.log, then writes AUDIT_DIR/result.json
# (temp file + rename): status, exit code, UTC times, duration and the report files the run produced
# (files under REPORT_DIR named REPORT_NAME, newer than context.json, relative to PROJECT_DIR).
# Written here, on the target, so the audit folder is complete even when no gantry is connected.
set -u
dir=$1 project=$2 report_dir=$3 report_name=$4

now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
json_str() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr -d '\n\r\t')"; }

started_at=$(now)
t0=$(date +%s)
sh "$dir/command.sh" >"$dir/run.log" 2>&1 </dev/null &
pid=$!
# A TERM for the runner (a timeout, `gantry task kill`) goes on to the command; result.json is still written.
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT HUP
while :; do
  wait "$pid"
  code=$?
  kill -0 "$pid" 2>/dev/null || break
done
t1=$(date +%s)
if [ "$code" -eq 0 ]; then status=success; else status=failed; fi

reports=$(cd "$project" 2>/dev/null && [ -d "$report_dir" ] &&
  find "$report_dir" \( -name .git -o -name node_modules \) -prune -o -type f -name "$report_name" -newer "$dir/context.json" -print 2>/dev/null |
  sed 's|^\./||' | sort | while IFS= read -r f; do printf ',%s' "$(json_str "$f")"; done)

tmp="$dir/.result.json.$$"
printf '{"status":"%s","exit_code":%s,"started_at":"%s","finished_at":"%s","duration_secs":%s,"reports":[%s]}\n' \
  "$status" "$code" "$started_at" "$(now)" "$((t1 - t0))" "${reports#,}" >"$tmp" && mv -f "$tmp" "$dir/result.json"
exit "$code"
