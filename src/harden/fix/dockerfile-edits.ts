import type { Finding } from '../../core/finding.js';
import type { Build, Instruction, ShellCommand, Stage } from '../../model/build.js';
import { finalStage, instructionsOf, programOf, stageChain, subcommandOf } from '../../model/build.js';
import { splitPath } from '../../model/path.js';
import { plainCommandWords } from '../../rules/support/commands.js';
import { argumentEnd } from './shell-words.js';
import { lineStarts, nextLineAt, offsetOf, type TextEdit } from './text-edit.js';
import type { FixNote } from './fix-options.js';

/** The user a fixed image runs as: numeric, so it needs no /etc/passwd entry (the distroless "nonroot" ids). */
export const NON_ROOT_USER = '65532:65532';


/** Daemons that fork unless told not to, and the words that keep them in the foreground. */
const FOREGROUND: Readonly<Record<string, { readonly has: (args: readonly string[]) => boolean; readonly add: readonly string[] }>> = {
  nginx: { has: (a) => a.includes('-g'), add: ['-g', 'daemon off;'] },
  sshd: { has: (a) => a.includes('-D'), add: ['-D', '-e'] },
  crond: { has: (a) => a.includes('-f'), add: ['-f'] },
  cron: { has: (a) => a.includes('-f'), add: ['-f'] },
};

/** The Dockerfile fixes of one file: ADD→COPY, --no-install-recommends, a non-root USER, exec-form CMD/ENTRYPOINT with daemons in the foreground. */
export function dockerfileEdits(text: string, build: Build, findings: readonly Finding[], note: (n: FixNote) => void): TextEdit[] {
  const starts = lineStarts(text);
  const edits: TextEdit[] = [];
  // Instructions to rewrite in exec form, with the daemon flags to add: one edit per instruction, however many findings name it.
  const rewrites = new Map<Instruction, { readonly finding: Finding; readonly extra: readonly string[] }>();
  for (const f of findings) {
    const segments = splitPath(f.location.path);
    const node = resolve(build, segments);
    switch (f.rule.name) {
      case 'add-instead-of-copy': {
        const ins = node as Instruction | undefined;
        if (ins?.keyword !== 'ADD' || !ins.loc) {
          note({ finding: f, text: 'left ADD: its source is a URL or git repository, which COPY cannot fetch (pin it with --checksum instead)' });
          break;
        }
        const at = offsetOf(starts, ins.loc);
        const word = text.slice(at, at + 3);
        if (word.toUpperCase() === 'ADD') edits.push({ start: at, end: at + 3, text: word === 'ADD' ? 'COPY' : 'copy' });
        break;
      }
      case 'apt-install-recommends': {
        const cmd = node as ShellCommand | undefined;
        const sub = cmd ? subcommandOf(cmd, ['-o', '--option', '-c', '--config-file', '-t', '--target-release']) : undefined;
        if (!cmd?.loc || !sub) break;
        const start = offsetOf(starts, cmd.loc);
        const end = argumentEnd(text.slice(start, offsetOf(starts, cmd.loc, 'end')), sub.index);
        if (end === undefined) note({ finding: f, text: 'left apt-get install: add --no-install-recommends by hand' });
        else edits.push({ start: start + end, end: start + end, text: ' --no-install-recommends' });
        break;
      }
      case 'runs-as-root': {
        const stage = node as Stage | undefined;
        if (!stage || segments.length !== 2) {
          note({ finding: f, text: 'left an explicit USER root: the build may need it; set a non-root USER after the steps that do' });
          break;
        }
        edits.push(userEdit(text, starts, build));
        break;
      }
      case 'shell-form-command': {
        const ins = node as Instruction | undefined;
        if (ins && !rewrites.has(ins)) rewrites.set(ins, { finding: f, extra: [] });
        break;
      }
      case 'daemon-in-background': {
        const ins = resolve(build, segments.slice(0, -2)) as Instruction | undefined;
        const cmd = node as ShellCommand | undefined;
        const fg = cmd ? FOREGROUND[programOf(cmd)] : undefined;
        const only = ins?.commands?.length === 1 && ins.commands[0] === cmd;
        if (!ins || !cmd || !fg || !only || cmd.background || fg.has(cmd.args) || (ins.keyword !== 'CMD' && ins.keyword !== 'ENTRYPOINT')) {
          note({ finding: f, text: 'left the background daemon: run it in the foreground as the container\'s command by hand (see the finding)' });
          break;
        }
        rewrites.set(ins, { finding: f, extra: fg.add });
        break;
      }
      default:
        break;
    }
  }
  for (const [ins, { finding, extra }] of rewrites) {
    if (ins.keyword === 'ENTRYPOINT' && cmdBecomesArguments(build, ins)) {
      note({ finding, text: 'left ENTRYPOINT in shell form: it ignores CMD, and in exec form the CMD would be appended to it as arguments; write the exec form and the CMD you mean by hand' });
      continue;
    }
    const form = execForm(ins, extra);
    if (!form || !ins.loc) {
      note({ finding, text: `left ${ins.keyword} in shell form: its script uses the shell (variables, globs, several commands); start it with exec` });
      continue;
    }
    const start = offsetOf(starts, ins.loc);
    const keyword = text.slice(start, start + ins.keyword.length);
    edits.push({ start, end: offsetOf(starts, ins.loc, 'end'), text: `${keyword} ${form}` });
  }
  return edits;
}

/** Walks a build-model path (`stages[1].instructions[3].commands[0]`) to its node. */
function resolve(build: Build, segments: readonly (string | number)[]): unknown {
  let node: unknown = build;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[s];
  }
  return node;
}

/**
 * `USER 65532:65532` at the end of the final stage, after its last
 * instruction: USER sets who the container runs as wherever it stands, and
 * any RUN above it still runs as root, as the build was written for.
 */
function userEdit(text: string, starts: readonly number[], build: Build): TextEdit {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const line = `USER ${NON_ROOT_USER}${eol}`;
  const last = finalStage(build)?.instructions.at(-1);
  const end = last?.loc ? offsetOf(starts, last.loc, 'end') : text.length;
  const at = nextLineAt(text, Math.max(end - 1, 0));
  const lead = at === text.length && text.length && !text.endsWith('\n') ? eol : '';
  return { start: at, end: at, text: lead + line };
}

/**
 * True when a CMD in the file would run with this ENTRYPOINT: one in its own
 * stage, or in a stage built FROM it that does not set its own ENTRYPOINT on
 * the way. (A CMD from a base image is reset by ENTRYPOINT.)
 */
function cmdBecomesArguments(build: Build, entrypoint: Instruction): boolean {
  const home = build.stages.find((s) => s.instructions.includes(entrypoint));
  if (!home) return false;
  return build.stages.some((stage) => {
    const chain = stageChain(build, stage);
    const at = chain.indexOf(home);
    if (at < 0 || chain.slice(0, at).some((s) => instructionsOf(s, 'ENTRYPOINT').length)) return false;
    return instructionsOf(stage, 'CMD').length > 0;
  });
}

/** The exec form of an instruction that is one plain command, with words added (`["nginx", "-g", "daemon off;"]`), or undefined. */
function execForm(ins: Instruction, extra: readonly string[]): string | undefined {
  const words = plainCommandWords(ins);
  return words && `[${[...words, ...extra].map((w) => JSON.stringify(w)).join(', ')}]`;
}
