import type { At } from './value.js';
import type { Subject } from './subject.js';

/**
 * The image-build model: what a Dockerfile (or Containerfile) says, with
 * every instruction placed at file:line:column. Build rules read it; the
 * runtime facts a Dockerfile does know (USER, HEALTHCHECK, EXPOSE, CMD) go
 * into a Container as well, so runtime rules apply with the same ids.
 */

/** One simple command of a RUN (or shell-form CMD/ENTRYPOINT), from the shell parser. */
export interface ShellCommand extends At {
  /** The command name as written (`apt-get`, `/usr/bin/curl`), after `sudo`/`env` prefixes are kept as their own commands. */
  readonly name: string;
  /** Its words after the name, unquoted where the shell would unquote them. */
  readonly args: readonly string[];
  /** The next command of a pipeline this one's output feeds (`curl … | sh` → the `sh` command). */
  readonly pipesTo?: ShellCommand;
  /** Run in the background (`cmd &`). */
  readonly background: boolean;
}

export interface Instruction extends At {
  /** Upper case: FROM, RUN, USER, … */
  readonly keyword: string;
  /** The instruction's text after the keyword, as written (continuations joined). */
  readonly args: string;
  /** Exec form (`["a", "b"]`) or shell form, for RUN, CMD, ENTRYPOINT, HEALTHCHECK. */
  readonly form?: 'exec' | 'shell';
  /** Exec-form words. */
  readonly words?: readonly string[];
  /** For shell-form RUN/CMD/ENTRYPOINT (and heredocs): every simple command, in order. */
  readonly commands?: readonly ShellCommand[];
}

export interface Stage extends At {
  readonly index: number;
  /** `AS name`, when given. */
  readonly name?: string;
  /** The FROM image reference as written (after ARG substitution where the value is known), or the stage it builds on. */
  readonly base: At & { readonly image: string; readonly stage?: number };
  readonly instructions: readonly Instruction[];
}

export interface Build {
  readonly subject: Subject;
  readonly file: string;
  readonly stages: readonly Stage[];
  /** Instructions before the first FROM (ARG, comments' directives). */
  readonly preamble: readonly Instruction[];
}

/** The stage whose image is the result: the last one. */
export function finalStage(build: Build): Stage | undefined {
  return build.stages.at(-1);
}
