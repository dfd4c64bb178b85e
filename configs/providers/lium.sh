#!/bin/sh
# gantry provider adapter for the lium CLI (`pip install lium.io`), used by PROVIDER=lium.
# It speaks gantry's provider protocol:
#   provision        `lium up $LIUM_UP_ARGS`, then prints {"target": "ssh://user@host:port", "pod_id": "<name>"}
#   status <pod>     `lium ps`, succeeds while <pod> is listed
#   teardown <pod>   `lium rm <pod>`
# Provisioning is idempotent per $GANTRY_PROVISION_KEY (one per flow, the same when the flow resumes):
# the answer is kept in ${XDG_STATE_HOME:-~/.local/state}/gantry/lium/<key>.json, and a pod rented for
# the key that lium still lists is answered again instead of renting another. A second provision for a
# key while the first still runs (gantry died and resumed meanwhile) waits for the first's answer.
# The pod's SSH endpoint is read from the `ssh ...` command lium prints (`ssh [-p PORT] user@host` or
# `ssh user@host -p PORT`). Set PROVISION_CMD/STATUS_CMD/TEARDOWN_CMD yourself if your lium prints otherwise.
set -eu
command -v lium >/dev/null 2>&1 || { echo "lium CLI not found (pip install lium.io)" >&2; exit 127; }
verb=${1:-}
state=${XDG_STATE_HOME:-$HOME/.local/state}/gantry/lium
case $verb in
provision)
  key=${GANTRY_PROVISION_KEY:-}
  case $key in *[!A-Za-z0-9_.-]*) echo "GANTRY_PROVISION_KEY \"$key\" is not a plain name" >&2; exit 2 ;; esac
  if [ -n "$key" ]; then
    mkdir -p "$state"
    answer="$state/$key.json" lock="$state/$key.lock"
    # One provision per key at a time; a lock left by a provision that died is taken over.
    until mkdir "$lock" 2>/dev/null; do
      holder=$(cat "$lock/pid" 2>/dev/null || true)
      if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
        rm -rf "$lock"
      else
        sleep 1
      fi
    done
    echo $$ >"$lock/pid"
    trap 'rm -rf "$lock"' EXIT
    if [ -f "$answer" ]; then
      pod=$(sed -n 's/.*"pod_id":"\([^"]*\)".*/\1/p' "$answer")
      if lium ps 2>/dev/null | grep -qF -- "$pod"; then
        echo "pod $pod was already rented for this flow ($key); not renting another" >&2
        cat "$answer"
        exit 0
      fi
      rm -f "$answer"
    fi
  fi
  # shellcheck disable=SC2086 # LIUM_UP_ARGS is a list of words on purpose
  out=$(lium up ${LIUM_UP_ARGS:-} 2>&1) || { printf '%s\n' "$out" >&2; exit 1; }
  printf '%s\n' "$out" >&2
  line=$(printf '%s\n' "$out" | grep -Eo 'ssh +[^`"]*[A-Za-z0-9_.-]+@[A-Za-z0-9_.:-]+[^`"]*' | tail -n 1)
  userhost=$(printf '%s\n' "$line" | grep -Eo '[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+' | head -n 1)
  port=$(printf '%s\n' "$line" | sed -n 's/.*-p \{0,1\}\([0-9][0-9]*\).*/\1/p')
  # The pod's name: the word after the first "pod " or "pod: " (a name may itself start with "pod-").
  pod=$(printf '%s\n' "$out" | sed -n 's/^\([^Pp]*\|.*[^A-Za-z0-9]\)[Pp]od:\{0,1\} \{1,\}\([A-Za-z0-9][A-Za-z0-9_.-]*\).*/\2/p' | head -n 1)
  [ -n "$userhost" ] || { echo "could not find the pod's ssh command in lium's output" >&2; exit 1; }
  json=$(printf '{"target":"ssh://%s:%s","pod_id":"%s"}' "$userhost" "${port:-22}" "${pod:-$userhost}")
  if [ -n "$key" ]; then printf '%s\n' "$json" >"$answer.tmp" && mv -f "$answer.tmp" "$answer"; fi
  printf '%s\n' "$json"
  ;;
status)
  lium ps | grep -F -- "$2"
  ;;
teardown)
  lium rm "$2"
  # The pod is gone: no key may answer it again.
  for kept in "$state"/*.json; do
    if [ -f "$kept" ] && grep -qF -- "\"pod_id\":\"$2\"" "$kept"; then rm -f "$kept"; fi
  done
  ;;
*)
  echo "usage: lium.sh provision | status <pod> | teardown <pod>" >&2
  exit 2
  ;;
esac
