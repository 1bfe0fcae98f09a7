/**
 * What a container runs, as parsed shell commands, for the rules that judge a
 * container's own command line (pipe-to-shell, daemon-in-background): the
 * image's effective ENTRYPOINT + CMD from a Dockerfile, or the entrypoint and
 * cmd of any other input (inspect, compose, Kubernetes, ECS).
 */
import type { Build, Instruction, ShellCommand } from '../../model/build.js';
import { imageCommand } from '../../model/build.js';
import type { Container } from '../../model/container.js';
import type { At, Loc } from '../../model/value.js';
import { child } from '../../model/path.js';
import { argvCommands } from '../../inputs/dockerfile/shell.js';

/** The commands of one script or argv, from one parse (so their positions compare), and where to report each. */
export interface CommandGroup {
  readonly commands: readonly ShellCommand[];
  at(command: ShellCommand): At;
}

/** A word of an argv and the node it is written at. */
interface ArgvWord {
  readonly value: string;
  readonly at: At;
}

/** An instruction's own commands, reported where the parser placed them. */
export function instructionGroup(instruction: Instruction): CommandGroup {
  return { commands: instruction.commands ?? [], at: (c) => c };
}

/** The commands of an argv; each is reported at the word it is written in (its loc is a position in the argv, see argvCommands). */
function argvGroup(words: readonly ArgvWord[]): CommandGroup {
  const commands = parsedArgv(words.map((w) => w.value));
  return { commands, at: (c) => words[(c.loc?.line ?? 1) - 1]?.at ?? words[0]!.at };
}

/**
 * Parses of argvs seen before. A host or a folder runs the same few commands
 * in many containers (10,000 containers of one image are 10,000 parses of one
 * command line otherwise), and two rules read each container's commands. The
 * parse depends only on the words, and nobody changes what it returns.
 */
const argvCache = new Map<string, readonly ShellCommand[]>();
const ARGV_CACHE_ENTRIES = 4096;

function parsedArgv(argv: readonly string[]): readonly ShellCommand[] {
  const key = argv.join('\0');
  let commands = argvCache.get(key);
  if (!commands) {
    if (argvCache.size >= ARGV_CACHE_ENTRIES) argvCache.clear();
    commands = argvCommands(argv, 'argv').commands;
    argvCache.set(key, commands);
  }
  return commands;
}

/** True when some command of the group is written in a word at or after `index` (0-based). */
function reaches(group: CommandGroup, index: number): boolean {
  return group.commands.some((c) => (c.loc?.line ?? 1) - 1 >= index);
}

/**
 * What the image a Dockerfile builds runs: its effective ENTRYPOINT, and CMD
 * when the engine passes it on. A shell-form ENTRYPOINT ignores CMD; an
 * exec-form ENTRYPOINT gets CMD's words appended (a shell-form CMD as
 * `/bin/sh -c SCRIPT`), read as one argv whose commands are reported at the
 * JSON word (or the CMD) they are written in.
 */
export function imageGroups(build: Build): CommandGroup[] {
  const { entrypoint, cmd } = imageCommand(build);
  if (!entrypoint) return cmd ? [instructionGroup(cmd.instruction)] : [];
  const ep = entrypoint.instruction;
  if (ep.form !== 'exec' || !cmd) return [instructionGroup(ep)];
  const c = cmd.instruction;
  const cmdWords: ArgvWord[] =
    c.form === 'exec' ? (c.words ?? []).map((w) => ({ value: w.value, at: w })) : [...(c.shell ?? ['/bin/sh', '-c']), c.script ?? c.args].map((value) => ({ value, at: c }));
  if (cmdWords.length === 0) return [instructionGroup(ep)];
  const epWords: ArgvWord[] = (ep.words ?? []).map((w) => ({ value: w.value, at: w }));
  return [argvGroup([...epWords, ...cmdWords])];
}

/** Two rules read each container's commands (pipe-to-shell, daemon-in-background): made once per container. */
const groupsOf = new WeakMap<Container, readonly CommandGroup[]>();

/**
 * What a container runs: ENTRYPOINT + CMD as one argv. When the entrypoint
 * does not itself run the CMD's words as a command (a `docker-entrypoint.sh`
 * that ends in `exec "$@"`, which a config cannot show), the CMD is also read
 * on its own. Containers read from a Dockerfile give nothing here: their
 * commands are in the build model with exact positions (imageGroups).
 */
export function containerGroups(c: Container): readonly CommandGroup[] {
  let groups = groupsOf.get(c);
  if (!groups) groupsOf.set(c, (groups = groupsFor(c)));
  return groups;
}

function groupsFor(c: Container): CommandGroup[] {
  if (c.source.kind === 'dockerfile') return [];
  const ep = c.entrypoint.origin === 'absent' ? [] : c.entrypoint.value.map((value, i) => ({ value, at: { path: child(c.entrypoint.path, i) } }));
  const cmd = c.cmd.origin === 'absent' ? [] : c.cmd.value.map((value, i) => ({ value, at: { path: child(c.cmd.path, i) } }));
  if (ep.length + cmd.length === 0) return [];
  const whole = argvGroup([...ep, ...cmd]);
  if (ep.length === 0 || cmd.length === 0 || reaches(whole, ep.length)) return [whole];
  return [whole, argvGroup(cmd)];
}

/** Characters that make a word mean something else outside a shell (expansions, globs): such a script cannot simply become JSON words. */
const SHELL_ONLY = ['$', '`', '*', '?', '[', '~', '{', '\\'];

/**
 * The words of an instruction that runs one plain command (`node server.js`
 * → node, server.js), fit to be written in exec form; undefined when it uses
 * the shell (variables, globs, redirects, several commands) or its script did
 * not parse.
 */
export function plainCommandWords(ins: Instruction): string[] | undefined {
  const commands = ins.commands ?? [];
  const only = commands[0];
  if (commands.length !== 1 || !only || only.redirects.length || only.assignments.length || only.background || ins.shellError) return undefined;
  const words = [only.name, ...only.args];
  // Exec form's words are taken as written; a shell-form script's only when no shell would change them.
  if (ins.form !== 'exec' && words.some((w) => w === '' || SHELL_ONLY.some((ch) => w.includes(ch)))) return undefined;
  return words;
}

/** A command's program name without its directory (`/usr/sbin/nginx` → `nginx`). */
export function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** The command as written, shortened for a message. */
export function display(command: ShellCommand, max = 60): string {
  const text = [command.name, ...command.args].join(' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** True when `inner` lies within `outer` (both from one parse). */
export function within(inner: Loc | undefined, outer: Loc | undefined): boolean {
  if (!inner || !outer) return false;
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return (
    before(outer.line, outer.column, inner.line, inner.column) &&
    before(inner.endLine ?? inner.line, inner.endColumn ?? inner.column, outer.endLine ?? outer.line, outer.endColumn ?? outer.column)
  );
}

/** How a program reads its options. */
export interface OptionSyntax {
  /** Short option letters that take a value: the rest of their cluster (`-O-`), or else the next word (`-O -`). */
  readonly valued?: string;
  /** Short option letters whose value can only be attached (`perl -Mstrict`, `-l` alone takes none). */
  readonly attached?: string;
  /** Long options that take the next word as their value when written without `=`. */
  readonly longValued?: readonly string[];
  /** Options may follow operands (GNU tools: `curl URL -o FILE`): read every word, not only those before the first operand. */
  readonly permute?: boolean;
}

/**
 * Reads the options of a command's words, calling `seen` for each: short
 * clusters split into letters (`-qO-` → `-q`, then `-O` with value `-`),
 * long options whole (`--output-document=-` → `--output-document` with value
 * `-`). Returns the index of the first operand (args.length when there is
 * none; `--` ends options), or -1 when `seen` returned true, which stops the
 * reading there.
 */
export function readOptions(args: readonly string[], syntax: OptionSyntax, seen: (option: string, value: string | undefined) => boolean | void): number {
  const valued = syntax.valued ?? '';
  const attached = syntax.attached ?? '';
  let first = -2;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return first >= 0 ? first : i + 1 < args.length ? i + 1 : args.length;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq >= 0) {
        if (seen(a.slice(0, eq), a.slice(eq + 1))) return -1;
      } else if (syntax.longValued?.includes(a)) {
        if (seen(a, args[i + 1])) return -1;
        i++;
      } else if (seen(a, undefined)) return -1;
      continue;
    }
    if (!a.startsWith('-') || a.length === 1) {
      if (!syntax.permute) return i;
      if (first < 0) first = i;
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const letter = a[k]!;
      const rest = a.slice(k + 1);
      if (valued.includes(letter) || attached.includes(letter)) {
        const value = rest !== '' || attached.includes(letter) ? rest : args[i + 1];
        if (rest === '' && valued.includes(letter)) i++;
        if (seen(`-${letter}`, value)) return -1;
        break;
      }
      if (seen(`-${letter}`, undefined)) return -1;
    }
  }
  return first >= 0 ? first : args.length;
}
