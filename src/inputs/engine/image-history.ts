import type { Build } from '../../model/build.js';
import type { Subject } from '../../model/subject.js';
import { InputError } from '../../core/errors.js';
import { MAX_FILE_CHARS, MAX_LINE_BYTES, readBuild } from '../dockerfile/parse.js';

/**
 * An image's history (GET /images/{id}/history) as a Build, so the build
 * rules judge what made the image with the same ids as they judge a
 * Dockerfile: a lone `apt-get update` (CIS 4.7), ADD where COPY serves (CIS
 * 4.9), `curl | sh`, sudo, kept package caches…
 *
 * The history is the image's steps back to its first layer, base images
 * included, each with the text its builder recorded (`created_by`):
 *
 *   BuildKit:   `RUN |1 TOKEN=x /bin/sh -c apt-get update # buildkit`,
 *               `ADD --chown=1:1 app.tar.gz /srv # buildkit` (sources as written)
 *   classic:    `|1 TOKEN=x /bin/sh -c apt-get update`,
 *               `/bin/sh -c #(nop) ADD dir:<hash> in /srv `
 *   commit:     the committed container's command (`sh -c rm /x`)
 *   import:     '' (a layer from a tarball)
 *
 * Those steps become the instructions of one stage built FROM scratch, read
 * by the Dockerfile parser (a RUN in exec form, [shell…, "-c", script], so
 * the script's own newlines and `<<` cannot be misread as Dockerfile syntax).
 * Only RUN, ADD and COPY are taken: the other steps' effect is in the
 * image's Config, judged through its Container. What the history does not
 * record is not guessed at: ADD of a download (BuildKit never records
 * --checksum) and the classic builder's `ADD file:<hash>`/`multi:` (a plain
 * file, an unpacked archive or a download: all look alike) are left out.
 *
 * Paths are `History[i].CreatedBy` (i as the API lists the history, newest
 * first) and below it `….commands[k]`, `….tokens[k]`; locs have no file
 * (they are positions in the recorded text, not in a file the user has).
 */
export interface HistoryEntry {
  readonly CreatedBy?: unknown;
}

export interface HistoryBuild {
  /** undefined when no step is one the build rules read. */
  readonly build?: Build;
  /** Steps too large to read, or a history the parser refused. */
  readonly notes: string[];
}

/** The path of a history entry. */
export function historyPath(index: number): string {
  return `History[${index}].CreatedBy`;
}

export function buildOfHistory(history: readonly HistoryEntry[], subject: Subject): HistoryBuild {
  const notes: string[] = [];
  const lines = ['FROM scratch'];
  /** For each instruction after FROM, the history index it came from. */
  const origin: number[] = [];
  let chars = lines[0]!.length;
  // Oldest first, as the steps ran.
  for (let i = history.length - 1; i >= 0; i--) {
    const createdBy = history[i]?.CreatedBy;
    if (typeof createdBy !== 'string' || createdBy === '') continue;
    const line = instructionOf(createdBy);
    if (line === undefined) continue;
    if (Buffer.byteLength(line) > MAX_LINE_BYTES || chars + line.length + 1 > MAX_FILE_CHARS) {
      notes.push(`image ${subject.name}: history step ${historyPath(i)} is too large to read (${createdBy.length} characters); its build checks skipped it`);
      continue;
    }
    lines.push(line);
    origin.push(i);
    chars += line.length + 1;
  }
  if (origin.length === 0) return { notes };
  let build: Build;
  try {
    build = readBuild(`${lines.join('\n')}\n`, '');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    notes.push(`image ${subject.name}: its history could not be read as build steps (${e.message.replace(/^:\d+:\d+: /, '')}); the build checks skipped it`);
    return { notes };
  }
  rebase(build, origin);
  return { build: { ...build, subject, file: '' }, notes };
}

/** The Dockerfile line a recorded step stands for, or undefined when it is none the build rules read. */
export function instructionOf(createdBy: string): string | undefined {
  const text = createdBy.trim();
  if (text.endsWith('# buildkit')) {
    const step = text.slice(0, -'# buildkit'.length).trim();
    const keyword = step.split(' ', 1)[0];
    if (keyword === 'RUN') return runLine(step.slice(4));
    if (keyword === 'ADD' || keyword === 'COPY') return copyLine(keyword, step.slice(keyword.length + 1));
    return undefined;
  }
  const nop = /^(?:\|\d+ .*? )?\S+(?: -\S+)* -c #\(nop\) +(.*)$/s.exec(text);
  if (nop) {
    // The classic builder's metadata steps, and its ADD/COPY: `ADD dir:<hash> in /dest`.
    const m = /^(ADD|COPY)((?: --\S+)*) (dir|file|multi):([0-9a-f]+) in (.+)$/s.exec(nop[1]!.trim());
    if (!m || m[1] !== 'ADD' || m[3] !== 'dir') return undefined;
    return `ADD${m[2]} dir:${m[4]} ${m[5]}`;
  }
  // BuildKit's steps that make no layer (ENV, USER, CMD…): their effect is in the image's Config.
  if (METADATA.has(text.split(' ', 1)[0]!)) return undefined;
  // A classic RUN, or the command of a committed container.
  return runLine(text);
}

const METADATA = new Set(['ARG', 'ENV', 'LABEL', 'MAINTAINER', 'USER', 'WORKDIR', 'EXPOSE', 'VOLUME', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'SHELL', 'STOPSIGNAL', 'ONBUILD']);

/** A run step (`|N ARG=v… shell -c script`, or a command line) as an exec-form RUN. */
function runLine(text: string): string | undefined {
  const withArgs = /^\|\d+ /.test(text);
  const args = withArgs ? text.slice(text.indexOf(' ') + 1) : text;
  // The shell starts the text; after build arguments, it starts after them (a value may hold spaces).
  // The shell and its options before -c, an option's value included (`bash -o pipefail -c …`).
  const shell = /(?:^| )((?:\S*\/)?(?:sh|bash|dash|ash|zsh|ksh|mksh)(?: -(?!c )\S+(?: (?!-)\S+)?)*?) -c /.exec(args);
  if (shell && (withArgs || shell.index === 0)) {
    const words = shell[1]!.split(' ');
    const script = args.slice(shell.index + shell[0].length);
    return `RUN ${JSON.stringify([...words, '-c', script])}`;
  }
  const argv = stripBuildArgs(text).split(' ').filter((w) => w !== '');
  return argv.length ? `RUN ${JSON.stringify(argv)}` : undefined;
}

/** Removes the `|N A=1 B=2` prefix of build arguments a step ran with (values with spaces are not told apart). */
function stripBuildArgs(text: string): string {
  const m = /^\|(\d+) /.exec(text);
  if (!m) return text;
  return text.slice(m[0].length).split(' ').slice(Number(m[1])).join(' ');
}

/** A BuildKit ADD/COPY as written, without the downloads: the history never records --checksum. */
function copyLine(keyword: 'ADD' | 'COPY', args: string): string | undefined {
  const words = args.split(' ').filter((w) => w !== '');
  const flags = words.filter((w, i) => w.startsWith('--') && words.slice(0, i).every((x) => x.startsWith('--')));
  const rest = words.slice(flags.length);
  if (rest.length < 2) return undefined;
  const dest = rest.at(-1)!;
  const sources = rest.slice(0, -1).filter((s) => keyword === 'COPY' || !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(s));
  if (sources.length === 0) return undefined;
  return [keyword, ...flags, ...sources, dest].join(' ');
}

/**
 * Renames the build's paths from the parsed text's (`stages[0].instructions[k]…`)
 * to the history's (`History[i].CreatedBy…`), in place: the objects were
 * made by readBuild just now and are shared with nothing else.
 */
function rebase(build: Build, origin: readonly number[]): void {
  const seen = new WeakSet<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const o = node as Record<string, unknown>;
    if (typeof o['path'] === 'string') o['path'] = renamed(o['path'], origin);
    for (const key of Object.keys(o)) if (key !== 'loc') visit(o[key]);
  };
  visit(build.stages);
}

function renamed(path: string, origin: readonly number[]): string {
  const m = /^stages\[0\](?:\.instructions\[(\d+)\])?/.exec(path);
  if (!m) return path;
  const k = m[1] === undefined ? 0 : Number(m[1]);
  // instructions[0] is the FROM scratch this adapter wrote: the history as a whole.
  if (k === 0) return 'History';
  return historyPath(origin[k - 1]!) + path.slice(m[0].length);
}
