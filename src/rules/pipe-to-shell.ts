import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import type { ShellCommand } from '../model/build.js';
import type { At } from '../model/value.js';
import { isPosixShell } from '../inputs/dockerfile/shell.js';
import { baseName, containerGroups, imageGroups, instructionGroup, readOptions, within, type CommandGroup, type OptionSyntax } from './support/commands.js';

/** A command's program and words, with `busybox wget …` / `busybox sh …` read as the applet. */
function program(c: ShellCommand): { name: string; args: readonly string[] } {
  const name = baseName(c.name);
  if (name === 'busybox' && c.args[0] !== undefined) return { name: baseName(c.args[0]), args: c.args.slice(1) };
  return { name, args: c.args };
}

const CURL: OptionSyntax = { valued: 'AbcCdDeEFHKmoPQrtTuUwxXyYz', longValued: ['--output', '--url', '--header', '--data', '--user', '--user-agent', '--config'], permute: true };
const WGET: OptionSyntax = { valued: 'OoaeiBtTwQPUlARDIX', longValued: ['--output-document', '--output-file', '--user-agent', '--header'], permute: true };

const STDOUT = new Set(['-', '/dev/stdout', '/proc/self/fd/1', '/dev/fd/1']);

/** A curl or wget that writes what it downloads to standard output (curl does unless -o FILE/-O; wget only with -O -). */
function download(c: ShellCommand): { tool: string; url: string | undefined } | undefined {
  const { name, args } = program(c);
  let stdout: boolean;
  if (name === 'curl') {
    stdout = true;
    readOptions(args, CURL, (option, value) => {
      if (option === '-o' || option === '--output') stdout = value !== undefined && STDOUT.has(value);
      else if (option === '-O' || option === '--remote-name' || option === '--remote-name-all') stdout = false;
    });
  } else if (name === 'wget') {
    stdout = false;
    readOptions(args, WGET, (option, value) => {
      if (option === '-O' || option === '--output-document') stdout = value !== undefined && STDOUT.has(value);
    });
  } else return undefined;
  return stdout ? { tool: name, url: args.find((a) => a.includes('://')) } : undefined;
}

/** How an interpreter is told to run code from its arguments (then standard input is only data), or to read standard input. */
interface Interpreter extends OptionSyntax {
  /** Short options whose code or file is in the arguments (`sh -c`, `python -m`, `perl -e`). */
  readonly code: string;
  readonly longCode?: readonly string[];
  /** Short options that make it read the script from standard input (`sh -s`). */
  readonly stdin?: string;
}

const SHELL: Interpreter = { code: 'c', stdin: 's', valued: 'oO', longValued: ['--rcfile', '--init-file'] };

function interpreterOf(name: string): Interpreter | undefined {
  if (isPosixShell(name)) return SHELL;
  if (/^(python|pypy)[0-9.]*$/.test(name)) return { code: 'cm', valued: 'WX' };
  if (/^perl[0-9.]*$/.test(name)) return { code: 'eE', attached: 'IMmlixCdD0F' };
  if (name === 'ruby') return { code: 'e', valued: 'IrCEF', attached: 'WKx0Ti' };
  if (name === 'node' || name === 'nodejs') return { code: 'ep', valued: 'r', longCode: ['--eval', '--print'], longValued: ['--require', '--import', '--loader', '--experimental-loader'] };
  if (/^php[0-9.]*$/.test(name)) return { code: 'rfBRFE', valued: 'cdzt' };
  return undefined;
}

/** A shell's words without its `+x` / `+o name` options, which read like operands otherwise. */
function withoutPlusOptions(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '+o' || a === '+O') i++;
    else if (!(a.startsWith('+') && a.length > 1)) out.push(a);
  }
  return out;
}

/** How an interpreter reads its program: from standard input, from an operand (a file, `<(…)`), or from an option (`-c`). */
function scriptOf(c: ShellCommand): { interpreter: string; from: 'stdin' | 'operand' | 'option'; operand?: string } | undefined {
  const { name, args: raw } = program(c);
  if ((name === 'source' || name === '.') && raw[0] !== undefined) return { interpreter: name, from: STDIN_FILES.has(raw[0]) ? 'stdin' : 'operand', operand: raw[0] };
  const spec = interpreterOf(name);
  if (!spec) return undefined;
  const args = spec === SHELL ? withoutPlusOptions(raw) : raw;
  let option = false;
  let stdin = false;
  const first = readOptions(args, spec, (o) => {
    if ((o.length === 2 && spec.code.includes(o[1]!)) || spec.longCode?.includes(o)) return (option = true);
    if (o.length === 2 && spec.stdin?.includes(o[1]!)) stdin = true;
    return false;
  });
  if (option) return { interpreter: name, from: 'option' };
  const operand = first >= 0 ? args[first] : undefined;
  if (stdin || operand === undefined || STDIN_FILES.has(operand)) return { interpreter: name, from: 'stdin' };
  return { interpreter: name, from: 'operand', operand };
}

const STDIN_FILES = new Set(['-', '/dev/stdin', '/proc/self/fd/0', '/dev/fd/0']);

/** Commands a download passes through on its way to the interpreter (`curl … | tee install.sh | sh`, `… | gunzip | sh`). */
const PASS_THROUGH = new Set(['tee', 'cat', 'gunzip', 'zcat', 'gzip', 'xz', 'unxz', 'xzcat', 'bzip2', 'bunzip2', 'bzcat', 'base64', 'sed', 'tr', 'dos2unix']);

/** The interpreter a download is piped into, through pass-through filters. */
function pipedInto(c: ShellCommand): ShellCommand | undefined {
  let next = c.pipesTo;
  for (let hops = 0; next && hops < 8; hops++) {
    if (scriptOf(next)?.from === 'stdin') return next;
    if (!PASS_THROUGH.has(program(next).name)) return undefined;
    next = next.pipesTo;
  }
  return undefined;
}

/**
 * The command that runs the output of a download substituted into its words:
 * `sh -c "$(curl …)"`, `eval "$(curl …)"`, `bash <(curl …)`,
 * `source <(curl …)`. A substitution written inside a `sh -c` script belongs
 * to that shell (`wrappedBy` names it): only a command of that script can
 * run its output, so `sh -c 'V=$(curl …)'`, which stores it, does not count.
 */
function runsOutput(d: ShellCommand, group: CommandGroup): ShellCommand | undefined {
  if (!d.substitution) return undefined;
  const isScriptOf = (x: ShellCommand) => x !== d && within(d.loc, x.loc) && d.wrappedBy === program(x).name && isPosixShell(program(x).name) && scriptOf(x)?.from === 'option';
  // The innermost shell whose script holds the substitution (nested scripts come after their shell).
  const owner = group.commands.findLast(isScriptOf);
  for (const x of group.commands) {
    if (x === d || x === owner || x.substitution || !within(d.loc, x.loc)) continue;
    if (owner && !within(x.loc, owner.loc)) continue;
    const name = program(x).name;
    if (name === 'eval') return x;
    const script = scriptOf(x);
    if (!script) continue;
    if (script.from === 'option' && isPosixShell(name)) return x;
    if (script.from === 'operand' && script.operand?.startsWith('<(')) return x;
  }
  return undefined;
}

const FIX = 'save it to a file, check its checksum (sha256sum -c) or signature, then run it';

/** The pipe-to-shell findings of some command groups, once per download. */
function findings(groups: readonly CommandGroup[]): { at: At; message: string }[] {
  const out: { at: At; message: string }[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    for (const c of group.commands) {
      const d = download(c);
      if (!d) continue;
      const what = d.url ? `${d.tool} ${d.url}` : d.tool;
      const into = pipedInto(c);
      const runner = into ? undefined : runsOutput(c, group);
      let message: string;
      if (into) message = `${what} | ${program(into).name} runs downloaded code unverified: ${FIX}`;
      else if (runner) message = `${program(runner).name} runs the output of ${what} unverified: ${FIX}`;
      else continue;
      const at = group.at(c);
      const l = c.loc;
      // A command read twice (as written, and again inside the `sh -c` script it is part of) is one finding.
      const key = `${at.loc ? '' : at.path}|${l ? `${l.file}:${l.line}:${l.column}:${l.endLine}:${l.endColumn}` : at.path}|${c.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ at, message });
    }
  }
  return out;
}

export const pipeToShell: Rule = {
  id: 'BH039',
  name: 'pipe-to-shell',
  severity: 'high',
  category: 'supply-chain',
  references: ['CIS-4.11'],
  aliases: [],
  docs: {
    summary: 'A download is piped into a shell or interpreter (`curl … | sh`, `sh -c "$(curl …)"`, `bash <(curl …)`), so code runs that nobody verified.',
    rationale:
      'Whoever controls the URL, its DNS, or anything on the way (a proxy, a compromised CDN, a server that detects `| sh` and serves different code) decides what runs, as root in most builds, and nothing records what it was. A download checked against a pinned checksum or signature runs exactly the code that was reviewed. RUN instructions of every stage count, builder stages included (what they produce is copied into the image) and ONBUILD RUN triggers; for what the container runs, the image\'s effective ENTRYPOINT and CMD, or the command of a container, compose service, Kubernetes container or ECS container definition.',
    remediation: {
      docker: 'do not download and run code in the container\'s command: install the tool in the image, verified (download to a file, `sha256sum -c`, then run it)',
      dockerfile:
        'RUN curl -fsSLo /tmp/install.sh https://…/install.sh && echo "<sha256>  /tmp/install.sh" | sha256sum -c - && sh /tmp/install.sh (or install a package from a signed repository)',
      compose: 'command: run a tool installed in the image; if it must be downloaded, save it to a file and check its sha256sum before running it',
      kubernetes: 'command/args: run a tool installed in the image (or fetched and verified by an init container); never `curl … | sh`',
      ecs: 'command: run a tool installed in the image; never `curl … | sh`',
    },
  },
  needs: ['runtime', 'build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      const groups: CommandGroup[] = [];
      for (const stage of build.stages) {
        for (const ins of stage.instructions) {
          const run = ins.keyword === 'ONBUILD' ? ins.trigger : ins;
          if (run?.keyword === 'RUN') groups.push(instructionGroup(run));
        }
      }
      groups.push(...imageGroups(build));
      for (const f of findings(groups)) ctx.report({ subject: build.subject, at: f.at, message: f.message });
    }
    eachContainer(ctx, (c, report) => {
      for (const f of findings(containerGroups(c))) report(f.at, f.message);
    });
  },
};
