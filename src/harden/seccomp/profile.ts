import type { Selection } from './selection.js';

/** Docker's seccomp profile format (moby's profiles/seccomp types), the parts bulkhead writes. */
export interface DockerSeccompProfile {
  readonly defaultAction: 'SCMP_ACT_ERRNO';
  readonly defaultErrnoRet: number;
  readonly archMap: readonly { architecture: string; subArchitectures: readonly string[] | null }[];
  readonly syscalls: readonly SyscallRule[];
}

export interface SyscallRule {
  readonly names: readonly string[];
  readonly action: 'SCMP_ACT_ALLOW' | 'SCMP_ACT_ERRNO';
  readonly errnoRet?: number;
  readonly args?: readonly ArgCondition[];
  readonly comment?: string;
  readonly includes?: { arches: readonly string[] };
  readonly excludes?: { arches: readonly string[] };
}

interface ArgCondition {
  readonly index: number;
  readonly value: number;
  readonly valueTwo: number;
  readonly op: 'SCMP_CMP_EQ' | 'SCMP_CMP_LT' | 'SCMP_CMP_GT' | 'SCMP_CMP_MASKED_EQ';
}

const EPERM = 1;
const ENOSYS = 38;

/** The architectures Docker maps: dockerd keeps the entry for the machine it runs on, with its compat sub-architectures. */
const ARCH_MAP: DockerSeccompProfile['archMap'] = [
  { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
  { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
  { architecture: 'SCMP_ARCH_MIPS64', subArchitectures: ['SCMP_ARCH_MIPS', 'SCMP_ARCH_MIPS64N32'] },
  { architecture: 'SCMP_ARCH_MIPS64N32', subArchitectures: ['SCMP_ARCH_MIPS', 'SCMP_ARCH_MIPS64'] },
  { architecture: 'SCMP_ARCH_MIPSEL64', subArchitectures: ['SCMP_ARCH_MIPSEL', 'SCMP_ARCH_MIPSEL64N32'] },
  { architecture: 'SCMP_ARCH_MIPSEL64N32', subArchitectures: ['SCMP_ARCH_MIPSEL', 'SCMP_ARCH_MIPSEL64'] },
  { architecture: 'SCMP_ARCH_PPC64LE', subArchitectures: null },
  { architecture: 'SCMP_ARCH_S390X', subArchitectures: ['SCMP_ARCH_S390'] },
  { architecture: 'SCMP_ARCH_RISCV64', subArchitectures: null },
];

/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET. (CLONE_NEWTIME shares its bit with clone's exit signal: only clone3 and unshare take it.) */
export const CLONE_NAMESPACE_FLAGS = 0x7e020000;

const AF_ALG = 38;
const AF_VSOCK = 40;

/** The personalities Docker lets a container choose: Linux, 32-bit Linux, UNAME26 with either, and the query 0xffffffff. */
const PERSONALITIES = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

/** Syscalls allowed only with arguments, written as their own entries. */
const CONDITIONAL = new Set(['clone', 'clone3', 'socket', 'personality']);

const arg = (index: number, op: ArgCondition['op'], value: number, valueTwo = 0): ArgCondition => ({ index, value, valueTwo, op });

/** Builds the Docker-format profile for a selection. */
export function buildProfile(selection: Selection): DockerSeccompProfile {
  const { allowed, denied } = selection;
  const rules: SyscallRule[] = [];
  const plain = [...allowed].filter((s) => !CONDITIONAL.has(s)).sort();
  rules.push({ names: plain, action: 'SCMP_ACT_ALLOW' });
  rules.push(...conditionalRules(allowed));
  const eperm = [...denied].filter((s) => s !== 'clone3').sort();
  if (eperm.length) rules.push({ names: eperm, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM, comment: 'denied by --deny' });
  // EPERM from clone3 would fail thread creation outright; ENOSYS sends the C library to clone, which --deny clone can stop.
  if (denied.has('clone3')) rules.push({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS, comment: 'denied by --deny, as ENOSYS: the C library falls back to clone' });
  return { defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: EPERM, archMap: ARCH_MAP, syscalls: rules };
}

function conditionalRules(allowed: ReadonlySet<string>): SyscallRule[] {
  const rules: SyscallRule[] = [];
  // Creating namespaces with clone is the same power as unshare: allowed together or not at all.
  const namespaces = allowed.has('unshare');
  if (allowed.has('clone')) {
    if (namespaces) rules.push({ names: ['clone'], action: 'SCMP_ACT_ALLOW' });
    else {
      rules.push({
        names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [arg(0, 'SCMP_CMP_MASKED_EQ', CLONE_NAMESPACE_FLAGS, 0)],
        comment: 'threads and processes, no new namespaces', excludes: { arches: ['s390', 's390x'] },
      });
      rules.push({
        names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [arg(1, 'SCMP_CMP_MASKED_EQ', CLONE_NAMESPACE_FLAGS, 0)],
        comment: 'on s390 the flags are clone\'s second argument', includes: { arches: ['s390', 's390x'] },
      });
    }
  }
  if (allowed.has('clone3')) {
    // clone3's flags sit in memory a filter cannot read: without namespaces, ENOSYS makes the C library fall back to clone, which the filter can check.
    rules.push(namespaces
      ? { names: ['clone3'], action: 'SCMP_ACT_ALLOW' }
      : { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS, comment: 'ENOSYS: the C library falls back to clone, whose flags the filter checks' });
  }
  if (allowed.has('socket')) {
    // Entries are alternatives (conditions within one entry must all hold), so "neither AF_ALG nor AF_VSOCK" is three ranges.
    const comment = 'any address family but AF_ALG (38) and AF_VSOCK (40)';
    rules.push({ names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [arg(0, 'SCMP_CMP_LT', AF_ALG)], comment });
    rules.push({ names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [arg(0, 'SCMP_CMP_EQ', AF_ALG + 1)], comment });
    rules.push({ names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [arg(0, 'SCMP_CMP_GT', AF_VSOCK)], comment });
  }
  if (allowed.has('personality')) {
    for (const p of PERSONALITIES) rules.push({ names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [arg(0, 'SCMP_CMP_EQ', p)] });
  }
  return rules;
}
