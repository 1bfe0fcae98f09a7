import type { Rule } from '../core/rule.js';
import { instructionsInScope } from '../model/build.js';
import { own } from '../core/own.js';

/** What a mode does to "others": makes them able to write, and whether it sets the sticky bit. */
interface ModeEffect {
  readonly worldWritable: boolean;
  readonly sticky: boolean;
}

/**
 * Reads a chmod-style mode: octal (`777`, `0666`, `1777`), where the last
 * digit is "others" and its 2 bit is write; or symbolic (`a+w`, `o=rwx`,
 * `u+x,o+w`), applied clause by clause, where only clauses that name `o` or
 * `a` count (a clause with no `who`, like `+w`, is filtered by the umask,
 * 022 in a build, which keeps "others" from writing). undefined when the
 * mode cannot be read (a variable, `--reference`).
 */
export function modeEffect(mode: string): ModeEffect | undefined {
  if (/^[0-7]{1,5}$/.test(mode)) {
    const bits = parseInt(mode, 8);
    return { worldWritable: (bits & 0o002) !== 0, sticky: (bits & 0o1000) !== 0 };
  }
  let worldWritable = false;
  let sticky = false;
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXst]*|[-+=][ugo])+)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1]!;
    const others = who.includes('o') || who.includes('a');
    for (const action of m[2]!.match(/[-+=][^-+=]*/g) ?? []) {
      const op = action[0]!;
      const perms = action.slice(1);
      if (perms.includes('t')) sticky = op !== '-';
      if (!others) continue;
      if (op === '+' && perms.includes('w')) worldWritable = true;
      else if (op === '-' && perms.includes('w')) worldWritable = false;
      else if (op === '=') worldWritable = perms.includes('w');
    }
  }
  return { worldWritable, sticky };
}

/** Scratch folders every user may write to, where a sticky world-writable mode (1777) is the norm. */
const TMP_DIRS = new Set(['/tmp', '/var/tmp', '/dev/shm', '/run/lock', '/var/lock', '/usr/tmp']);

export function isTmpDir(path: string): boolean {
  const p = path.replace(/\/+$/, '') || '/';
  if (TMP_DIRS.has(p) || p.startsWith('/tmp/') || p.startsWith('/var/tmp/')) return true;
  const last = p.slice(p.lastIndexOf('/') + 1);
  return last === 'tmp' || last === 'temp';
}

interface ModeUse {
  readonly mode: string;
  readonly paths: readonly string[];
}

/** chmod's mode and paths: the first word that is not an option is the mode (`-R`, `--recursive`, …; `-w` style modes remove write and never matter here). */
function chmodUse(args: readonly string[]): ModeUse | undefined {
  const words: string[] = [];
  let options = true;
  for (const a of args) {
    if (options && a === '--') options = false;
    else if (options && a.startsWith('--reference')) return undefined;
    else if (options && a.startsWith('-') && a.length > 1) continue;
    else words.push(a);
  }
  const [mode, ...paths] = words;
  return mode === undefined ? undefined : { mode, paths };
}

/** Short options that take a value, per tool (the mode is `m`'s). */
const VALUE_OPTIONS: Readonly<Record<string, string>> = { mkdir: 'mZ', install: 'mogtS' };

/** `mkdir -m MODE` / `install -m MODE` (also `-pm MODE`, `-m0777`, `--mode=MODE`, `--mode MODE`) and the other operands. */
function modeOption(tool: string, args: readonly string[]): ModeUse | undefined {
  const takesValue = own(VALUE_OPTIONS, tool) ?? 'm';
  let mode: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      paths.push(...args.slice(i + 1));
      break;
    }
    if (a === '--mode') mode = args[++i];
    else if (a.startsWith('--mode=')) mode = a.slice('--mode='.length);
    else if (a.startsWith('--')) {
      if (!a.includes('=') && ['--owner', '--group', '--target-directory', '--suffix', '--context'].includes(a)) i++;
    } else if (a.startsWith('-') && a.length > 1) {
      // A cluster of short options: the first one that takes a value takes the rest of the word, or the next word.
      for (let k = 1; k < a.length; k++) {
        if (!takesValue.includes(a[k]!)) continue;
        const value = k + 1 < a.length ? a.slice(k + 1) : args[++i];
        if (a[k] === 'm') mode = value;
        break;
      }
    } else paths.push(a);
  }
  return mode === undefined ? undefined : { mode, paths };
}

function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** The mode a command sets, with what it sets it on, or undefined. `find … -exec chmod 777 {} +` counts too. */
function modeUseOf(cmd: { name: string; args: readonly string[] }): { tool: string; use: ModeUse } | undefined {
  const tool = baseName(cmd.name);
  if (tool === 'chmod') {
    const use = chmodUse(cmd.args);
    return use && { tool, use };
  }
  if (tool === 'mkdir' || tool === 'install') {
    const use = modeOption(tool, cmd.args);
    return use && { tool: `${tool} -m`, use };
  }
  if (tool === 'find') {
    const at = cmd.args.findIndex((a) => a === '-exec' || a === '-execdir');
    if (at < 0) return undefined;
    const end = cmd.args.findIndex((a, i) => i > at && (a === ';' || a === '+' || a === '\\;'));
    const inner = cmd.args.slice(at + 1, end < 0 ? undefined : end);
    if (inner.length === 0 || baseName(inner[0]!) !== 'chmod') return undefined;
    const use = chmodUse(inner.slice(1));
    // The paths are what find finds, under its starting points.
    const firstTest = cmd.args.findIndex((a) => a.startsWith('-') || a === '(' || a === '!');
    const roots = cmd.args.slice(0, firstTest < 0 ? at : firstTest);
    return use && { tool: 'find -exec chmod', use: { mode: use.mode, paths: roots.length ? roots : ['.'] } };
  }
  return undefined;
}

/** True when the mode makes the paths world-writable, and is not the sticky scratch-folder mode on tmp folders. */
function isWorldWritable(use: ModeUse): boolean {
  const effect = modeEffect(use.mode);
  if (!effect?.worldWritable) return false;
  if (effect.sticky && use.paths.length > 0 && use.paths.every(isTmpDir)) return false;
  return true;
}

function describePaths(paths: readonly string[]): string {
  if (paths.length === 0) return 'the paths it is given';
  const shown = paths.slice(0, 2).join(', ');
  return paths.length > 2 ? `${shown} and ${paths.length - 2} more` : shown;
}

/** A sticky mode outside scratch folders: say why it still counts. */
function stickyNote(use: ModeUse): string {
  return modeEffect(use.mode)?.sticky ? ' (a sticky 1777 is only for /tmp-like scratch folders)' : '';
}

const FIX = 'chown the paths to the user that writes them (COPY --chown, or chown) and use 755 for folders, 644 for files (775/664 for a shared group)';

export const worldWritablePermissions: Rule = {
  id: 'BH046',
  name: 'world-writable-permissions',
  severity: 'medium',
  category: 'build',
  references: [],
  aliases: [],
  docs: {
    summary: 'A Dockerfile makes files or folders writable by every user (chmod 777, a+w, COPY --chmod=777).',
    rationale:
      'A world-writable path in an image can be changed by any process in the container, whatever its user: a compromised low-privilege process can rewrite the application\'s code, its configuration or a script that root runs later, turning a foothold into persistence or an escalation. Mode 777 is almost always a workaround for an ownership problem, which chown fixes without opening the path to everyone. Read are RUN chmod (also through sudo, sh -c and `find … -exec chmod`), mkdir -m and install -m, and COPY/ADD --chmod, in the stages whose layers end up in the image (the final stage and those it builds FROM), ONBUILD triggers included; files copied out of a builder stage keep their modes but are not followed; a sticky world-writable mode (1777) on a scratch folder such as /tmp is the norm and not reported.',
    remediation: {
      docker: 'rebuild the image without world-writable modes: chown the paths to the user that writes them and chmod 755/644',
      dockerfile:
        'COPY --chown=app:app (or RUN chown -R app:app /path) and chmod 755 for folders, 644 for files, 775/664 when a group shares them; never 777/666, a+w or o+w (1777 only on /tmp-like folders)',
    },
  },
  needs: ['build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      // ONBUILD triggers run in every image built FROM this one: judged like the instruction they register.
      for (const { instruction: ins } of instructionsInScope(build, 'image', 'RUN', 'COPY', 'ADD')) {
        if (ins.keyword === 'RUN') {
          for (const cmd of ins.commands ?? []) {
            const found = modeUseOf(cmd);
            if (!found || !isWorldWritable(found.use)) continue;
            ctx.report({
              subject: build.subject,
              at: cmd,
              message: `${found.tool} ${found.use.mode} makes ${describePaths(found.use.paths)} world-writable${stickyNote(found.use)}: ${FIX}`,
            });
          }
        } else if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
          const flag = ins.flags.find((f) => f.name === 'chmod');
          if (!flag?.value) continue;
          // The destination is the last word (JSON form: `["src", "/dest/"]`).
          const dest = ins.tokens.at(-1)?.value.replace(/^[["]+|[\]",]+$/g, '');
          if (!isWorldWritable({ mode: flag.value, paths: dest ? [dest] : [] })) continue;
          ctx.report({
            subject: build.subject,
            at: flag,
            message: `${ins.keyword} --chmod=${flag.value} makes ${dest ?? 'the copied files'} world-writable: use --chown=USER:GROUP with --chmod=755 (folders, programs) or 644 (files)`,
          });
        }
      }
    }
  },
};
