/** The Dockerfile adapter: the build model (stages, instructions, shell commands) and the runtime facts, with positions. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { runRules } from '../../src/core/engine.js';
import { RULES } from '../../src/rules/index.js';
import { scanDockerfile } from '../../src/inputs/dockerfile/scan.js';
import { dockerfileRuntimeFacts } from '../../src/inputs/dockerfile/facts.js';
import { parseImageRef } from '../../src/inputs/dockerfile/parse.js';
import { allInstructions, finalStage, inFinalImage, instructionsOf, runCommands, stageChain, type Build, type Instruction, type ShellCommand } from '../../src/model/build.js';
import type { Container } from '../../src/model/container.js';
import type { Loc } from '../../src/model/value.js';
import { fixturesDir } from '../support/env.js';

const realWorld = (name: string) => readFileSync(join(fixturesDir, 'scan', 'real-world', name), 'utf8');

function scan(text: string, file = 'Dockerfile'): { build: Build; container: Container } {
  const r = scanDockerfile(text, file);
  assert.equal(r.builds.length, 1);
  assert.equal(r.containers.length, 1);
  return { build: r.builds[0]!, container: r.containers[0]! };
}

/** line:column-endLine:endColumn */
function at(l: Loc | undefined): string {
  assert.ok(l, 'has a loc');
  return `${l.line}:${l.column}-${l.endLine}:${l.endColumn}`;
}

function commands(ins: Instruction | undefined): { name: string; args: readonly string[]; wrappedBy?: string }[] {
  assert.ok(ins?.commands, 'has commands');
  return ins.commands.map((c) => (c.wrappedBy ? { name: c.name, args: c.args, wrappedBy: c.wrappedBy } : { name: c.name, args: c.args }));
}

function onlyRun(text: string): Instruction {
  const { build } = scan(`FROM debian:12\n${text}`);
  const run = build.stages[0]!.instructions[1];
  assert.ok(run);
  return run;
}

function inputError(text: string, file = 'Dockerfile'): string {
  try {
    scanDockerfile(text, file);
  } catch (e) {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected an InputError');
}

test('a real multi-stage Go build: stages, roles, bases, instructions placed 1-based', () => {
  const { build } = scan(realWorld('go-multistage.Dockerfile'), 'go.Dockerfile');
  assert.deepEqual(
    build.stages.map((s) => [s.name, s.role, s.base.image, s.base.stage]),
    [
      ['build', 'builder', 'golang:1.22.5-alpine3.20', undefined],
      ['test', 'unused', 'build', 0],
      [undefined, 'final', 'gcr.io/distroless/static-debian12:nonroot@sha256:8dd8d3ca2cf283383304fd45a5c9c74d5f2cd9da8d3b077d720e264880077c65', undefined],
    ],
  );
  assert.deepEqual(build.directives.map((d) => [d.name, d.value, d.loc?.line]), [['syntax', 'docker/dockerfile:1.7', 1]]);
  assert.deepEqual(
    build.preamble.map((i) => [i.keyword, i.properties?.map((p) => [p.name, p.value])]),
    [
      ['ARG', [['GO_VERSION', '1.22.5']]],
      ['ARG', [['ALPINE_VERSION', '3.20']]],
    ],
  );
  const [b, , final] = build.stages;
  // ARG substitution in FROM; the reference split into its parts.
  assert.deepEqual(b!.base.ref, { repository: 'golang', tag: '1.22.5-alpine3.20' });
  assert.equal(b!.platform, '$BUILDPLATFORM');
  assert.equal(b!.base.path, 'stages[0].base');
  assert.equal(at(b!.base.loc), '8:32-8:76');
  assert.equal(at(b!.loc), '8:1-8:85');
  assert.deepEqual(final!.base.ref, {
    registry: 'gcr.io',
    repository: 'distroless/static-debian12',
    tag: 'nonroot',
    digest: 'sha256:8dd8d3ca2cf283383304fd45a5c9c74d5f2cd9da8d3b077d720e264880077c65',
  });
  assert.deepEqual(final!.copiesFrom, [0]);
  assert.ok(inFinalImage(final!) && !inFinalImage(b!));
  assert.deepEqual(stageChain(build, build.stages[1]!).map((s) => s.index), [1, 0]);
  // FROM is instructions[0]; every instruction has its path and loc.
  assert.equal(b!.instructions[0]!.keyword, 'FROM');
  for (const { instruction } of allInstructions(build)) {
    assert.ok(instruction.loc && instruction.loc.line >= 1 && instruction.loc.column === 1, instruction.path);
    assert.match(instruction.path, /^(preamble|stages\[\d+\]\.instructions)\[\d+\]$/);
  }
  // A RUN with cache mounts over continuation lines: flags, Docker's joined args, commands at their own lines.
  const run = instructionsOf(b!, 'RUN')[2]!;
  assert.equal(run.path, 'stages[0].instructions[9]');
  assert.equal(at(run.loc), '21:1-26:28');
  assert.deepEqual(
    run.flags.map((f) => [f.name, f.value, f.loc?.line]),
    [
      ['mount', 'type=cache,target=/go/pkg/mod', 21],
      ['mount', 'type=cache,target=/root/.cache/go-build', 22],
    ],
  );
  assert.equal(run.form, 'shell');
  assert.deepEqual(run.shell, ['/bin/sh', '-c']);
  assert.deepEqual(commands(run), [
    { name: 'go', args: ['build', '-trimpath', '-ldflags=-s -w -X main.version=${VERSION}', '-o', '/out/api', './cmd/api'] },
  ]);
  const go = run.commands![0]!;
  assert.deepEqual(go.assignments, ['CGO_ENABLED=0', 'GOOS=${TARGETOS}', 'GOARCH=${TARGETARCH}']);
  assert.equal(go.path, 'stages[0].instructions[9].commands[0]');
  assert.equal(at(go.loc), '23:5-26:28');
  // HEALTHCHECK exec form
  const hc = instructionsOf(final!, 'HEALTHCHECK')[0]!;
  assert.deepEqual(hc.healthcheck, { test: ['CMD', '/usr/local/bin/api', 'healthcheck', '--url', 'http://127.0.0.1:8080/healthz'] });
  assert.deepEqual(hc.flags.map((f) => f.name), ['interval', 'timeout', 'start-period', 'retries']);
  assert.equal(at(hc.words![0]!.loc), '43:8-43:28');
  // LABEL and ENV properties over continuation lines.
  const env = instructionsOf(final!, 'ENV')[0]!;
  assert.deepEqual(env.properties!.map((p) => [p.name, p.value, p.loc?.line]), [
    ['TZ', 'UTC', 38],
    ['API_LISTEN', ':8080', 39],
  ]);
  assert.deepEqual(runCommands(build).map((r) => `${r.stage.index}:${r.command.name} ${r.command.args[0]}`), [
    '0:apk add',
    '0:go mod',
    '0:go mod',
    '0:go build',
    '1:go test',
  ]);
});

test('runtime facts of the Go build come from its final stage', () => {
  const { container: c, build } = scan(realWorld('go-multistage.Dockerfile'), 'go.Dockerfile');
  assert.deepEqual(c.subject, { kind: 'image', name: 'go.Dockerfile' });
  assert.equal(c.source.kind, 'dockerfile');
  assert.equal(c.source.file, 'go.Dockerfile');
  assert.deepEqual([c.user.origin, c.user.origin !== 'absent' && c.user.value, c.user.path, c.user.loc?.line], ['explicit', 'nonroot:nonroot', 'stages[2].instructions[6]', 40]);
  assert.equal(c.image.origin, 'explicit');
  assert.equal(c.image.path, 'stages[2].base');
  assert.deepEqual(c.exposedPorts.origin !== 'absent' && c.exposedPorts.value, ['8080/tcp']);
  assert.deepEqual(c.entrypoint.origin !== 'absent' && c.entrypoint.value, ['/usr/local/bin/api']);
  assert.deepEqual(c.cmd.origin !== 'absent' && c.cmd.value, ['serve']);
  assert.deepEqual(
    c.env.origin !== 'absent' && c.env.value.map((e) => [e.name, e.value, e.path, e.loc?.line, e.fromSecret]),
    [
      ['TZ', 'UTC', 'stages[2].instructions[5].properties[0]', 38, false],
      ['API_LISTEN', ':8080', 'stages[2].instructions[5].properties[1]', 39, false],
    ],
  );
  // What only `docker run` decides is absent.
  for (const k of ['state', 'privileged', 'capAdd', 'capDrop', 'apparmor', 'seccomp', 'selinux', 'noNewPrivileges', 'networkMode', 'pidMode', 'ipcMode', 'utsMode', 'usernsMode', 'networks', 'mounts', 'ports', 'devices', 'ulimits', 'memory', 'cpuShares', 'nanoCpus', 'cpuQuota', 'pidsLimit', 'readOnlyRootfs', 'restartPolicy', 'cgroupParent', 'health', 'processes'] as const) {
    assert.equal(c[k].origin, 'absent', k);
  }
  // Every Value carries its loc; the locator places model paths and falls back through the engine.
  for (const k of ['image', 'user', 'healthcheck', 'exposedPorts', 'env', 'entrypoint', 'cmd'] as const) assert.ok(c[k].loc, k);
  const placed = c.source.locate!(['stages[0].instructions[9].commands[0]', 'stages[2]', 'stages[0].instructions[9].commands[0].args[1]', 'nonsense[', 'stages[9]']);
  assert.equal(placed.get('stages[0].instructions[9].commands[0]')?.line, 23);
  assert.equal(placed.get('stages[2]')?.line, build.stages[2]!.loc?.line);
  assert.equal(placed.size, 2);
});

test('USER: last of the final stage, inherited along FROM stages, never from a builder; none → default at the final FROM', () => {
  const chain = scan('FROM node:20 AS base\nUSER node\nFROM base\nCMD ["node"]\n').container;
  assert.deepEqual([chain.user.origin, chain.user.origin !== 'absent' && chain.user.value, chain.user.path, chain.user.loc?.line], ['inherited', 'node', 'stages[0].instructions[1]', 2]);
  assert.equal(chain.image.origin, 'inherited');

  const builder = scan('FROM golang:1.22 AS build\nUSER 10001\nRUN go build\nFROM alpine:3.20\nCOPY --from=build /out /out\n').container;
  assert.deepEqual([builder.user.origin, builder.user.origin !== 'absent' && builder.user.value, builder.user.path, at(builder.user.loc)], ['default', '', 'stages[1]', '4:1-4:17']);

  const lastRoot = scan('FROM debian:12\nUSER app\nRUN id\nUSER root\n').container;
  assert.equal(lastRoot.user.origin !== 'absent' && lastRoot.user.value, 'root');
  assert.equal(lastRoot.user.loc?.line, 4);

  const arg = scan('FROM debian:12\nARG UID=10001\nUSER ${UID}:${GID:-10001}\n').container;
  assert.equal(arg.user.origin !== 'absent' && arg.user.value, '10001:10001');
});

test('HEALTHCHECK: CMD shell form, NONE, inherited; none → default undefined at the final FROM', () => {
  const shell = scan('FROM nginx:1.27\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n');
  assert.deepEqual(shell.container.healthcheck.origin !== 'absent' && shell.container.healthcheck.value, { test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] });
  assert.deepEqual(commands(shell.build.stages[0]!.instructions[1]), [
    { name: 'curl', args: ['-f', 'http://localhost/'] },
    { name: 'exit', args: ['1'] },
  ]);
  const none = scan('FROM nginx:1.27\nHEALTHCHECK NONE\n').container.healthcheck;
  assert.deepEqual([none.origin, none.origin !== 'absent' && none.value, none.loc?.line], ['explicit', { test: ['NONE'] }, 2]);
  const missing = scan('FROM nginx:1.27\nRUN true\n').container.healthcheck;
  assert.deepEqual([missing.origin, missing.origin !== 'absent' && missing.value, missing.path, missing.loc?.line], ['default', undefined, 'stages[0]', 1]);
});

test('EXPOSE: /tcp by default, protocols lower-cased, ranges expanded, variables substituted, along the chain', () => {
  const c = scan('FROM alpine AS base\nEXPOSE 53/UDP\nFROM base\nENV PORT=8080\nEXPOSE ${PORT} 9000-9002 8080/tcp\n').container;
  assert.deepEqual(c.exposedPorts.origin !== 'absent' && c.exposedPorts.value, ['53/udp', '8080/tcp', '9000/tcp', '9001/tcp', '9002/tcp']);
  assert.equal(c.exposedPorts.origin, 'explicit');
  assert.equal(c.exposedPorts.path, 'stages[0].instructions[1]');
});

test('ENTRYPOINT and CMD: shell form runs in the SHELL; ENTRYPOINT resets an inherited CMD, not one set earlier in its stage', () => {
  const shell = scan('FROM alpine\nCMD nginx -g "daemon off;"\n').container;
  assert.deepEqual(shell.cmd.origin !== 'absent' && shell.cmd.value, ['/bin/sh', '-c', 'nginx -g "daemon off;"']);
  const reset = scan('FROM alpine AS base\nCMD ["serve"]\nFROM base\nENTRYPOINT ["/app"]\n').container;
  assert.deepEqual([reset.cmd.origin !== 'absent' && reset.cmd.value, reset.cmd.loc?.line], [[], 4]);
  const kept = scan('FROM alpine\nCMD ["serve"]\nENTRYPOINT ["/app"]\n').container;
  assert.deepEqual(kept.cmd.origin !== 'absent' && kept.cmd.value, ['serve']);
  const pwsh = scan('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Write-Host hi\nCMD Get-Date\n');
  assert.deepEqual(pwsh.container.cmd.origin !== 'absent' && pwsh.container.cmd.value, ['powershell', '-Command', 'Get-Date']);
  const run = pwsh.build.stages[0]!.instructions[2]!;
  assert.deepEqual(run.shell, ['powershell', '-Command']);
  assert.equal(run.commands, undefined, 'PowerShell is not read as sh');
  const none = scan('FROM alpine\n').container;
  assert.deepEqual([none.cmd.origin, none.entrypoint.origin], ['default', 'default']);
});

test('image: the root of the final stage chain; scratch is ""; a base from an unset build argument is absent', () => {
  const arg = scan('ARG BASE=debian:12\nFROM ${BASE}\n');
  assert.deepEqual(arg.container.image.origin !== 'absent' && arg.container.image.value, 'debian:12');
  assert.deepEqual(arg.build.stages[0]!.base.ref, { repository: 'debian', tag: '12' });
  const defaulted = scan('ARG BASE\nFROM ${BASE:-alpine:3.20}\n').container.image;
  assert.equal(defaulted.origin !== 'absent' && defaulted.value, 'alpine:3.20');
  const unset = scan('ARG BASE\nFROM ${BASE}\n');
  assert.equal(unset.container.image.origin, 'absent');
  assert.equal(unset.build.stages[0]!.base.unresolved, true);
  assert.equal(unset.build.stages[0]!.base.ref, undefined);
  const scratch = scan('FROM scratch\nCOPY app /app\n');
  assert.equal(scratch.container.image.origin !== 'absent' && scratch.container.image.value, '');
  assert.equal(scratch.build.stages[0]!.base.scratch, true);
  // A stage ARG does not leak into FROM; only global ARGs do.
  const local = scan('FROM alpine AS a\nARG TAG=3.20\nFROM alpine:${TAG}\n');
  assert.equal(local.build.stages[1]!.base.unresolved, true);
});

test('image references split as Docker does', () => {
  assert.deepEqual(parseImageRef('node'), { repository: 'node' });
  assert.deepEqual(parseImageRef('localhost:5000/team/app:1.2'), { registry: 'localhost:5000', repository: 'team/app', tag: '1.2' });
  assert.deepEqual(parseImageRef('library/nginx@sha256:abc'), { repository: 'library/nginx', digest: 'sha256:abc' });
  assert.deepEqual(parseImageRef('ghcr.io/org/app:v1@sha256:abc'), { registry: 'ghcr.io', repository: 'org/app', tag: 'v1', digest: 'sha256:abc' });
  assert.equal(parseImageRef(''), undefined);
});

test('shell: lists, pipelines, subshells, substitutions, background, redirects, assignments', () => {
  const run = onlyRun('RUN set -e; apt-get update && apt-get install -y curl || true; (cd /src && make) & curl -fsSL https://x.sh | sudo -E bash - ; echo "$(id -u)" `whoami` > /tmp/ids 2>&1');
  assert.deepEqual(
    run.commands!.map((c) => [c.name, c.args.join(' '), c.background, c.substitution, c.wrappedBy ?? '', c.pipesTo?.name ?? '']),
    [
      ['set', '-e', false, false, '', ''],
      ['apt-get', 'update', false, false, '', ''],
      ['apt-get', 'install -y curl', false, false, '', ''],
      ['true', '', false, false, '', ''],
      ['cd', '/src', true, false, '', ''],
      ['make', '', true, false, '', ''],
      ['curl', '-fsSL https://x.sh', false, false, '', 'bash'],
      ['sudo', '-E bash -', false, false, '', ''],
      ['bash', '-', false, false, 'sudo', ''],
      ['echo', '$(id -u) `whoami`', false, false, '', ''],
      ['id', '-u', false, true, '', ''],
      ['whoami', '', false, true, '', ''],
    ],
  );
  const echo = run.commands![9]!;
  assert.deepEqual(echo.redirects, [
    { op: '>', target: '/tmp/ids' },
    { op: '2>&', target: '1' },
  ]);
  // pipesTo points at the receiving command object itself, past the wrapper.
  assert.equal(run.commands![6]!.pipesTo, run.commands![8]);
  assert.equal(run.commands![1]!.path, 'stages[0].instructions[1].commands[1]');
  assert.equal(at(run.commands![1]!.loc), '2:13-2:27');
  const assign = onlyRun('RUN DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata');
  assert.deepEqual(assign.commands![0]!.assignments, ['DEBIAN_FRONTEND=noninteractive']);
});

test('shell: quoting is removed the way the shell does', () => {
  const run = onlyRun(`RUN printf '%s\\n' "a \\"b\\" \\$c" c\\ d --opt="x y" $'t\\tab' "$HOME" \${X:-y}`);
  assert.deepEqual(run.commands![0]!.args, ['%s\\n', 'a "b" $c', 'c d', '--opt=x y', 't\tab', '$HOME', '${X:-y}']);
});

test('shell: continuation lines with comment lines between them, placed on their own lines', () => {
  const { build } = scan('FROM debian:12\nRUN apt-get update \\\n  # refresh the lists first\n  && apt-get install -y \\\n\n     curl \\\n  && rm -rf /var/lib/apt/lists/*\n');
  const run = build.stages[0]!.instructions[1]!;
  assert.equal(run.args, 'apt-get update   && apt-get install -y      curl   && rm -rf /var/lib/apt/lists/*');
  assert.deepEqual(commands(run), [
    { name: 'apt-get', args: ['update'] },
    { name: 'apt-get', args: ['install', '-y', 'curl'] },
    { name: 'rm', args: ['-rf', '/var/lib/apt/lists/*'] },
  ]);
  assert.deepEqual(run.commands!.map((c) => at(c.loc)), ['2:5-2:19', '4:6-6:10', '7:6-7:33']);
  assert.equal(run.shellError, undefined);
});

test('shell: `sudo X`, `env X=1 cmd` and `sh -c` expose the command they run, placed exactly', () => {
  const run = onlyRun(`RUN sudo -u app env PATH=/opt/bin:$PATH pip install --user x && sh -ec 'apt-get update && curl -s https://x | bash'`);
  assert.deepEqual(commands(run), [
    { name: 'sudo', args: ['-u', 'app', 'env', 'PATH=/opt/bin:$PATH', 'pip', 'install', '--user', 'x'] },
    { name: 'env', args: ['PATH=/opt/bin:$PATH', 'pip', 'install', '--user', 'x'], wrappedBy: 'sudo' },
    { name: 'pip', args: ['install', '--user', 'x'], wrappedBy: 'env' },
    { name: 'sh', args: ['-ec', 'apt-get update && curl -s https://x | bash'] },
    { name: 'apt-get', args: ['update'], wrappedBy: 'sh' },
    { name: 'curl', args: ['-s', 'https://x'], wrappedBy: 'sh' },
    { name: 'bash', args: [], wrappedBy: 'sh' },
  ]);
  assert.deepEqual(run.commands![2]!.assignments, ['PATH=/opt/bin:$PATH']);
  assert.equal(at(run.commands![2]!.loc), '2:41-2:61');
  assert.equal(at(run.commands![4]!.loc), '2:73-2:87');
  assert.equal(run.commands![5]!.pipesTo, run.commands![6]);
  // Exec form: the program and its words, and what it runs.
  const exec = onlyRun('RUN ["/bin/sh", "-c", "apt-get update && apt-get install -y git"]');
  assert.equal(exec.form, 'exec');
  assert.deepEqual(exec.words!.map((w) => w.value), ['/bin/sh', '-c', 'apt-get update && apt-get install -y git']);
  assert.deepEqual(commands(exec).map((c) => c.name), ['/bin/sh', 'apt-get', 'apt-get']);
  assert.equal(at(exec.commands![1]!.loc), '2:24-2:38');
  // gosu/su-exec take a user first; timeout a duration.
  const cmd = scan('FROM alpine\nENTRYPOINT ["su-exec", "app", "timeout", "30", "nginx", "-g", "daemon off;"]\n').build.stages[0]!.instructions[1]!;
  assert.deepEqual(commands(cmd).map((c) => c.name), ['su-exec', 'timeout', 'nginx']);
});

test('heredocs: RUN <<EOF is a script; a command with a heredoc reads it; #! picks the interpreter', () => {
  const { build } = scan(
    [
      'FROM debian:12',
      'RUN <<EOF',
      'set -eux',
      'apt-get update',
      'apt-get install -y --no-install-recommends ca-certificates',
      'EOF',
      'RUN cat <<-CONF > /etc/app.conf && chmod 600 /etc/app.conf',
      '\tlisten = 8080',
      '\tCONF',
      'RUN <<EOF',
      '#!/usr/bin/env python3',
      'print("hi")',
      'EOF',
      'RUN bash <<"EOF"',
      'sudo apt-get install -y jq',
      'EOF',
      'COPY <<EOF /etc/motd',
      'hello',
      'EOF',
      'USER 10001',
      '',
    ].join('\n'),
  );
  const [, script, cat, python, bash, copy, user] = build.stages[0]!.instructions;
  assert.deepEqual(commands(script).map((c) => `${c.name} ${c.args[0]}`), ['set -eux', 'apt-get update', 'apt-get install']);
  assert.deepEqual(script!.commands!.map((c) => c.loc?.line), [3, 4, 5]);
  assert.deepEqual(script!.heredocs!.map((h) => [h.name, h.body, h.chomp, at(h.loc)]), [['EOF', 'set -eux\napt-get update\napt-get install -y --no-install-recommends ca-certificates\n', false, '2:5-6:4']]);
  assert.deepEqual(commands(cat), [
    { name: 'cat', args: [] },
    { name: 'chmod', args: ['600', '/etc/app.conf'] },
  ]);
  assert.deepEqual(cat!.commands![0]!.redirects, [
    { op: '<<-', target: 'CONF' },
    { op: '>', target: '/etc/app.conf' },
  ]);
  assert.equal(cat!.heredocs![0]!.chomp, true);
  assert.equal(python!.commands, undefined);
  assert.equal(python!.script, '#!/usr/bin/env python3\nprint("hi")\n');
  assert.deepEqual(commands(bash), [
    { name: 'bash', args: [] },
    { name: 'sudo', args: ['apt-get', 'install', '-y', 'jq'], wrappedBy: 'bash' },
    { name: 'apt-get', args: ['install', '-y', 'jq'], wrappedBy: 'sudo' },
  ]);
  assert.equal(bash!.commands![1]!.loc?.line, 15);
  assert.deepEqual(copy!.heredocs!.map((h) => [h.name, h.body]), [['EOF', 'hello\n']]);
  assert.equal(user!.loc?.line, 20, 'instructions after heredocs are where they are');
});

test('ONBUILD, COPY --from, RUN --mount=from, parser directives, comments, escape=`, CRLF and a BOM', () => {
  const onbuild = scan('FROM node:20 AS base\nONBUILD RUN npm ci && sudo npm i -g x\n').build.stages[0]!.instructions[1]!;
  assert.equal(onbuild.trigger?.keyword, 'RUN');
  assert.equal(onbuild.trigger?.path, 'stages[0].instructions[1].trigger');
  assert.deepEqual(onbuild.trigger?.commands?.map((c) => c.name), ['npm', 'sudo', 'npm']);
  assert.equal(at(onbuild.trigger?.commands?.[1]?.loc), '2:23-2:38');

  const { build } = scan('FROM golang AS a\nFROM alpine AS b\nFROM debian AS c\nRUN --mount=type=bind,from=b,target=/b true\nCOPY --from=a /x /x\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=0 /y /y\n');
  assert.deepEqual(build.stages.map((s) => s.role), ['builder', 'builder', 'final']);
  assert.deepEqual(build.stages[2]!.copiesFrom, [0, 1]);
  assert.deepEqual(instructionsOf(build.stages[2]!, 'COPY').map((i) => i.copyFrom), [{ stage: 0 }, { image: 'nginx:1.27' }, { stage: 0 }]);

  const win = scan('# escape=`\n# a comment\nFROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nRUN dotnet restore `\n    && dotnet publish -c Release\n');
  assert.equal(win.build.escape, '`');
  assert.deepEqual(win.build.directives.map((d) => [d.name, d.value]), [['escape', '`']]);
  assert.deepEqual(win.build.comments.map((c) => [c.text, c.loc?.line]), [['a comment', 2]]);
  assert.deepEqual(win.build.stages[0]!.instructions[1]!.commands!.map((c) => `${c.name} ${c.args[0]}`), ['dotnet restore', 'dotnet publish']);

  const crlf = scan('\uFEFFFROM alpine\r\nRUN apk add \\\r\n  curl\r\nUSER app\r\n');
  assert.equal(at(crlf.build.stages[0]!.loc), '1:1-1:12');
  assert.deepEqual(commands(crlf.build.stages[0]!.instructions[1]), [{ name: 'apk', args: ['add', 'curl'] }]);
  assert.equal(crlf.container.user.loc?.line, 4);
});

test('only runtime rules a Dockerfile can express fire, placed in the file', () => {
  const { container } = scan('FROM node:20\nRUN npm ci\nCMD ["node", "server.js"]\n', 'app/Dockerfile');
  const findings = runRules({ containers: [container] }, RULES);
  assert.deepEqual(
    findings.map((f) => [f.rule.name, f.location.path, f.location.loc?.file, f.location.loc?.line, f.location.loc?.column]).sort(),
    [
      ['image-not-pinned', 'stages[0].base', 'app/Dockerfile', 1, 6],
      ['no-healthcheck', 'stages[0]', 'app/Dockerfile', 1, 1],
      ['runs-as-root', 'stages[0]', 'app/Dockerfile', 1, 1],
    ],
  );
  for (const name of ['go-multistage.Dockerfile', 'nginx-proxy.Dockerfile', 'node-app.Dockerfile']) {
    const got = runRules({ containers: [scan(realWorld(name), name).container] }, RULES).map((f) => f.rule.name);
    assert.deepEqual(got, name === 'go-multistage.Dockerfile' ? [] : ['image-not-pinned'], name);
  }
});

test('dockerfileRuntimeFacts: user, healthcheck and exposed ports for compose build:', () => {
  const facts = dockerfileRuntimeFacts(realWorld('nginx-proxy.Dockerfile'), 'proxy/Dockerfile');
  assert.deepEqual([facts.user.origin, facts.user.origin !== 'absent' && facts.user.value, facts.user.loc?.file, facts.user.loc?.line], ['explicit', 'nginx', 'proxy/Dockerfile', 19]);
  assert.deepEqual(facts.healthcheck.origin !== 'absent' && facts.healthcheck.value, { test: ['CMD-SHELL', 'curl -fsS http://127.0.0.1:8080/healthz || exit 1'] });
  assert.deepEqual(facts.exposedPorts.origin !== 'absent' && facts.exposedPorts.value, ['8080/tcp', '8443/tcp']);
  const none = dockerfileRuntimeFacts('FROM debian:12\n', 'Dockerfile');
  assert.deepEqual([none.user.origin, none.user.origin !== 'absent' && none.user.value, none.healthcheck.origin], ['default', '', 'default']);
  assert.throws(() => dockerfileRuntimeFacts('', 'Dockerfile'), InputError);
  // A build target: that stage's facts, along its own FROM chain.
  const multi = 'FROM node:20 AS base\nUSER node\nFROM base AS dev\nEXPOSE 9229\nFROM nginx:1.27 AS prod\nHEALTHCHECK CMD curl -f http://localhost/\n';
  const dev = dockerfileRuntimeFacts(multi, 'Dockerfile', 'Dev');
  assert.deepEqual([dev.user.origin, dev.user.origin !== 'absent' && dev.user.value, dev.healthcheck.origin], ['inherited', 'node', 'default']);
  assert.deepEqual(dev.exposedPorts.origin !== 'absent' && dev.exposedPorts.value, ['9229/tcp']);
  const prod = dockerfileRuntimeFacts(multi, 'Dockerfile');
  assert.deepEqual([prod.user.origin, prod.healthcheck.origin], ['default', 'explicit']);
  assert.throws(() => dockerfileRuntimeFacts(multi, 'Dockerfile', 'test'), /Dockerfile:1:1: no stage named "test"/);
});

test('what Docker refuses and leaves nothing to read is an InputError at file:line:column', () => {
  assert.equal(inputError('', 'x/Dockerfile'), 'x/Dockerfile:1:1: no instructions: docker build refuses an empty Dockerfile');
  assert.match(inputError('# just a comment\n\n'), /^Dockerfile:1:1: no instructions/);
  assert.equal(inputError('\n\nRUN make\nUSER app\n'), 'Dockerfile:3:1: no FROM instruction: not a Dockerfile');
  assert.equal(inputError('FROM a\nRUN <<EOF\necho hi\nUSER root\n'), 'Dockerfile:2:5: unterminated heredoc: no line "EOF" closes it');
  // dockerfile-ast throws on this one; BuildKit refuses it as unterminated (`\\t` is not a tab).
  assert.equal(inputError('FROM a\nRUN cat <<-CONF > /x\n\\tlisten\n\\tCONF\n'), 'Dockerfile:2:1: cannot read the heredoc of this RUN instruction: unterminated or malformed');
  assert.equal(inputError(`FROM a\nLABEL x=${'é'.repeat(40000)}\n`), 'Dockerfile:2:1: line longer than 65535 bytes: docker build refuses it');
  assert.match(inputError(`FROM a\n${'RUN true\n'.repeat(130000)}`), /^Dockerfile:1:1: refused: \d+ characters, larger than any real Dockerfile/);
  // Shell syntax errors are not fatal: the commands that can be read are.
  const broken = onlyRun('RUN echo "unterminated && rm -rf /');
  assert.equal(broken.shellError, true);
  assert.ok(Array.isArray(broken.commands));
});

// ---- property tests: any text in, a build or an InputError out, in bounded time ----

function scanOrInputError(text: string): void {
  try {
    const r = scanDockerfile(text, 'f/Dockerfile');
    const build = r.builds[0]!;
    assert.ok(finalStage(build));
    for (const { instruction } of allInstructions(build)) {
      assert.ok(instruction.loc && instruction.loc.line >= 1 && instruction.loc.column >= 1);
      for (const c of instruction.commands ?? []) checkCommand(c);
    }
    // Whatever parsed must survive every rule and the locator.
    for (const f of runRules({ containers: r.containers, builds: r.builds }, RULES)) assert.ok(f.location.path !== undefined);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    assert.match(e.message, /^f\/Dockerfile:\d+:\d+: /, 'errors name file:line:column');
    assert.ok(!e.message.includes('\n'), 'one line');
  }
}

function checkCommand(c: ShellCommand): void {
  assert.equal(typeof c.name, 'string');
  assert.ok(c.args.every((a) => typeof a === 'string'));
  assert.ok(c.loc && c.loc.line >= 1 && c.loc.column >= 1 && (c.loc.endLine ?? 0) >= c.loc.line);
}

const samples = ['go-multistage.Dockerfile', 'nginx-proxy.Dockerfile', 'node-app.Dockerfile'].map(realWorld);
const dockerish = fc.constantFrom('FROM ', 'RUN ', 'USER ', '\\\n', '\n', '<<EOF\n', 'EOF\n', '# escape=`\n', '"', "'", '$(', ')', '`', '&', '|', ';', '[', ']', '${', '}', '#', '\r\n', '\0', 'ONBUILD ', 'HEALTHCHECK CMD ', 'ARG X=', 'AS b\n', '--from=0 ');

test('property: arbitrary text', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), scanOrInputError), { numRuns: 1000 });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), scanOrInputError), { numRuns: 500 });
  fc.assert(fc.property(fc.array(fc.oneof(dockerish, fc.string({ maxLength: 8 })), { maxLength: 60 }), (parts) => scanOrInputError(parts.join(''))), { numRuns: 1500 });
});

test('property: real Dockerfiles truncated, spliced with junk, or with lines shuffled', () => {
  fc.assert(
    fc.property(fc.nat(2), fc.nat(5000), fc.nat(5000), fc.array(fc.oneof(dockerish, fc.string({ maxLength: 6 })), { maxLength: 6 }), (which, a, b, junk) => {
      const text = samples[which]!;
      const [i, j] = [a % (text.length + 1), b % (text.length + 1)].sort((x, y) => x - y) as [number, number];
      scanOrInputError(text.slice(0, i));
      scanOrInputError(text.slice(0, i) + junk.join('') + text.slice(j));
      scanOrInputError(text.slice(0, i) + junk.join('') + text.slice(i));
    }),
    { numRuns: 400 },
  );
  fc.assert(
    fc.property(fc.nat(2), fc.array(fc.nat(200), { maxLength: 40 }), (which, order) => {
      const lines = samples[which]!.split('\n');
      scanOrInputError(order.map((k) => lines[k % lines.length]).join('\n'));
    }),
    { numRuns: 300 },
  );
});

// No timing assertion (a loaded machine is slow, not wrong); the timeout only turns a hang into a failure.
test('hostile input: huge, deep, binary, many lines; results or InputErrors, never a hang', { timeout: 300_000 }, () => {
  scanOrInputError('FROM a\nRUN echo \\\n' + 'x \\\n'.repeat(100000) + 'end\n');
  scanOrInputError('FROM a\nRUN a \\\n' + '# c\n'.repeat(100000) + ' b\n');
  scanOrInputError('FROM a\nRUN ' + '$('.repeat(20000) + ')'.repeat(20000) + '\n');
  scanOrInputError('FROM a\nRUN ' + '('.repeat(30000) + '\n');
  scanOrInputError('FROM a\nRUN ' + 'sudo '.repeat(10000) + 'x\n');
  scanOrInputError('FROM a\nRUN ' + 'sh -c "'.repeat(2000) + '\n');
  scanOrInputError('FROM a\nRUN echo ' + 'x'.repeat(60000) + '\n');
  scanOrInputError('FROM a\0\nRUN \0\0 echo \0\nUSER \0\n');
  scanOrInputError('FROM a\nRUN ' + '<<A '.repeat(5000) + '\nA\n');
  scanOrInputError('FROM a\nRUN cat <<EOF\n' + 'line\n'.repeat(50000) + 'EOF\n');
  scanOrInputError('FROM a\n' + 'RUN curl x | sh && apt-get update\n'.repeat(5000));
  scanOrInputError('FROM a\n' + 'FROM a AS b\nCOPY --from=b / /\n'.repeat(3000));
  scanOrInputError(Array.from({ length: 20000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join(''));
  scanOrInputError('FROM a\nEXPOSE 0-65535 1-2/udp 99999 abc/tcp\n');
});
