/**
 * Records the rule fixtures from the real engine: for every
 * test/rules/<rule>/record.json case it creates (and optionally starts) a
 * container with the case's `docker create` arguments on the private engine,
 * writes `docker inspect` to <case>.inspect.json (and the engine's process
 * list to <case>.top.json when asked), then removes the container.
 *
 *   BULKHEAD_TEST_DOCKER_HOST=unix:///… node dist/scripts/record-fixtures.js [RULE | RULE/CASE …]
 *
 * record.json: { "<case>": { "args": [...], "cmd"?: [...], "start"?: true, "top"?: true, "info"?: true } }
 * (`top` records GET /containers/{id}/top, `info` records GET /info beside the inspect JSON.)
 * Case names start with "bad" (the rule must fire) or "good" (it must not).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';

interface Case {
  args: string[];
  cmd?: string[];
  start?: boolean;
  top?: boolean;
  info?: boolean;
}

const host = process.env['BULKHEAD_TEST_DOCKER_HOST'];
if (!host) {
  console.error('record-fixtures: set BULKHEAD_TEST_DOCKER_HOST to a private engine (scripts/engine-up.sh DIR prints it)');
  process.exit(2);
}
const rulesDir = join(fileURLToPath(import.meta.url), '..', '..', '..', 'test', 'rules');
const engine = new Docker({ socketPath: new URL(host).pathname });
const docker = (...args: string[]) => execFileSync('docker', ['-H', host, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const only = process.argv.slice(2);
for (const rule of readdirSync(rulesDir)) {
  if (only.length && !only.some((o) => o === rule || o.startsWith(`${rule}/`))) continue;
  const specFile = join(rulesDir, rule, 'record.json');
  if (!existsSync(specFile)) continue;
  const cases = JSON.parse(readFileSync(specFile, 'utf8')) as Record<string, Case>;
  for (const [name, c] of Object.entries(cases)) {
    if (only.length && !only.includes(rule) && !only.includes(`${rule}/${name}`)) continue;
    const container = `${rule}-${name}`;
    docker('rm', '-f', container);
    docker('create', '--name', container, ...c.args, 'bulkhead-test:1', ...(c.cmd ?? ['sleep', '3600']));
    try {
      if (c.start) docker('start', container);
      writeFileSync(join(rulesDir, rule, `${name}.inspect.json`), docker('inspect', container));
      if (c.top) {
        // The Engine API's own answer (GET /containers/{id}/top), as the live audit would see it.
        const top = await engine.getContainer(container).top();
        writeFileSync(join(rulesDir, rule, `${name}.top.json`), JSON.stringify(top, null, 2) + '\n');
      }
      if (c.info) writeFileSync(join(rulesDir, rule, `${name}.info.json`), JSON.stringify(await engine.info(), null, 2) + '\n');
      console.log(`recorded ${rule}/${name}`);
    } finally {
      docker('rm', '-f', container);
    }
  }
}
