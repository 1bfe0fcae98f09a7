#!/bin/bash
# Records real audit.log text: starts the real auditd in the foreground with a
# private configuration whose log is OUTDIR/audit.log, loads watches with key
# "docker" on files in a temp folder, touches them in known ways, stops
# auditd, removes the watches and puts the kernel's audit switch back.
#
#   bash scripts/record-audit-log.sh OUTDIR     (root; no auditd may be running)
#
# The events, in order (test/unit/auditd-log.test.ts and
# test/host/auditd-live.test.ts assert them):
#   1. auditctl adds the watch on "$dir/daemon.json"          CONFIG_CHANGE add_rule
#   2. auditctl adds the watch on "$dir/docker dir" (a blank)  CONFIG_CHANGE add_rule
#   3. cat reads daemon.json as root, login uid unset          openat, success
#   4. chmod 600 daemon.json, login uid 1000                   fchmodat, success
#   5. cat daemon.json as uid 65534 (setpriv)                  openat, denied
#   6. touch "docker dir/new file" with login uid 1000         openat (creat), success
set -euo pipefail
out=${1:?usage: record-audit-log.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ "$(id -u)" != 0 ]; then echo "record-audit-log.sh: needs root" >&2; exit 2; fi
pid=$(auditctl -s | awk '$1 == "pid" { print $2 }')
if [ "${pid:-0}" != 0 ]; then echo "record-audit-log.sh: auditd (pid $pid) already runs; only one can" >&2; exit 3; fi
enabled=$(auditctl -s | awk '$1 == "enabled" { print $2 }')

work=$(mktemp -d /tmp/bulkhead-auditlog.XXXXXX)
chmod 755 "$work" # uid 65534 must reach daemon.json to be refused at the file, where the watch is
mkdir "$work/conf" "$work/plugins" "$work/files" "$work/files/docker dir"
dir="$work/files"
echo '{}' > "$dir/daemon.json"
chmod 644 "$dir/daemon.json"
cat > "$work/conf/auditd.conf" <<CONF
local_events = yes
write_logs = yes
log_file = $out/audit.log
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 1
max_log_file = 64
num_logs = 1
max_log_file_action = IGNORE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
plugin_dir = $work/plugins
end_of_event_timeout = 2
q_depth = 2000
overflow_action = IGNORE
CONF
chmod 600 "$work/conf/auditd.conf"
rm -f "$out/audit.log"

daemon=
cleanup() {
  if [ -n "$daemon" ]; then kill -TERM "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  auditctl -W "$dir/daemon.json" -p rwxa -k docker >/dev/null 2>&1 || true
  auditctl -W "$dir/docker dir" -p rwxa -k docker >/dev/null 2>&1 || true
  auditctl -e "${enabled:-0}" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

auditd -n -s enable -c "$work/conf" &
daemon=$!
for _ in $(seq 50); do
  [ "$(auditctl -s | awk '$1 == "pid" { print $2 }')" = "$daemon" ] && break
  sleep 0.1
done
[ "$(auditctl -s | awk '$1 == "pid" { print $2 }')" = "$daemon" ] || { echo "record-audit-log.sh: auditd did not register" >&2; exit 3; }

auditctl -w "$dir/daemon.json" -p rwxa -k docker
auditctl -w "$dir/docker dir" -p rwxa -k docker
cat "$dir/daemon.json" > /dev/null
sh -c 'echo 1000 > /proc/self/loginuid && exec chmod 600 "$1"' sh "$dir/daemon.json"
setpriv --reuid=65534 --regid=65534 --clear-groups cat "$dir/daemon.json" > /dev/null 2>&1 || true
sh -c 'echo 1000 > /proc/self/loginuid && exec touch "$1"' sh "$dir/docker dir/new file"

# auditd writes what it has on SIGTERM, then exits.
kill -TERM "$daemon"
wait "$daemon" || true
daemon=
echo "$dir" > "$out/watched-dir"
echo "recorded $(wc -l < "$out/audit.log") lines in $out/audit.log (watched files under $dir)"
