#!/usr/bin/env bash
# Stops the private engine started by engine-up.sh DIR and removes DIR.
set -uo pipefail
dir=${1:?usage: engine-down.sh DIR}
host="unix://$dir/docker.sock"
# A user-defined network is a kernel bridge that outlives dockerd and its
# data-root: remove the containers and networks first, or every run leaks a
# bridge and one of the default address pools (after ~30 runs no engine can
# create a network).
if docker -H "$host" version >/dev/null 2>&1; then
  docker -H "$host" ps -aq | xargs -r docker -H "$host" rm -f >/dev/null 2>&1
  docker -H "$host" network ls -q --filter type=custom | xargs -r docker -H "$host" network rm >/dev/null 2>&1
fi
if [ -f "$dir/docker.pid" ]; then
  pid=$(cat "$dir/docker.pid")
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
fi
# dockerd leaves its containerd and shims behind when killed hard.
pkill -f -- "$dir/exec" 2>/dev/null
grep -o " $dir/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
rm -rf "$dir"
