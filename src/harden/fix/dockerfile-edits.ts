import type { Finding } from '../../core/finding.js';
import type { Build, Instruction, ShellCommand, Stage } from '../../model/build.js';
import { finalStage, programOf, subcommandOf } from '../../model/build.js';
import { splitPath } from '../../model/path.js';
import { plainCommandWords } from '../../rules/support/commands.js';
import { argumentEnd } from './shell-words.js';
import { lineStartAt, lineStarts, offsetOf, type TextEdit } from './text-edit.js';
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
  const rewrites = new Map<Instruction, string[]>();
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
        if (ins && !rewrites.has(ins)) rewrites.set(ins, []);
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
        rewrites.set(ins, [...fg.add]);
        break;
      }
      default:
        break;
    }
  }
  for (const [ins, extra] of rewrites) {
    const form = execForm(ins, extra);
    const finding = findings.find((f) => resolve(build, splitPath(f.location.path)) === ins);
    if (!form || !ins.loc) {
      if (finding) note({ finding, text: `left ${ins.keyword} in shell form: its script uses the shell (variables, globs, several commands); start it with exec` });
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

/** `USER 65532:65532` before the final stage's ENTRYPOINT and CMD (so they run as it), or at its end. */
function userEdit(text: string, starts: readonly number[], build: Build): TextEdit {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const line = `USER ${NON_ROOT_USER}${eol}`;
  const stage = finalStage(build);
  const runs = stage?.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') ?? [];
  const first = runs[0];
  if (first?.loc) {
    let at = lineStartAt(text, offsetOf(starts, first.loc));
    // Above the comment lines that introduce the instruction: they are about it.
    while (at > 0) {
      const prev = lineStartAt(text, at - 1);
      if (!text.slice(prev, at).trimStart().startsWith('#')) break;
      at = prev;
    }
    return { start: at, end: at, text: line };
  }
  const lead = text.length && !text.endsWith('\n') ? eol : '';
  return { start: text.length, end: text.length, text: lead + line };
}

/** The exec form of an instruction that is one plain command, with words added (`["nginx", "-g", "daemon off;"]`), or undefined. */
function execForm(ins: Instruction, extra: readonly string[]): string | undefined {
  const words = plainCommandWords(ins);
  return words && `[${[...words, ...extra].map((w) => JSON.stringify(w)).join(', ')}]`;
}
