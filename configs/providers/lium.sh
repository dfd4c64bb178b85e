#!/bin/sh
# gantry provider adapter for the lium CLI (`pip install lium.io`), used by PROVIDER=lium.
# It speaks gantry's provider protocol:
#   provision        `lium up $LIUM_UP_ARGS`, then prints {"target": "ssh://user@host:port", "pod_id": "<name>"}
#   status <pod>     `lium ps`, succeeds while <pod> is listed
#   teardown <pod>   `lium rm <pod>`
# The pod's SSH endpoint is read from the `ssh ...` command lium prints (`ssh [-p PORT] user@host` or
# `ssh user@host -p PORT`). Set PROVISION_CMD/STATUS_CMD/TEARDOWN_CMD yourself if your lium prints otherwise.
set -eu
command -v lium >/dev/null 2>&1 || { echo "lium CLI not found (pip install lium.io)" >&2; exit 127; }
verb=${1:-}
case $verb in
provision)
  # shellcheck disable=SC2086 # LIUM_UP_ARGS is a list of words on purpose
  out=$(lium up ${LIUM_UP_ARGS:-} 2>&1) || { printf '%s\n' "$out" >&2; exit 1; }
  printf '%s\n' "$out" >&2
  line=$(printf '%s\n' "$out" | grep -Eo 'ssh +[^`"]*[A-Za-z0-9_.-]+@[A-Za-z0-9_.:-]+[^`"]*' | tail -n 1)
  userhost=$(printf '%s\n' "$line" | grep -Eo '[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+' | head -n 1)
  port=$(printf '%s\n' "$line" | sed -n 's/.*-p \{0,1\}\([0-9][0-9]*\).*/\1/p')
  pod=$(printf '%s\n' "$out" | sed -n 's/.*[Pp]od[^A-Za-z0-9]*\([A-Za-z0-9][A-Za-z0-9_-]*\).*/\1/p' | head -n 1)
  [ -n "$userhost" ] || { echo "could not find the pod's ssh command in lium's output" >&2; exit 1; }
  printf '{"target":"ssh://%s:%s","pod_id":"%s"}\n' "$userhost" "${port:-22}" "${pod:-$userhost}"
  ;;
status)
  lium ps | grep -F -- "$2"
  ;;
teardown)
  lium rm "$2"
  ;;
*)
  echo "usage: lium.sh provision | status <pod> | teardown <pod>" >&2
  exit 2
  ;;
esac
