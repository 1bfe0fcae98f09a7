import type { FlagSetting } from '../../model/host.js';
import { CONFIG_FILE, FLAGS, SHORT_FLAGS, type FlagDef } from './dockerd-flags.js';
import { quoted } from './quote.js';

/** What a dockerd command line sets. */
export interface ParsedCommandLine {
  /** By daemon.json key. */
  readonly settings: ReadonlyMap<string, FlagSetting>;
  /** The --config-file given, if any. */
  readonly configFile?: string;
  /** What could not be read as dockerd would (it refuses to start on most of these). */
  readonly notes: readonly string[];
}

/** A note per problem up to this many; a garbage command line is one line more, not thousands. */
const MAX_NOTES = 5;

/**
 * Reads a dockerd argv (argv[0] is the program) the way pflag does (see
 * dockerd-flags.ts): long flags with `=value` or a following word, clusters of
 * one-letter flags (`-Dl debug`, `-l=debug`), `--` ending the flags. A flag
 * dockerd does not have is kept under its own name (daemon.json keys mostly
 * are flag names) and noted: a newer dockerd may have it. Never throws.
 */
export function parseDockerdArgs(argv: readonly string[]): ParsedCommandLine {
  const out = new Collector();
  const words = new Words(argv.slice(1));
  for (let arg = words.take(); arg !== undefined; arg = words.take()) {
    if (arg === '--') {
      for (let rest = words.take(); rest !== undefined; rest = words.take()) out.note(`stray argument ${quoted(rest)} (dockerd takes none)`);
    } else if (arg.length < 2 || !arg.startsWith('-')) {
      out.note(`stray argument ${quoted(arg)} (dockerd takes none)`);
    } else if (arg.startsWith('--')) {
      readLong(arg, words, out);
    } else {
      readShortCluster(arg, words, out);
    }
  }
  return out.result();
}

/** The words of the command line, taken in order. */
class Words {
  private i = 0;
  constructor(private readonly words: readonly string[]) {}
  take(): string | undefined {
    return this.i < this.words.length ? this.words[this.i++] : undefined;
  }
  peek(): string | undefined {
    return this.words[this.i];
  }
}

/** `--name`, `--name=value`, `--name value`. */
function readLong(arg: string, words: Words, out: Collector): void {
  const body = arg.slice(2);
  const eq = body.indexOf('=');
  const name = eq < 0 ? body : body.slice(0, eq);
  const inline = eq < 0 ? undefined : body.slice(eq + 1);
  if (name === '' || name.startsWith('-')) {
    out.note(`bad flag syntax ${quoted(arg)}`);
    return;
  }
  const def = FLAGS.get(name);
  if (!def) {
    // Unknown: a value if one is written with `=` or follows as a word, else a switch.
    const following = words.peek();
    const value = inline ?? (following !== undefined && !following.startsWith('-') ? words.take() : undefined);
    out.note(`unknown flag --${quoted(name, false)}; read as the setting ${quoted(name)}`);
    out.set(unknownDef(name), value ?? true, value === undefined ? arg : inline !== undefined ? arg : `${arg} ${value}`);
    return;
  }
  if (def.kind === 'bool' || def.kind === 'action') {
    out.setBool(def, inline ?? 'true', arg);
    return;
  }
  const value = inline ?? words.take();
  if (value === undefined) {
    out.note(`flag ${arg} needs a value`);
    return;
  }
  out.setValue(def, value, inline !== undefined ? arg : `${arg} ${value}`);
}

/** `-D`, `-Dl debug`, `-ldebug`, `-l=debug`, `-H unix:///x`. */
function readShortCluster(arg: string, words: Words, out: Collector): void {
  let rest = arg.slice(1);
  while (rest.length > 0) {
    const letter = rest[0]!;
    rest = rest.slice(1);
    const def = SHORT_FLAGS.get(letter);
    if (!def) {
      out.note(`unknown shorthand flag -${quoted(letter, false)} in ${quoted(arg)}`);
      return;
    }
    // `-l=debug`, and `-D=false` for a switch.
    const inline = rest.startsWith('=') ? rest.slice(1) : undefined;
    if (def.kind === 'bool' || def.kind === 'action') {
      if (inline !== undefined) {
        out.setBool(def, inline, `-${letter}=${inline}`);
        return;
      }
      out.setBool(def, 'true', `-${letter}`);
      continue;
    }
    // A flag that takes a value takes the rest of the word, else the next word.
    const value = inline ?? (rest.length > 0 ? rest : words.take());
    if (value === undefined) {
      out.note(`flag -${letter} needs a value`);
      return;
    }
    out.setValue(def, value, inline !== undefined ? `-${letter}=${value}` : rest.length > 0 ? `-${letter}${value}` : `-${letter} ${value}`);
    return;
  }
}

/** An unknown flag holds one value, the last given (true when none is written). */
function unknownDef(name: string): FlagDef {
  return { name, kind: 'string', key: name };
}

/** Go's strconv.ParseBool. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's strconv.ParseInt(s, 0, 64): decimal, 0x hex, 0o/leading-0 octal, 0b binary, underscores between digits. */
function parseGoInt(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[1-9][0-9_]*|0)$/.exec(text);
  if (!m || /__|_$/.test(m[2]!)) return undefined;
  const digits = m[2]!.replace(/_/g, '');
  const body = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits.replace(/^0O/, '0o').replace(/^0X/, '0x').replace(/^0B/, '0b');
  const n = Number(body);
  if (!Number.isSafeInteger(n)) return undefined;
  return m[1] === '-' ? -n : n;
}

/** Gathers the settings flag by flag: a later single value replaces an earlier one, a repeatable flag adds to its list. */
class Collector {
  private readonly settings = new Map<string, FlagSetting>();
  private readonly notes: string[] = [];
  private configFile: string | undefined;

  note(message: string): void {
    this.notes.push(message);
  }

  setBool(def: FlagDef, text: string, written: string): void {
    const value = TRUE.has(text) ? true : FALSE.has(text) ? false : undefined;
    if (value === undefined) {
      this.note(`${quoted(written)}: ${quoted(text)} is not true or false`);
      return;
    }
    if (def.kind === 'action') return;
    this.set(def, value, written);
  }

  setValue(def: FlagDef, text: string, written: string): void {
    if (def.name === CONFIG_FILE) {
      this.configFile = text;
      return;
    }
    if (def.kind === 'int') {
      const n = parseGoInt(text);
      if (n === undefined) this.note(`${quoted(written)}: ${quoted(text)} is not a number`);
      else this.set(def, n, written);
      return;
    }
    this.set(def, text, written);
  }

  set(def: FlagDef, value: unknown, written: string): void {
    const before = this.settings.get(def.key);
    const path = `dockerd --${def.name}`;
    switch (def.kind) {
      case 'list':
      case 'any': {
        const values = Array.isArray(before?.value) ? [...(before.value as unknown[]), value] : [value];
        this.settings.set(def.key, { from: 'flag', origin: 'explicit', path, value: values, args: [...(before?.args ?? []), written] });
        return;
      }
      case 'map': {
        const text = String(value);
        const eq = text.indexOf('=');
        const entry = eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
        const map = { ...((before?.value as Record<string, string> | undefined) ?? {}), [entry[0]!]: entry[1]! };
        this.settings.set(def.key, { from: 'flag', origin: 'explicit', path, value: map, args: [...(before?.args ?? []), written] });
        return;
      }
      default:
        this.settings.set(def.key, { from: 'flag', origin: 'explicit', path, value, args: [written] });
    }
  }

  result(): ParsedCommandLine {
    const notes = this.notes.length > MAX_NOTES ? [...this.notes.slice(0, MAX_NOTES), `and ${this.notes.length - MAX_NOTES} more problems`] : this.notes;
    return { settings: this.settings, notes, ...(this.configFile !== undefined ? { configFile: this.configFile } : {}) };
  }
}
