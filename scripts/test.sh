#!/usr/bin/env bash
# Runs every test. On a Debian machine as root it first installs what the
# integration tests need (docker.io, busybox-static, gcc, auditd, libcap2-bin,
# apparmor, strace, libxml2-utils, chromium, ansible-core) and starts a PRIVATE
# Docker engine under a temporary directory; it never touches an engine the
# user already runs. Without root or apt the engine tests skip, loudly; with
# BULKHEAD_REQUIRE_ENGINE=1 (as in CI) a skipped engine test fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v busybox >/dev/null || need+=(busybox-static)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
command -v auditctl >/dev/null || [ -x /usr/sbin/auditctl ] || need+=(auditd)
command -v capsh >/dev/null || [ -x /usr/sbin/capsh ] || need+=(libcap2-bin)
command -v apparmor_parser >/dev/null || [ -x /usr/sbin/apparmor_parser ] || need+=(apparmor)
command -v strace >/dev/null || need+=(strace)
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v chromium >/dev/null || need+=(chromium)
command -v ansible-playbook >/dev/null || need+=(ansible-core)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test: installing ${need[*]}" >&2
    # policy-rc.d keeps the package from starting a system-wide dockerd.
    if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; added_policy=1; fi
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"; } >&2 || echo "test: apt-get failed" >&2
    [ -n "${added_policy:-}" ] && rm -f /usr/sbin/policy-rc.d
  else
    echo "test: cannot install ${need[*]} (needs root and apt-get)" >&2
  fi
fi

npm run --silent build || exit 2

# The tests' temporary folders go in one folder of this run's own (os.tmpdir() reads TMPDIR), removed at
# the end: a test that leaves its folder behind then leaves nothing. --one-file-system: never into a mount.
engine_dir=""
test_tmp=$(mktemp -d /tmp/bulkhead-test.XXXXXX)
chmod 755 "$test_tmp" # as /tmp lets other users through: some tests run processes as other users
export TMPDIR="$test_tmp"
cleanup() {
  [ -n "$engine_dir" ] && bash scripts/engine-down.sh "$engine_dir"
  rm -rf --one-file-system "$test_tmp"
}
trap cleanup EXIT

if [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null && command -v busybox >/dev/null; then
  engine_dir=$(mktemp -d /tmp/bulkhead-engine.XXXXXX)
  if host=$(bash scripts/engine-up.sh "$engine_dir"); then
    export BULKHEAD_TEST_DOCKER_HOST="$host"
    echo "test: private Docker engine at $host" >&2
  else
    echo "test: could not start the private Docker engine" >&2
  fi
fi
if [ -z "${BULKHEAD_TEST_DOCKER_HOST:-}" ]; then
  echo "test: ************************************************************" >&2
  echo "test: NO DOCKER ENGINE: the engine tests will SKIP (run as root on Debian)" >&2
  echo "test: ************************************************************" >&2
fi

node --test --test-concurrency=2 dist/test/
