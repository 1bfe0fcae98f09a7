/**
 * Image histories as builds: the classic builder's history recorded from the
 * test engine (`docker build` with DOCKER_BUILDKIT=0 of the Dockerfile beside
 * it), judged by the build rules with the same ids as the Dockerfile itself.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildOfHistory, instructionOf } from '../../src/inputs/engine/image-history.js';
import { readBuild } from '../../src/inputs/dockerfile/parse.js';
import { runRules } from '../../src/core/engine.js';
import { RULES } from '../../src/rules/index.js';
import type { Subject } from '../../src/model/subject.js';
import { repoRoot } from '../support/env.js';

const recorded = (name: string) => readFileSync(join(repoRoot, 'test', 'unit', 'recorded', name), 'utf8');
const subject: Subject = { kind: 'image', name: 'classic:1', id: 'sha256:a0de743dd6f1' };
const buildRules = RULES.filter((r) => r.needs.every((n) => n === 'build' || n === 'runtime'));

test('a classic build history: RUN steps with their shell and build arguments, ADD of a folder; metadata and ambiguous ADDs left out', () => {
  const { build, notes } = buildOfHistory(JSON.parse(recorded('classic-build.history.json')), subject);
  assert.deepEqual(notes, []);
  assert.ok(build);
  assert.equal(build.subject, subject);
  const steps = build.stages[0]!.instructions.map((i) => `${i.path} ${i.keyword} ${(i.commands ?? []).filter((c) => c.wrappedBy).map((c) => [c.name, ...c.args].join(' ')).join('; ')}`);
  assert.deepEqual(steps, [
    'History FROM ',
    'History[12].CreatedBy RUN printf #!/bin/sh\\nexit 0\\n; chmod +x /bin/apt-get; cp /bin/apt-get /bin/apk',
    'History[9].CreatedBy ADD ',
    'History[7].CreatedBy RUN apt-get update',
    'History[6].CreatedBy RUN echo one; echo two',
    'History[4].CreatedBy RUN apk update',
  ]);
  // Positions are in the recorded text, not a file.
  for (const i of build.stages[0]!.instructions) assert.equal(i.loc?.file ?? '', '');
});

test('the build rules find in the history what they find in its Dockerfile, where the history can tell', () => {
  const fromHistory = runRules({ containers: [], builds: [buildOfHistory(JSON.parse(recorded('classic-build.history.json')), subject).build!] }, buildRules);
  assert.deepEqual(
    fromHistory.map((f) => `${f.rule.name} ${f.location.path}`).sort(),
    ['add-instead-of-copy History[9].CreatedBy', 'update-without-install History[4].CreatedBy.commands[1]', 'update-without-install History[7].CreatedBy.commands[1]'],
  );
  for (const f of fromHistory) {
    assert.equal(f.subject, subject);
    assert.equal(f.location.loc, undefined, 'a history finding has no file position');
  }
  const fromDockerfile = runRules({ containers: [], builds: [readBuild(recorded('classic-build.Dockerfile'), 'Dockerfile')] }, buildRules);
  const dockerfileRules = new Set(fromDockerfile.map((f) => f.rule.name));
  for (const f of fromHistory) assert.ok(dockerfileRules.has(f.rule.name), `${f.rule.name} is found in the Dockerfile too`);
  // The Dockerfile also says ADD a.txt (a plain file): the history's `ADD file:<hash>` cannot tell it from an archive, so it is not judged.
  assert.equal(fromDockerfile.filter((f) => f.rule.name === 'add-instead-of-copy').length, 2);
});

test('BuildKit steps (the text buildkit records: RUN … # buildkit, ADD/COPY with their sources as written)', () => {
  // Shapes from moby/buildkit frontend/dockerfile/dockerfile2llb (commitToHistory, runCommandString, dispatchCopy).
  assert.equal(instructionOf('RUN /bin/sh -c apt-get update # buildkit'), 'RUN ["/bin/sh","-c","apt-get update"]');
  assert.equal(instructionOf('RUN |2 A=1 B=two words /bin/sh -c apk update # buildkit'), 'RUN ["/bin/sh","-c","apk update"]');
  assert.equal(instructionOf('ADD --chown=1:1 app.py /srv/ # buildkit'), 'ADD --chown=1:1 app.py /srv/');
  assert.equal(instructionOf('ADD https://example.org/x.tgz /x # buildkit'), undefined, 'a download: --checksum is never recorded');
  assert.equal(instructionOf('ADD https://example.org/x.tgz conf.d /x # buildkit'), 'ADD conf.d /x');
  assert.equal(instructionOf('COPY --chmod=777 a /a # buildkit'), 'COPY --chmod=777 a /a');
  assert.equal(instructionOf('ENV PATH=/usr/local/bin:/usr/bin'), undefined);
  assert.equal(instructionOf('WORKDIR /app # buildkit'), undefined);
});

test('classic and commit steps', () => {
  assert.equal(instructionOf('/bin/sh -c #(nop) ADD file:00ec16 in / '), undefined, 'a file or an archive or a download: cannot tell');
  assert.equal(instructionOf('/bin/sh -c #(nop) ADD multi:00ec16 in /x/ '), undefined);
  assert.equal(instructionOf('/bin/sh -c #(nop) COPY dir:00ec16 in /x '), undefined);
  assert.equal(instructionOf('/bin/sh -c #(nop) ADD dir:00ec16 in /srv '), 'ADD dir:00ec16 /srv');
  assert.equal(instructionOf('/bin/sh -c #(nop)  USER 1000'), undefined);
  assert.equal(instructionOf('/bin/bash -o pipefail -c curl -s x | sh'), 'RUN ["/bin/bash","-o","pipefail","-c","curl -s x | sh"]');
  assert.equal(instructionOf('sh -c rm /bin/su2; chmod g-s /bin/sg'), 'RUN ["sh","-c","rm /bin/su2; chmod g-s /bin/sg"]');
  assert.equal(instructionOf('sleep 100'), 'RUN ["sleep","100"]');
  assert.equal(instructionOf('|1 X=1 sleep 100'), 'RUN ["sleep","100"]');
  assert.equal(instructionOf('   '), undefined);
});

test('any history text gives a build or notes, never an exception', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ CreatedBy: fc.oneof(fc.string(), fc.constantFrom('RUN /bin/sh -c ', '/bin/sh -c #(nop) ADD dir:', '|3 ', 'ADD ', ' # buildkit'), fc.anything()) }), { maxLength: 8 }), (history) => {
      const { build, notes } = buildOfHistory(history, subject);
      assert.ok(Array.isArray(notes));
      if (build) assert.equal(build.stages.length, 1);
    }),
    { numRuns: 300 },
  );
  const huge = [{ CreatedBy: `/bin/sh -c echo ${'x'.repeat(70_000)}` }];
  const { build, notes } = buildOfHistory(huge, subject);
  assert.equal(build, undefined);
  assert.match(notes[0]!, /too large/);
});
