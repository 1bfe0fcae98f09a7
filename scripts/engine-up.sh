#!/usr/bin/env bash
# Starts a PRIVATE Docker engine for the tests: its own socket, data-root and
# exec-root under DIR, never the user's engine. Builds the test image
# bulkhead-test:1 (Debian's busybox-static, plus a static `sshd` stand-in for
# the sshd rule) with `docker import`, since nothing can be pulled here, and a
# user-defined bridge network bulkhead-net (the default bridge is off).
# Usage: engine-up.sh DIR   (prints the DOCKER_HOST to use)
# On a DIR whose engine was stopped (its pid gone, its data-root kept), it
# starts that engine again, with its images and networks as they were: the
# watch test restarts an engine mid-watch this way.
# DOCKERD_EXTRA_ARGS adds daemon flags (e.g. "--no-new-privileges --icc=false").
set -euo pipefail
dir=${1:?usage: engine-up.sh DIR}
mkdir -p "$dir"
restart=""
[ -d "$dir/data" ] && restart=1
sock="$dir/docker.sock"
host="unix://$sock"

dockerd --host "$host" --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" \
  --storage-driver=vfs --iptables=false --bridge=none ${DOCKERD_EXTRA_ARGS:-} >"$dir/dockerd.log" 2>&1 &
for _ in $(seq 1 100); do
  if docker -H "$host" version >/dev/null 2>&1; then break; fi
  sleep 0.2
done
docker -H "$host" version >/dev/null 2>&1 || { echo "engine-up: private dockerd did not start; see $dir/dockerd.log" >&2; tail -20 "$dir/dockerd.log" >&2; exit 1; }

if [ -n "$restart" ]; then echo "$host"; exit 0; fi

rootfs="$dir/rootfs"
rm -rf "$rootfs"
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/usr/sbin" "$rootfs/root"
chmod 755 "$rootfs"
chmod 1777 "$rootfs/tmp"
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for applet in $("$rootfs/bin/busybox" --list); do
  [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
# A process whose argv[0] is sshd, as OpenSSH's daemon shows in a process list.
printf '#include <unistd.h>\nint main(void){for(;;)pause();}\n' >"$dir/sshd.c"
gcc -static -O2 -o "$rootfs/usr/sbin/sshd" "$dir/sshd.c"
tar -C "$rootfs" -c . | docker -H "$host" import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/usr/sbin:/bin' - bulkhead-test:1 >/dev/null
docker -H "$host" network create -d bridge bulkhead-net >/dev/null
echo "$host"
