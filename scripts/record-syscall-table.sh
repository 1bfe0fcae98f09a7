#!/bin/bash
# Writes src/harden/auditd/syscalls-x86_64.ts from `ausyscall --dump` (auditd's
# own x86_64 table), so `bulkhead auditd report` names syscalls as ausearch -i
# does without running ausyscall per event or at all.
set -euo pipefail
out="$(dirname "$0")/../src/harden/auditd/syscalls-x86_64.ts"
version=$(dpkg-query -W -f '${Version}' auditd 2>/dev/null || echo unknown)
{
  echo "// Recorded by scripts/record-syscall-table.sh from \`ausyscall --dump\` (auditd ${version}); do not edit."
  echo "/** x86_64 (audit arch c000003e) syscall numbers to names, as ausyscall and ausearch -i name them. */"
  echo "export const X86_64_SYSCALLS: ReadonlyMap<number, string> = new Map(["
  ausyscall --dump | tail -n +2 | awk -F'\t' '{ printf "  [%s, \x27%s\x27],\n", $1, $2 }'
  echo "]);"
} > "$out"
echo "wrote $out"
