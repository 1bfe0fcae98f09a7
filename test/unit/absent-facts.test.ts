/**
 * A fact an input cannot know is `absent`, and no rule may report it: a
 * Dockerfile says nothing of privileged mode, memory limits or mounts.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runRules } from '../../src/core/engine.js';
import { RULES } from '../../src/rules/index.js';
import type { Container } from '../../src/model/container.js';
import { absent } from '../../src/model/value.js';

const fields = [
  'image', 'state', 'user', 'privileged', 'capAdd', 'capDrop', 'apparmor', 'seccomp', 'selinux', 'noNewPrivileges',
  'networkMode', 'pidMode', 'ipcMode', 'utsMode', 'usernsMode', 'networks', 'mounts', 'ports', 'exposedPorts', 'devices',
  'ulimits', 'memory', 'cpuShares', 'nanoCpus', 'cpuQuota', 'pidsLimit', 'readOnlyRootfs', 'restartPolicy', 'cgroupParent',
  'healthcheck', 'health', 'env', 'entrypoint', 'cmd', 'processes',
] as const;

test('a container of which nothing is known has no findings', () => {
  const unknown = Object.fromEntries(fields.map((f) => [f, absent(f)])) as unknown as Omit<Container, 'subject' | 'source'>;
  const container: Container = { subject: { kind: 'container', name: 'unknown' }, source: { kind: 'dockerfile' }, ...unknown };
  const findings = runRules({ containers: [container] }, RULES);
  assert.deepEqual(findings.map((f) => f.rule.name), []);
});
