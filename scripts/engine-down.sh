#!/usr/bin/env bash
# Stops the private engine started by engine-up.sh DIR and removes DIR.
set -uo pipefail
dir=${1:?usage: engine-down.sh DIR}
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
