import { createRequire } from 'node:module';
import type * as Ast from 'dockerfile-ast';
import { InputError } from '../../core/errors.js';
import type { Build, Comment, Directive, Flag, Heredoc, ImageRef, Instruction, Property, Stage, StageBase, StageRole, Token } from '../../model/build.js';
import type { Healthcheck } from '../../model/container.js';
import { child } from '../../model/path.js';
import { execCommands, isPosixShell, parseScript, withShellBudget, type ParsedScript } from './shell.js';
import { appendLines, appendNewline, expandVariables, ExpansionTooLong, joinLogicalLine, MappedText, MAX_EXPANSION, type Lookup } from './text.js';
import { SourceText } from '../source-text.js';

/** BuildKit refuses longer lines ("dockerfile line greater than max allowed size of 65535"). */
export const MAX_LINE_BYTES = 65535;
/** Larger files are refused before parsing: no real Dockerfile comes near, and parsing time grows with size. */
export const MAX_FILE_CHARS = 1024 * 1024;
/** Time for all the shell parsing of one file; past it, scripts are left unparsed (`shellError`). */
export const SHELL_BUDGET_MS = 3000;

const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

let parser: typeof Ast.DockerfileParser | undefined;

function dockerfileParser(): typeof Ast.DockerfileParser {
  if (!parser) parser = (createRequire(import.meta.url)('dockerfile-ast') as typeof Ast).DockerfileParser;
  return parser;
}

type Range = ReturnType<Ast.Instruction['getRange']>;

/** A stage under construction. */
interface StageState {
  index: number;
  name: string | undefined;
  base: StageBase;
  platform: string | undefined;
  instructions: Instruction[];
  copiesFrom: Set<number>;
  /** ENV values at the end of the stage (inherited by stages built FROM it). */
  env: Map<string, string | undefined>;
  /** The SHELL in effect at the end of the stage. */
  shell: readonly string[];
  scope: Scope;
  loc: Instruction['loc'];
}

/** Variables in scope for substitution: ENV and ARG of the stage (ENV wins), or the global ARGs for FROM. */
class Scope {
  private readonly args = new Map<string, string | undefined>();
  constructor(readonly env: Map<string, string | undefined>) {}
  setArg(name: string, value: string | undefined): void {
    this.args.set(name, value);
  }
  readonly lookup: Lookup = (name) => (this.env.has(name) ? this.env.get(name) : this.args.get(name));
}

/**
 * Reads a Dockerfile into the build model. Throws InputError (file:line:column)
 * only for what Docker itself refuses and leaves nothing to audit: an empty
 * file, no FROM, a line over 65535 bytes, an unterminated heredoc; and for
 * files over MAX_FILE_CHARS. Shell parsing of one file gets SHELL_BUDGET_MS.
 */
export function readBuild(input: string, file: string): Build {
  return withShellBudget(SHELL_BUDGET_MS, () => read(input, file));
}

function read(input: string, file: string): Build {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.length > MAX_FILE_CHARS) throw new InputError(`${file}:1:1: refused: ${text.length} characters, larger than any real Dockerfile (limit ${MAX_FILE_CHARS})`);
  const src = new SourceText(text, file);
  checkLineLengths(src);

  const { all, escape, directives, comments } = guarded(file, 1, 1, () => {
    const df = dockerfileParser().parse(text);
    return {
      all: df.getInstructions(),
      escape: df.getEscapeCharacter() === '`' ? '`' : '\\',
      directives: df.getDirectives().map((d, k): Directive => ({ path: `directives[${k}]`, loc: src.rangeLoc(d.getRange()), name: d.getName(), value: d.getValue() })),
      comments: df.getComments().map((c, k): Comment => ({ path: `comments[${k}]`, loc: src.rangeLoc(c.getRange()), text: c.getContent() })),
    };
  });
  if (all.length === 0) throw new InputError(`${file}:1:1: no instructions: docker build refuses an empty Dockerfile`);
  if (!all.some((i) => i.getKeyword() === 'FROM')) {
    const first = src.rangeLoc(all[0]!.getRange());
    throw new InputError(`${file}:${first.line}:${first.column}: no FROM instruction: not a Dockerfile`);
  }

  const reader = new Reader(src, escape);
  const preamble: Instruction[] = [];
  const globals = new Scope(new Map());
  const stages: StageState[] = [];
  for (const ins of all) {
    try {
      const keyword = ins.getKeyword().toUpperCase();
      if (keyword === 'FROM') {
        stages.push(reader.stage(ins as Ast.From, stages, globals));
        continue;
      }
      const stage = stages.at(-1);
      if (!stage) {
        const path = `preamble[${preamble.length}]`;
        const made = reader.instruction(ins, path, globals, DEFAULT_SHELL, stages);
        preamble.push(made);
        for (const p of made.properties ?? []) if (made.keyword === 'ARG') globals.setArg(p.name, p.value === undefined ? undefined : expandVariables(p.value, globals.lookup, escape).value);
        continue;
      }
      const path = `stages[${stage.index}].instructions[${stage.instructions.length}]`;
      const made = reader.instruction(ins, path, stage.scope, stage.shell, stages);
      stage.instructions.push(made);
      reader.apply(stage, made, globals);
    } catch (e) {
      if (!(e instanceof ExpansionTooLong)) throw e;
      const at = ins.getRange().start;
      throw new InputError(`${file}:${at.line + 1}:${at.character + 1}: refused: a variable here expands to more than ${MAX_EXPANSION} characters (each ENV or ARG that repeats the last one doubles it)`);
    }
  }

  const roles = rolesOf(stages);
  return {
    subject: { kind: 'image', name: file },
    file,
    stages: stages.map((s, i) => {
      const stage: Stage = {
        path: `stages[${i}]`,
        loc: s.loc,
        index: i,
        base: s.base,
        instructions: s.instructions,
        role: roles[i]!,
        copiesFrom: [...s.copiesFrom].sort((a, b) => a - b),
      };
      return { ...stage, ...(s.name !== undefined ? { name: s.name } : {}), ...(s.platform !== undefined ? { platform: s.platform } : {}) };
    }),
    preamble,
    directives,
    comments,
    escape,
  };
}

/**
 * Runs dockerfile-ast code: the library is lenient, but a few malformed
 * inputs make it throw; those become an InputError at the instruction.
 */
function guarded<T>(file: string, line: number, column: number, fn: () => T, what = 'the Dockerfile'): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}:${line}:${column}: cannot read ${what} (${firstLine(e instanceof Error ? e.message : String(e))})`);
  }
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).trim();
}

function checkLineLengths(src: SourceText): void {
  // A line of n UTF-16 units has at most 3n bytes of UTF-8: only long lines need counting.
  for (let line = 0; line < src.lineCount; line++) {
    const start = src.lineStart(line);
    const end = src.lineEnd(line);
    if ((end - start) * 3 <= MAX_LINE_BYTES) continue;
    if (Buffer.byteLength(src.text.slice(start, end)) > MAX_LINE_BYTES) {
      throw new InputError(`${src.file}:${line + 1}:1: line longer than ${MAX_LINE_BYTES} bytes: docker build refuses it`);
    }
  }
}

/** final, ancestor (the final stage builds FROM it), builder (files copied from it reach the image), unused. */
function rolesOf(stages: readonly StageState[]): StageRole[] {
  const roles: StageRole[] = stages.map(() => 'unused');
  const last = stages.length - 1;
  if (last < 0) return roles;
  roles[last] = 'final';
  for (let s = stages[last]!.base.stage; s !== undefined && roles[s] === 'unused'; s = stages[s]!.base.stage) roles[s] = 'ancestor';
  // Stages whose files reach the image: copied from by the image's stages, or by those stages, and their bases.
  const queue = roles.flatMap((r, i) => (r === 'unused' ? [] : [i]));
  while (queue.length) {
    const i = queue.pop()!;
    const s = stages[i]!;
    const next = [...s.copiesFrom, ...(roles[i] === 'builder' && s.base.stage !== undefined ? [s.base.stage] : [])];
    for (const j of next) {
      if (roles[j] !== 'unused') continue;
      roles[j] = 'builder';
      queue.push(j);
    }
  }
  return roles;
}

/** Splits a reference the way Docker does: [registry/]repository[:tag][@digest]. */
export function parseImageRef(ref: string): ImageRef | undefined {
  if (ref === '' || /\s/.test(ref)) return undefined;
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (rest === '') return undefined;
  return { repository: rest, ...(registry !== undefined ? { registry } : {}), ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

class Reader {
  constructor(
    private readonly src: SourceText,
    private readonly escape: string,
  ) {}

  /** dockerfile-ast calls about one instruction (see guarded). */
  private ast<T>(ins: Ast.Instruction, fn: () => T): T {
    const start = ins.getRange().start;
    return guarded(this.src.file, start.line + 1, start.character + 1, fn, `this ${ins.getKeyword()} instruction`);
  }

  /** The heredocs dockerfile-ast finds; it throws on some malformed ones, which BuildKit refuses too. */
  private astHeredocs(ins: Ast.Instruction): Ast.Heredoc[] {
    try {
      return heredocsOf(ins);
    } catch {
      const at = this.loc(ins.getRange());
      throw new InputError(`${this.src.file}:${at.line}:${at.column}: cannot read the heredoc of this ${ins.getKeyword()} instruction: unterminated or malformed`);
    }
  }

  private offset(pos: Range['start']): number {
    return this.src.offset(pos);
  }

  private loc(range: Range) {
    return this.src.rangeLoc(range);
  }

  private place(text: MappedText) {
    return (start: number, end: number) => {
      const [a, b] = text.toSourceRange(start, end);
      return this.src.loc(a, b);
    };
  }

  stage(ins: Ast.From, stages: StageState[], globals: Scope): StageState {
    const index = stages.length;
    const path = `stages[${index}].instructions[0]`;
    const made = this.instruction(ins, path, globals, DEFAULT_SHELL, stages);
    // FROM [--platform=…] image [AS name]
    const imageToken = made.tokens[0];
    const written = imageToken?.value ?? '';
    const { value, unresolved } = expandVariables(written, globals.lookup, this.escape);
    const name = made.tokens[1]?.value.toUpperCase() === 'AS' ? made.tokens[2]?.value.toLowerCase() : undefined;
    const byName = this.stageNames.get(value.toLowerCase()) ?? -1;
    const parent = byName >= 0 ? stages[byName] : undefined;
    const scratch = !parent && value.toLowerCase() === 'scratch';
    const ref = parent || scratch || unresolved ? undefined : parseImageRef(value);
    const base: StageBase = {
      path: `stages[${index}].base`,
      loc: imageToken?.loc ?? made.loc!,
      image: value,
      ...(parent ? { stage: byName } : {}),
      ...(ref ? { ref } : {}),
      scratch,
      unresolved,
    };
    const platform = made.flags.find((f) => f.name === 'platform')?.value;
    const env = new Map(parent?.env ?? []);
    if (name && !this.stageNames.has(name)) this.stageNames.set(name, index);
    return {
      index,
      name: name || undefined,
      base,
      platform,
      instructions: [made],
      copiesFrom: new Set(),
      env,
      shell: parent?.shell ?? DEFAULT_SHELL,
      scope: new Scope(env),
      loc: made.loc!,
    };
  }

  /** Updates the stage's state after an instruction: ENV, ARG, SHELL, and what it copies from. */
  apply(stage: StageState, made: Instruction, globals: Scope): void {
    const scope = stage.scope;
    if (made.keyword === 'ENV') {
      // Every value of one ENV sees the variables as they were before it.
      const values = (made.properties ?? []).map((p) => [p.name, p.value === undefined ? undefined : expandVariables(p.value, scope.lookup, this.escape).value] as const);
      for (const [name, value] of values) stage.env.set(name, value);
    } else if (made.keyword === 'ARG') {
      for (const p of made.properties ?? []) {
        // `ARG NAME` inside a stage takes the global default of NAME, if any.
        const value = p.value !== undefined ? expandVariables(p.value, scope.lookup, this.escape).value : globals.lookup(p.name);
        scope.setArg(p.name, value);
      }
    } else if (made.keyword === 'SHELL' && made.form === 'exec' && made.words && made.words.length > 0) {
      stage.shell = made.words.map((w) => w.value);
    }
    if (made.copyFrom?.stage !== undefined) stage.copiesFrom.add(made.copyFrom.stage);
    for (const f of made.flags) {
      if (f.name !== 'mount' || !f.value) continue;
      for (const part of f.value.split(',')) {
        const [k, v] = splitOnce(part, '=');
        if (k.trim() !== 'from' || v === undefined) continue;
        const from = this.stageRef(v.trim(), stage.index);
        if (from !== undefined) stage.copiesFrom.add(from);
      }
    }
  }

  /** Stage names (lower case) to their index; the first stage of a name wins. */
  private readonly stageNames = new Map<string, number>();

  /** A `--from` value naming a stage before `before` (by name, or by index), or undefined for an image. */
  private stageRef(value: string, before: number): number | undefined {
    const byName = this.stageNames.get(value.toLowerCase());
    if (byName !== undefined && byName < before) return byName;
    if (/^\d+$/.test(value)) {
      const n = Number(value);
      if (n < before) return n;
    }
    return undefined;
  }

  instruction(ins: Ast.Instruction, path: string, scope: Scope, shell: readonly string[], stages: readonly StageState[]): Instruction {
    const keyword = ins.getKeyword().toUpperCase();
    const range = ins.getRange();
    const loc = this.loc(range);
    const lastLine = range.end.line;
    const keywordEnd = this.offset(this.ast(ins, () => ins.getInstructionRange()).end);
    const joined = joinLogicalLine(this.src, keywordEnd, lastLine, this.escape);
    const args = joined.text.text.trim();
    const flags: Flag[] = this.ast(ins, () => (hasFlags(ins) ? ins.getFlags() : [])).map((f, k) => ({
      path: child(path, 'flags', k),
      loc: this.loc(f.getRange()),
      name: f.getName(),
      value: f.getValue() ?? undefined,
    }));
    const astArgs = this.ast(ins, () => ins.getArguments());
    const tokens: Token[] = astArgs
      .filter((a) => a.getRange().start.line <= joined.endLine)
      .map((a, k) => ({ path: child(path, 'tokens', k), loc: this.loc(a.getRange()), value: a.getValue() }));
    const firstToken = astArgs[0];
    const restStart = firstToken && firstToken.getRange().start.line <= joined.endLine ? this.offset(firstToken.getRange().start) : undefined;
    const out: { -readonly [K in keyof Instruction]: Instruction[K] } = { path, loc, keyword, args, flags, tokens };

    switch (keyword) {
      case 'RUN':
      case 'CMD':
      case 'ENTRYPOINT':
      case 'SHELL':
        if (restStart !== undefined) this.command(out, ins, restStart, lastLine, keyword === 'SHELL' ? undefined : shell);
        break;
      case 'HEALTHCHECK':
        this.healthcheck(out, ins, astArgs, lastLine, shell);
        break;
      case 'ENV':
      case 'ARG':
      case 'LABEL':
        out.properties = this.ast(ins, () => (ins as Ast.Env).getProperties()).map((p, k): Property => ({
          path: child(path, 'properties', k),
          loc: this.loc(p.getRange()),
          name: p.getName(),
          value: p.getValue() ?? undefined,
        }));
        break;
      case 'ONBUILD': {
        const trigger = this.ast(ins, () => (ins as Ast.Onbuild).getTriggerInstruction());
        if (trigger && trigger.getKeyword().toUpperCase() !== 'ONBUILD') out.trigger = this.instruction(trigger, child(path, 'trigger'), scope, shell, stages);
        break;
      }
      case 'USER':
      case 'WORKDIR':
      case 'EXPOSE':
      case 'VOLUME':
      case 'STOPSIGNAL':
        if (restStart !== undefined) {
          const rest = joinLogicalLine(this.src, restStart, lastLine, this.escape).text.text.trim();
          out.expanded = expandVariables(rest, scope.lookup, this.escape).value;
        }
        break;
    }
    if (keyword === 'COPY' || keyword === 'ADD') {
      const from = flags.find((f) => f.name === 'from')?.value;
      if (from) {
        const stage = this.stageRef(from, stages.length - 1);
        out.copyFrom = stage !== undefined ? { stage } : { image: expandVariables(from, scope.lookup, this.escape).value };
      }
      const heredocs = this.heredocs(this.astHeredocs(ins), path);
      if (heredocs.length) out.heredocs = heredocs;
    }
    return out;
  }

  /** RUN, CMD, ENTRYPOINT, SHELL: exec or shell form, heredocs, and the commands. */
  private command(out: { -readonly [K in keyof Instruction]: Instruction[K] }, ins: Ast.Instruction, restStart: number, lastLine: number, shell: readonly string[] | undefined): void {
    const { text, endLine } = joinLogicalLine(this.src, restStart, lastLine, this.escape);
    const rest = text.text;
    const exec = execForm(rest);
    if (exec) {
      out.form = 'exec';
      const words = this.execWords(exec, out.path, text);
      out.words = words.map((w) => w.token);
      out.script = exec.join(' ');
      if (shell) this.setCommands(out, execCommands(words.map((w) => w.range), out.path, (s, e) => this.src.loc(s, e)));
      return;
    }
    out.form = 'shell';
    if (!shell) return;
    out.shell = shell;
    const astHeredocs = out.keyword === 'RUN' ? this.astHeredocs(ins) : [];
    const heredocs = this.heredocs(astHeredocs, out.path);
    if (heredocs.length === 0) {
      out.script = rest.trim();
      if (isPosixShell(shell[0] ?? '')) this.setCommands(out, parseScript(rest, out.path, this.place(text)));
      return;
    }
    out.heredocs = heredocs;
    if (out.tokens.length === 1 && astHeredocs.length >= 1) {
      // `RUN <<EOF`: the heredoc is the script itself (run by its #! interpreter when it has one).
      const h = astHeredocs[0]!;
      const content = h.getContentRange();
      const body = heredocs[0]!.body;
      out.script = body;
      const interpreter = shebang(body);
      if (!content || (interpreter !== undefined && !isPosixShell(interpreter))) return;
      if (interpreter === undefined && !isPosixShell(shell[0] ?? '')) return;
      const script = new MappedText();
      appendLines(script, this.src, content.start.line, content.end.line - (content.end.character === 0 ? 1 : 0));
      this.setCommands(out, parseScript(script.text, out.path, this.place(script)));
      return;
    }
    // A command with heredocs: the shell reads the bodies that follow its line.
    appendNewline(text, this.src, endLine);
    appendLines(text, this.src, endLine + 1, lastLine);
    out.script = text.text;
    if (isPosixShell(shell[0] ?? '')) this.setCommands(out, parseScript(text.text, out.path, this.place(text)));
  }

  private setCommands(out: { -readonly [K in keyof Instruction]: Instruction[K] }, parsed: ParsedScript): void {
    out.commands = parsed.commands;
    if (parsed.error) out.shellError = true;
  }

  /**
   * Exec-form words, each placed at its JSON string. `text` is the joined
   * arguments, which JSON.parse already accepted as an array of strings, so
   * its string tokens are well formed: each runs from a quote to the next
   * unescaped quote.
   */
  private execWords(values: readonly string[], path: string, text: MappedText): { token: Token; range: { value: string; start: number; end: number; raw: string } }[] {
    const json = text.text;
    const spans: [number, number][] = [];
    for (let i = 0; i < json.length && spans.length < values.length; i++) {
      if (json[i] !== '"') continue;
      let j = i + 1;
      while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      spans.push([i, j + 1]);
      i = j;
    }
    return values.map((value, k) => {
      const [a, b] = spans[k] ?? [0, json.length];
      const [start, end] = text.toSourceRange(a, b);
      return { token: { path: child(path, 'words', k), loc: this.src.loc(start, end), value }, range: { value, start, end, raw: this.src.text.slice(start, end) } };
    });
  }

  private healthcheck(
    out: { -readonly [K in keyof Instruction]: Instruction[K] },
    ins: Ast.Instruction,
    args: readonly Ast.Argument[],
    lastLine: number,
    shell: readonly string[],
  ): void {
    const sub = args[0];
    if (!sub) return;
    const word = sub.getValue().toUpperCase();
    if (word === 'NONE') {
      out.healthcheck = { test: ['NONE'] };
      return;
    }
    if (word !== 'CMD') return;
    const next = args[1];
    if (!next) return;
    const restStart = this.offset(next.getRange().start);
    this.command(out, ins, restStart, lastLine, shell);
    const test: string[] = out.form === 'exec' ? ['CMD', ...(out.words ?? []).map((w) => w.value)] : ['CMD-SHELL', out.script ?? ''];
    out.healthcheck = { test } satisfies Healthcheck;
  }

  private heredocs(list: readonly Ast.Heredoc[], path: string): Heredoc[] {
    return list.map((h, k) => {
      const delimiter = h.getDelimiterRange();
      const start = h.getStartRange();
      if (!delimiter) {
        const at = this.loc(start);
        throw new InputError(`${this.src.file}:${at.line}:${at.column}: unterminated heredoc: no line "${h.getName()}" closes it`);
      }
      const content = h.getContentRange();
      const body = content ? this.src.text.slice(this.src.lineStart(content.start.line), this.src.lineStart(delimiter.start.line)).replace(/\r\n/g, '\n') : '';
      const startOffset = this.offset(start.start);
      const chomp = this.src.text.startsWith('<<-', startOffset) || /^\d+<<-/.test(this.src.text.slice(startOffset, startOffset + 12));
      return { path: child(path, 'heredocs', k), loc: this.src.loc(startOffset, this.offset(delimiter.end)), name: h.getName(), body, chomp };
    });
  }
}

/** RUN, COPY and ADD expose their heredocs; the base class keeps the method protected. */
function heredocsOf(ins: Ast.Instruction): Ast.Heredoc[] {
  return (ins as unknown as { getHeredocs(): Ast.Heredoc[] }).getHeredocs();
}

function hasFlags(ins: Ast.Instruction): ins is Ast.ModifiableInstruction {
  return typeof (ins as Partial<Ast.ModifiableInstruction>).getFlags === 'function';
}

/** Docker's exec form: the arguments parse as a JSON array of strings. */
function execForm(rest: string): string[] | undefined {
  const t = rest.trim();
  if (!t.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The interpreter of a script's `#!` line (`/usr/bin/env python3` → `python3`), or undefined. */
function shebang(body: string): string | undefined {
  if (!body.startsWith('#!')) return undefined;
  const line = body.slice(2, body.indexOf('\n') < 0 ? undefined : body.indexOf('\n')).trim();
  const words = line.split(/[ \t]+/);
  if (words[0] && words[0].endsWith('/env')) return words.find((w, i) => i > 0 && !w.startsWith('-')) ?? '';
  return words[0] ?? '';
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}
