import type { At } from './value.js';
import type { Healthcheck } from './container.js';
import type { Subject } from './subject.js';

/**
 * The image-build model: what a Dockerfile (or Containerfile) says, with
 * every node placed at file:line:column. Build rules read it; the runtime
 * facts a Dockerfile does know (USER, HEALTHCHECK, EXPOSE, ENV, CMD) go into
 * a Container as well, so runtime rules apply with the same ids.
 *
 * Paths are logical paths into this model, and every node carries its `loc`:
 *
 *   preamble[0]                               ARG before the first FROM
 *   stages[1]                                 the second stage (placed at its FROM)
 *   stages[1].base                            its FROM image reference
 *   stages[1].instructions[0]                 its FROM instruction (always instructions[0])
 *   stages[1].instructions[3]                 e.g. a RUN
 *   stages[1].instructions[3].flags[0]        `--mount=type=cache,target=/root/.cache`
 *   stages[1].instructions[3].tokens[2]       the third word after the flags, as written
 *   stages[1].instructions[3].words[1]        exec form: the second JSON string
 *   stages[1].instructions[3].properties[0]   ENV/ARG/LABEL: `KEY=value`
 *   stages[1].instructions[3].commands[4]     a simple command of a RUN's shell script
 *   stages[1].instructions[3].heredocs[0]     `<<EOF` … `EOF`
 *   stages[1].instructions[5].trigger         ONBUILD's instruction
 *
 * A rule reports any of these nodes (`ctx.report({ at: instruction, … })`);
 * the engine uses its `loc`.
 *
 * Shell: RUN, and shell-form CMD, ENTRYPOINT and HEALTHCHECK CMD, are parsed
 * with a real shell parser (tree-sitter-bash), heredocs included, never with
 * regular expressions. `commands` lists every simple command in source order,
 * including those inside `&&`/`||`/`;` lists, pipelines, subshells, `if`/`for`
 * bodies and `$(…)`; commands run through a wrapper (`sudo apt-get …`,
 * `env X=1 apt-get …`, `sh -c '…'`) appear twice: as the wrapper, whose args
 * hold the wrapped command, and as the wrapped command itself (`wrappedBy`).
 * Exec form gets the same treatment: `["sh", "-c", "apt-get update"]` gives
 * the `sh` command and the `apt-get` command.
 */

/** A redirection of a simple command: `> /etc/apt/sources.list`, `2>&1`, `<<EOF`. */
export interface Redirect {
  /** The operator with its file descriptor, as written: `>`, `>>`, `2>`, `&>`, `<`, `<<`, `<<<`. */
  readonly op: string;
  /** The target word, unquoted (`/dev/null`, `1`, the heredoc delimiter, the here-string). */
  readonly target: string;
}

/** One simple command of a RUN (or shell-form CMD/ENTRYPOINT/HEALTHCHECK), from the shell parser. */
export interface ShellCommand extends At {
  /** The command name as written and unquoted (`apt-get`, `/usr/bin/curl`); for a wrapped command, the wrapped name. */
  readonly name: string;
  /** Its words after the name, unquoted where the shell would unquote them; expansions (`$HOME`, `$(id -u)`) stay as written. */
  readonly args: readonly string[];
  /** `NAME=value` words before the name (`DEBIAN_FRONTEND=noninteractive apt-get …`), unquoted. */
  readonly assignments: readonly string[];
  readonly redirects: readonly Redirect[];
  /** The next command of a pipeline this one's output feeds (`curl … | sh` → the `sh` command). */
  readonly pipesTo?: ShellCommand;
  /** Run in the background (`cmd &`, or inside a `( … ) &`). */
  readonly background: boolean;
  /** Inside a command substitution (`$(…)` or backticks), e.g. `id` in `chown $(id -u) /app`. */
  readonly substitution: boolean;
  /**
   * Set when this command was found inside another one's words: the wrapper's
   * name (`sudo`, `env`, `nohup`, `exec`, `gosu`, `su-exec`, `timeout`,
   * `xargs`, …) or the shell (`sh`, `bash`) whose `-c` script or heredoc
   * it is part of.
   */
  readonly wrappedBy?: string;
}

/** `--name=value` before an instruction's arguments (`--platform`, `--from`, `--mount`, `--chown`, `--interval`). */
export interface Flag extends At {
  readonly name: string;
  /** undefined for a bare `--name`. */
  readonly value: string | undefined;
}

/** A whitespace-separated word of an instruction, as written (quotes kept, variables not expanded). */
export interface Token extends At {
  readonly value: string;
}

/** `KEY=value` of ENV, ARG or LABEL (also the old `ENV KEY value`). */
export interface Property extends At {
  readonly name: string;
  /** Unquoted as Docker reads it, variables not expanded; undefined for `ARG NAME` without a default. */
  readonly value: string | undefined;
}

/** A heredoc of RUN, COPY or ADD: `<<EOF` … `EOF`. The loc spans from `<<EOF` to the closing delimiter. */
export interface Heredoc extends At {
  readonly name: string;
  /** The lines between the opening and closing delimiters, as written (each ending in a newline). */
  readonly body: string;
  /** `<<-EOF`: leading tabs are stripped from the body's lines. */
  readonly chomp: boolean;
}

export interface Instruction extends At {
  /** Upper case: FROM, RUN, USER, … (an unknown keyword is kept, upper-cased). */
  readonly keyword: string;
  /**
   * The instruction's text after the keyword, flags included, as Docker joins
   * it: line continuations removed, comment lines inside them dropped; without
   * heredoc bodies.
   */
  readonly args: string;
  readonly flags: readonly Flag[];
  /** The words after the flags, as written. For a heredoc instruction, only those of its first line. */
  readonly tokens: readonly Token[];
  /** The arguments after ARG and ENV values known at this point are substituted (USER, WORKDIR, EXPOSE, VOLUME, …); Docker does this for every instruction but RUN, CMD and ENTRYPOINT. */
  readonly expanded?: string;
  /** Exec form (`["a", "b"]`) or shell form, for RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD and SHELL. */
  readonly form?: 'exec' | 'shell';
  /** Exec-form words. */
  readonly words?: readonly Token[];
  /** The shell a shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK runs in: the last SHELL of the stage (or the one it builds on), else ['/bin/sh', '-c']. */
  readonly shell?: readonly string[];
  /** The text handed to the shell (shell form), or to the program (exec form, words joined by spaces). */
  readonly script?: string;
  /**
   * Every simple command of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD, in source
   * order (exec form: the program and its words). undefined when the shell is
   * not a POSIX shell (`SHELL ["powershell", …]`) or a heredoc script has
   * another interpreter (`#!/usr/bin/env python3`).
   */
  readonly commands?: readonly ShellCommand[];
  /** The shell parser found a syntax error in the script (commands hold what it could read). */
  readonly shellError?: boolean;
  readonly heredocs?: readonly Heredoc[];
  /** ENV, ARG, LABEL: the key/value pairs. */
  readonly properties?: readonly Property[];
  /** HEALTHCHECK: the check as the engine stores it (['CMD', …], ['CMD-SHELL', text], ['NONE']). */
  readonly healthcheck?: Healthcheck;
  /** COPY/ADD `--from`: the stage it copies from, or an image reference. */
  readonly copyFrom?: { readonly stage?: number; readonly image?: string };
  /** ONBUILD: the instruction it registers for images built FROM this one. */
  readonly trigger?: Instruction;
}

/** An image reference split as Docker reads it (`ghcr.io/org/app:1.2@sha256:…`). */
export interface ImageRef {
  /** The registry host when written (`ghcr.io`, `localhost:5000`); undefined means Docker Hub. */
  readonly registry?: string;
  /** The repository path without registry (`node`, `library/node`, `org/app`). */
  readonly repository: string;
  /** undefined when no tag is written (Docker then uses `latest`). */
  readonly tag?: string;
  /** `sha256:<hex>` when pinned by digest. */
  readonly digest?: string;
}

export interface StageBase extends At {
  /** The FROM image reference as written, after ARG substitution where the value is known; or the stage name it builds on. */
  readonly image: string;
  /** The index of the earlier stage it builds on (`FROM builder`). */
  readonly stage?: number;
  /** The parsed reference, for an image (not for a stage, `scratch`, or an unresolved variable). */
  readonly ref?: ImageRef;
  /** `FROM scratch`: no base image. */
  readonly scratch: boolean;
  /** A `${VAR}` with no known value remains in the reference (it comes from `--build-arg`). */
  readonly unresolved: boolean;
}

/**
 * What a stage is to the image the Dockerfile builds (its last stage):
 * - final: the last stage;
 * - ancestor: the final stage builds FROM it, directly or not, so its files and
 *   settings (USER, ENV, HEALTHCHECK, …) are part of the image;
 * - builder: only files copied out of it (`COPY --from`, `RUN --mount=from=`)
 *   reach the image; its layers and settings do not;
 * - unused: nothing in the final image comes from it (built only with `--target`).
 */
export type StageRole = 'final' | 'ancestor' | 'builder' | 'unused';

export interface Stage extends At {
  readonly index: number;
  /** `AS name`, lower-cased as Docker does, when given. */
  readonly name?: string;
  readonly base: StageBase;
  /** `FROM --platform=…`, when given. */
  readonly platform?: string;
  /** The stage's instructions; instructions[0] is its FROM. */
  readonly instructions: readonly Instruction[];
  readonly role: StageRole;
  /** Stages whose files this one copies (`COPY --from`, `RUN --mount=…,from=`), by index. */
  readonly copiesFrom: readonly number[];
}

/** `# syntax=…`, `# escape=…`, `# check=…` at the top of the file. */
export interface Directive extends At {
  readonly name: string;
  readonly value: string;
}

/** A comment line (`# …`), directives excluded; `text` is what follows the `#`, trimmed. */
export interface Comment extends At {
  readonly text: string;
}

export interface Build {
  readonly subject: Subject;
  readonly file: string;
  readonly stages: readonly Stage[];
  /** Instructions before the first FROM (ARG; anything else there is an error to Docker). */
  readonly preamble: readonly Instruction[];
  readonly directives: readonly Directive[];
  readonly comments: readonly Comment[];
  /** The escape character (`\`, or `` ` `` with `# escape=`). */
  readonly escape: string;
}

/** The stage whose image is the result: the last one. */
export function finalStage(build: Build): Stage | undefined {
  return build.stages.at(-1);
}

/** True when the stage's layers and settings end up in the built image (the final stage or one it builds FROM). */
export function inFinalImage(stage: Stage): boolean {
  return stage.role === 'final' || stage.role === 'ancestor';
}

/** The stage, then the stages it builds FROM, nearest first (`FROM builder` chains). */
export function stageChain(build: Build, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s && !chain.includes(s); s = s.base.stage === undefined ? undefined : build.stages[s.base.stage]) chain.push(s);
  return chain;
}

/** A stage's instructions with one of the keywords (upper case), in order. */
export function instructionsOf(stage: Stage, ...keywords: string[]): Instruction[] {
  return stage.instructions.filter((i) => keywords.includes(i.keyword));
}

/** Every instruction of the file in order, with its stage (undefined for the preamble). ONBUILD triggers are not included; read `trigger`. */
export function allInstructions(build: Build): { stage: Stage | undefined; instruction: Instruction }[] {
  return [
    ...build.preamble.map((instruction) => ({ stage: undefined, instruction })),
    ...build.stages.flatMap((stage) => stage.instructions.map((instruction) => ({ stage, instruction }))),
  ];
}

/** Every shell command of every RUN, with its instruction and stage, in file order. */
export function runCommands(build: Build): { stage: Stage; instruction: Instruction; command: ShellCommand }[] {
  return build.stages.flatMap((stage) =>
    stage.instructions
      .filter((i) => i.keyword === 'RUN')
      .flatMap((instruction) => (instruction.commands ?? []).map((command) => ({ stage, instruction, command }))),
  );
}

/**
 * A stage's instructions in order, with each ONBUILD replaced by the
 * instruction it registers (`ONBUILD RUN …` gives that RUN, placed on the
 * ONBUILD line): for rules that judge what a RUN or ADD does, wherever it
 * ends up running. An ONBUILD with no readable trigger is left out.
 */
export function instructionsWithTriggers(stage: Stage): Instruction[] {
  return stage.instructions.flatMap((i) => (i.keyword === 'ONBUILD' ? (i.trigger ? [i.trigger] : []) : [i]));
}

/** A command's program name without its directory (`/usr/bin/apt-get` → `apt-get`). */
export function programOf(command: ShellCommand): string {
  return command.name.slice(command.name.lastIndexOf('/') + 1);
}

/**
 * A command's subcommand: its first word that is not an option (`apt-get -y
 * -o Dpkg::Options::=--force-confold install curl` → `install` at index 3).
 * `valued` lists the options that take the next word as their value (`-o`,
 * `--option`); `--name=value` and clustered short options are read as one word.
 * undefined when every word is an option.
 */
export function subcommandOf(command: ShellCommand, valued: readonly string[] = []): { name: string; index: number } | undefined {
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return i + 1 < args.length ? { name: args[i + 1]!, index: i + 1 } : undefined;
    if (a.startsWith('-') && a.length > 1) {
      if (valued.includes(a)) i++;
      continue;
    }
    return { name: a, index: i };
  }
  return undefined;
}

/**
 * The targets of a RUN's `--mount` flags of one type (`--mount=type=cache,target=/var/cache/apt`
 * → `/var/cache/apt`; `target`, `dst` and `destination` are synonyms), with
 * trailing slashes removed. A mount with no `type` is a bind mount, as in BuildKit.
 */
export function mountTargets(instruction: Instruction, type: 'cache' | 'tmpfs' | 'bind' | 'secret' | 'ssh'): string[] {
  const out: string[] = [];
  for (const f of instruction.flags) {
    if (f.name !== 'mount' || !f.value) continue;
    let mountType = 'bind';
    let target: string | undefined;
    for (const part of f.value.split(',')) {
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      const value = eq < 0 ? '' : part.slice(eq + 1).trim();
      if (key === 'type') mountType = value.toLowerCase();
      else if (key === 'target' || key === 'dst' || key === 'destination') target = value;
    }
    if (mountType === type && target) out.push(target.length > 1 ? target.replace(/\/+$/, '') : target);
  }
  return out;
}

/**
 * The ENTRYPOINT and CMD instructions the built image runs with: the last of
 * each along the final stage's FROM chain, combined as the engine does (an
 * ENTRYPOINT resets a CMD inherited from an earlier stage; BuildKit keeps a
 * CMD set earlier in the same stage). Either is undefined when the
 * Dockerfile sets none, or (CMD) when an ENTRYPOINT reset it; the base
 * image's then apply, and a Dockerfile cannot know them.
 */
export function imageCommand(build: Build): { entrypoint?: { stage: Stage; instruction: Instruction }; cmd?: { stage: Stage; instruction: Instruction } } {
  const final = finalStage(build);
  if (!final) return {};
  let entrypoint: { stage: Stage; instruction: Instruction } | undefined;
  let cmd: { stage: Stage; instruction: Instruction } | undefined;
  for (const stage of stageChain(build, final).reverse()) {
    let cmdSet = false;
    for (const instruction of stage.instructions) {
      if (instruction.keyword === 'CMD') {
        cmd = { stage, instruction };
        cmdSet = true;
      } else if (instruction.keyword === 'ENTRYPOINT') {
        entrypoint = { stage, instruction };
        if (!cmdSet) cmd = undefined;
      }
    }
  }
  return { ...(entrypoint ? { entrypoint } : {}), ...(cmd ? { cmd } : {}) };
}

/** The stages a build rule reads: `image`, those whose layers end up in the image; `built`, every stage that is built. */
export type StageScope = 'image' | 'built';

/**
 * The instructions with one of the keywords (upper case) in the stages in
 * scope, ONBUILD triggers included (judged like the instruction they
 * register), each with its stage, in file order.
 */
export function instructionsInScope(build: Build, scope: StageScope, ...keywords: string[]): { stage: Stage; instruction: Instruction }[] {
  return build.stages
    .filter((stage) => (scope === 'image' ? inFinalImage(stage) : stage.role !== 'unused'))
    .flatMap((stage) => instructionsWithTriggers(stage).filter((i) => keywords.includes(i.keyword)).map((instruction) => ({ stage, instruction })));
}

/**
 * The instructions that take effect before `ins` in the image: those of the
 * stages `stage` builds FROM (earliest first; `chain` as stageChain gives it,
 * reversed), then those before `ins` in its own stage.
 */
export function instructionsBefore(chain: readonly Stage[], stage: Stage, ins: Instruction): Instruction[] {
  const out: Instruction[] = [];
  for (const s of chain) {
    for (const i of s.instructions) {
      if (s === stage && i === ins) return out;
      out.push(i);
    }
  }
  return out;
}
