#!/usr/bin/env bash
# Records what the daemon section reads from real private engines, for the
# unit tests in test/host/daemon.test.ts: each dockerd's argv (from
# /proc/PID/cmdline) and its GET /info, for
#   plain:    the engine scripts/test.sh starts (scripts/engine-up.sh as is);
#   hardened: the same with --live-restore --no-new-privileges
#             --userland-proxy=false and a daemon.json (--config-file) giving
#             other settings (recorded beside as hardened.daemon.json).
# Both engines are private (own socket, data-root, exec-root) and stopped
# after. Run as root: bash scripts/record-daemon.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/host/daemon-recorded
mkdir -p "$out"
work=$(mktemp -d /tmp/bulkhead-record-daemon.XXXXXX)
trap 'bash scripts/engine-down.sh "$work/plain"; bash scripts/engine-down.sh "$work/hardened"; rm -rf "$work"' EXIT

record() { # NAME DIR
  local pid
  pid=$(cat "$2/docker.pid")
  node -e 'const fs=require("fs"); const a=fs.readFileSync(process.argv[1],"utf8").replace(/\0$/,"").split("\0"); process.stdout.write(JSON.stringify(a,null,1)+"\n")' "/proc/$pid/cmdline" >"$out/$1.argv.json"
  curl -sf --unix-socket "$2/docker.sock" http://docker/info | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.stringify(JSON.parse(s),null,1)+"\n"))' >"$out/$1.info.json"
}

bash scripts/engine-up.sh "$work/plain" >/dev/null
record plain "$work/plain"

mkdir -p "$work/conf"
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}\n' >"$work/conf/seccomp-allow.json"
cat >"$work/conf/daemon.json" <<EOF
{
  "log-level": "warn",
  "insecure-registries": ["127.0.0.0/8", "registry.example:5000"],
  "experimental": true,
  "seccomp-profile": "$work/conf/seccomp-allow.json",
  "log-driver": "syslog",
  "log-opts": {"syslog-address": "udp://127.0.0.1:514"}
}
EOF
cp "$work/conf/daemon.json" "$out/hardened.daemon.json"
DOCKERD_EXTRA_ARGS="--live-restore --no-new-privileges --userland-proxy=false --config-file $work/conf/daemon.json" \
  bash scripts/engine-up.sh "$work/hardened" >/dev/null
record hardened "$work/hardened"
echo "recorded in $out" >&2
