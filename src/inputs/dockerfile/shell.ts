import { createRequire } from 'node:module';
import type TreeSitter from 'tree-sitter';
import type { Redirect, ShellCommand } from '../../model/build.js';
import type { Loc } from '../../model/value.js';
import { RecentCache } from '../../core/recent-cache.js';
import { own } from '../../core/own.js';

/**
 * Shell scripts of RUN, CMD, ENTRYPOINT and HEALTHCHECK, read with a real
 * shell parser (tree-sitter-bash) into simple commands. Nothing here parses
 * shell with regular expressions: the parser gives the tree; this file reads
 * its nodes (unquoting words the way the shell does) and knows which
 * commands run other commands (`sudo`, `env`, `sh -c`).
 */

/** Places a range [start, end) of the script being read in the file. */
export type Place = (start: number, end: number) => Loc;

/** A word of a command: its unquoted value, and its range in the script. */
interface Word {
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** The text as written, to tell whether the value maps onto it character for character. */
  readonly raw: string;
}

interface Cmd {
  path: string;
  loc: Loc;
  name: string;
  args: string[];
  assignments: string[];
  redirects: Redirect[];
  pipesTo?: Cmd;
  background: boolean;
  substitution: boolean;
  wrappedBy?: string;
}

/** The command a wrapper runs (`sudo X` → X), to point pipes at the real receiver. */
const innerOf = new WeakMap<Cmd, Cmd>();

/** Per-script limits: nested `sh -c` depth, and a parse deadline against pathological input. */
const MAX_NESTING = 4;
const PARSE_BUDGET_MS = 2000;
/** Deeper syntax trees are not walked further (only hostile input nests this far). */
const MAX_TREE_DEPTH = 400;
/** The deadline for all the scripts of one file (see withShellBudget). */
let fileDeadline = Infinity;
/** Set when a parse was halted: the parser must then start afresh. */
let halted = false;

/**
 * Runs `fn` with a time budget for all the shell parsing it does: once it is
 * spent, the remaining scripts are not parsed (their instructions get no
 * commands and `shellError`), so one hostile file cannot stall a scan.
 */
export function withShellBudget<T>(ms: number, fn: () => T): T {
  const saved = fileDeadline;
  fileDeadline = Math.min(saved, Date.now() + ms);
  try {
    return fn();
  } finally {
    fileDeadline = saved;
  }
}

let parser: TreeSitter | undefined;

/** One parser for the process: creating one costs more than parsing a RUN line. */
function bashParser(): TreeSitter {
  if (!parser) {
    // Loading the native parser is not parsing: on a loaded machine it took longer than the whole budget.
    const loading = Date.now();
    const require = createRequire(import.meta.url);
    let Parser: typeof TreeSitter;
    let bash: unknown;
    try {
      Parser = require('tree-sitter') as typeof TreeSitter;
      bash = require('tree-sitter-bash');
    } catch (e) {
      // A broken installation, not bad input: its native modules did not load (a prebuild for a newer
      // libstdc++, and install scripts that could not compile one).
      throw new Error(`the shell parser (tree-sitter, tree-sitter-bash) failed to load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}; run \`npm rebuild tree-sitter tree-sitter-bash\` with a C++ compiler installed`);
    }
    parser = new Parser();
    parser.setLanguage(bash);
    fileDeadline += Date.now() - loading;
  }
  return parser;
}

/** A syntax node copied out of tree-sitter in one pass, so reading it costs no native calls. */
interface Node {
  readonly type: string;
  readonly named: boolean;
  readonly field: string;
  readonly start: number;
  readonly end: number;
  readonly children: Node[];
}

export interface ParsedScript {
  readonly commands: ShellCommand[];
  readonly error: boolean;
}

/**
 * Reads a shell script into its simple commands, in source order, with paths
 * `<basePath>.commands[k]`.
 */
export function parseScript(script: string, basePath: string, place: Place): ParsedScript {
  const out: Cmd[] = [];
  const error = readScript(script, place, 0, out, undefined);
  return { commands: finish(out, basePath), error };
}

/**
 * Commands of an exec-form instruction (`["sh", "-c", "…"]`): the program
 * and its words, then whatever it runs. `words` carry their source ranges.
 */
export function execCommands(words: readonly { value: string; start: number; end: number; raw: string }[], basePath: string, place: Place): ParsedScript {
  const out: Cmd[] = [];
  if (words.length === 0) return { commands: [], error: false };
  const first = words[0]!;
  const last = words.at(-1)!;
  const cmd: Cmd = {
    path: '',
    loc: place(first.start, last.end),
    name: first.value,
    args: words.slice(1).map((w) => w.value),
    assignments: [],
    redirects: [],
    background: false,
    substitution: false,
  };
  out.push(cmd);
  const error = expand(cmd, words.slice(1), last.end, place, 0, out, []);
  return { commands: finish(out, basePath), error };
}

function finish(out: Cmd[], basePath: string): ShellCommand[] {
  out.forEach((c, k) => {
    c.path = `${basePath}.commands[${k}]`;
  });
  return out as ShellCommand[];
}

/** Parses `script` and appends its commands to `out`; returns true when the parser found a syntax error. */
function readScript(script: string, place: Place, nesting: number, out: Cmd[], wrappedBy: string | undefined): boolean {
  const tree = parseTree(script);
  if (!tree) return true;
  const first = out.length;
  const error = walk(tree.root, script, place, nesting, out) || tree.error;
  if (wrappedBy) for (let k = first; k < out.length; k++) out[k]!.wrappedBy ??= wrappedBy;
  return error;
}

interface Tree {
  readonly root: Node;
  readonly error: boolean;
}

/**
 * Trees of recently parsed scripts. The same script recurs across a
 * repository's Dockerfiles (shared templates, one copy per service, common
 * `apt-get` lines), and a copied tree is plain data that walks only read.
 * Long scripts are rare and seldom repeated: they are not kept.
 */
const recentTrees = new RecentCache<string, Tree>(1024);
const MAX_CACHED_SCRIPT = 4096;

function parseTree(script: string): Tree | undefined {
  const cached = recentTrees.get(script);
  if (cached) return cached;
  const tree = parseTreeAfresh(script);
  if (tree && script.length <= MAX_CACHED_SCRIPT) recentTrees.set(script, tree);
  return tree;
}

function parseTreeAfresh(script: string): Tree | undefined {
  const p = bashParser();
  const now = Date.now();
  if (now > fileDeadline) return undefined;
  const deadline = Math.min(now + PARSE_BUDGET_MS, fileDeadline);
  let tree: TreeSitter.Tree | undefined;
  try {
    if (halted) p.reset();
    halted = false;
    p.setTimeoutMicros(Math.max(1, deadline - now) * 1000);
    // tree-sitter 0.21's binding refuses a string input over 32 KiB; a reader callback has no limit.
    tree = (script.length > 16384 ? p.parse((index: number) => script.slice(index, index + 16384)) : p.parse(script)) ?? undefined;
  } catch {
    tree = undefined;
  }
  if (!tree) {
    // Halted at the deadline: the script counts as unreadable, and the parser must start afresh.
    halted = true;
    return undefined;
  }
  return { root: copyTree(tree, script), error: tree.rootNode.hasError };
}

/** Type and field names by id, read from the binding once per id (each read is a native call). */
const typeNames: string[] = [];
const typeNamed: boolean[] = [];
const fieldNames: string[] = [''];

/**
 * Nodes whose children matter only when a command hides inside them
 * (`"$(id -u)"`): the walk reads them as text otherwise, which saves most
 * of the native calls a tree walk costs.
 */
const OPAQUE = new Set(['string', 'expansion', 'simple_expansion', 'arithmetic_expansion', 'heredoc_body', 'translated_string', 'array', 'test_command', 'subscript']);

/** Nodes that never have children worth reading: the walk does not ask for them. */
const LEAVES = new Set(['word', 'raw_string', 'number', 'variable_name', 'file_descriptor', 'heredoc_start', 'heredoc_end', 'comment', 'string_content', 'special_variable_name', 'ansi_c_string', 'test_operator', 'regex', 'extglob_pattern', 'heredoc_content']);

/** Whether text can hold a command: `$(`, a backtick, or a process substitution. Only ever a filter before reading nodes. */
function mayHoldCommand(text: string): boolean {
  return text.includes('$(') || text.includes('`') || text.includes('<(') || text.includes('>(');
}

/** Copies the tree with a cursor (the fast way through the native binding), iteratively, reading four numbers a node. */
function copyTree(tree: TreeSitter.Tree, script: string): Node {
  const c = tree.walk();
  const anyCommandText = mayHoldCommand(script);
  const make = (): Node => {
    const id = c.nodeTypeId;
    if (typeNames[id] === undefined) {
      typeNames[id] = c.nodeType;
      typeNamed[id] = c.nodeIsNamed;
    }
    const f = c.currentFieldId;
    if (f && fieldNames[f] === undefined) fieldNames[f] = c.currentFieldName;
    return { type: typeNames[id]!, named: typeNamed[id]!, field: f ? fieldNames[f]! : '', start: c.startIndex, end: c.endIndex, children: [] };
  };
  const root = make();
  const stack: Node[] = [root];
  outer: for (;;) {
    const top = stack.at(-1)!;
    const open =
      top.named && stack.length <= MAX_TREE_DEPTH && !LEAVES.has(top.type) && (!OPAQUE.has(top.type) || (anyCommandText && mayHoldCommand(script.slice(top.start, top.end))));
    if (open && c.gotoFirstChild()) {
      const n = make();
      top.children.push(n);
      stack.push(n);
      continue;
    }
    for (;;) {
      if (stack.length === 1) break outer;
      stack.pop();
      if (c.gotoNextSibling()) {
        const n = make();
        stack.at(-1)!.children.push(n);
        stack.push(n);
        continue outer;
      }
      c.gotoParent();
    }
  }
  return root;
}

interface Frame {
  readonly node: Node;
  readonly background: boolean;
  readonly substitution: boolean;
}

/** Walks the tree in source order, making a command of every simple command. */
function walk(root: Node, script: string, place: Place, nesting: number, out: Cmd[]): boolean {
  let error = false;
  const byNode = new Map<Node, Cmd>();
  const redirectsOf = new Map<Node, Node[]>();
  const pipelines: { from: Node; to: Node }[] = [];
  const stack: Frame[] = [{ node: root, background: false, substitution: false }];
  while (stack.length) {
    const { node, background, substitution } = stack.pop()!;
    switch (node.type) {
      case 'redirected_statement': {
        const body = node.children.find((n) => n.field === 'body');
        const redirects = node.children.filter((n) => n.field === 'redirect' || n.type.endsWith('_redirect'));
        if (body) {
          redirectsOf.set(body, redirects);
          // `cat <<EOF | sh`: the pipe after a heredoc start sits inside the heredoc redirect.
          for (const r of redirects) {
            const pipe = r.children.find((n) => n.type === 'pipeline');
            const to = pipe?.children.find((n) => n.named);
            if (to) pipelines.push({ from: body, to });
          }
        }
        break;
      }
      case 'pipeline': {
        const parts = node.children.filter((n) => n.named && n.type !== 'comment');
        for (let i = 0; i + 1 < parts.length; i++) pipelines.push({ from: parts[i]!, to: parts[i + 1]! });
        break;
      }
      case 'command': {
        const made = commandOf(node, script, place, background, substitution, redirectsOf.get(node) ?? []);
        if (made) {
          const { cmd, argWords, redirectNodes } = made;
          byNode.set(node, cmd);
          out.push(cmd);
          if (expand(cmd, argWords, node.end, place, nesting, out, redirectNodes.map((r) => ({ r, script })))) error = true;
        }
        break;
      }
      case 'declaration_command':
      case 'unset_command': {
        const keyword = node.children[0];
        if (keyword && !keyword.named) {
          out.push({
            path: '',
            loc: place(node.start, node.end),
            name: script.slice(keyword.start, keyword.end),
            args: node.children.slice(1).filter((n) => n.named).map((n) => wordOf(n, script).value),
            assignments: [],
            redirects: [],
            background,
            substitution,
          });
        }
        break;
      }
    }
    // Children in source order: push in reverse. A statement followed by `&` runs in the background.
    const entering = node.type === 'command_substitution' || node.type === 'process_substitution';
    const kids = node.children;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i]!;
      if (!k.named) continue;
      const next = kids[i + 1];
      const bg = (background && !entering) || (next !== undefined && !next.named && next.type === '&');
      stack.push({ node: k, background: bg, substitution: substitution || entering });
    }
  }
  for (const { from, to } of pipelines) {
    const source = commandAt(from, byNode, false);
    const target = commandAt(to, byNode, true);
    if (source && target) {
      let receiver = target;
      for (let w = innerOf.get(receiver); w; w = innerOf.get(w)) receiver = w;
      source.pipesTo = receiver;
      for (let w = innerOf.get(source); w; w = innerOf.get(w)) w.pipesTo = receiver;
    }
  }
  return error;
}

/** The command a pipeline element stands for: itself, the body of a redirection, or (as a receiver) the first command inside. */
function commandAt(node: Node, byNode: Map<Node, Cmd>, first: boolean): Cmd | undefined {
  const direct = byNode.get(node);
  if (direct) return direct;
  if (node.type === 'redirected_statement') {
    const body = node.children.find((n) => n.field === 'body');
    if (body) return commandAt(body, byNode, first);
  }
  if (!first) return undefined;
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    const c = byNode.get(n);
    if (c) return c;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return undefined;
}

function commandOf(
  node: Node,
  script: string,
  place: Place,
  background: boolean,
  substitution: boolean,
  outer: Node[],
): { cmd: Cmd; argWords: Word[]; redirectNodes: Node[] } | undefined {
  const nameNode = node.children.find((n) => n.type === 'command_name');
  if (!nameNode) return undefined;
  const assignments: string[] = [];
  const args: Word[] = [];
  const redirectNodes: Node[] = [];
  for (const n of node.children) {
    if (n === nameNode || !n.named) continue;
    if (n.type === 'variable_assignment' && n.start < nameNode.start) assignments.push(wordOf(n, script).value);
    else if (n.type.endsWith('_redirect')) redirectNodes.push(n);
    else if (n.type !== 'comment') args.push(wordOf(n, script));
  }
  for (const r of outer) redirectNodes.push(r);
  const redirects: Redirect[] = [];
  const read = (r: Node): void => {
    const { redirect, extra } = redirectOf(r, script);
    if (redirect) redirects.push(redirect);
    // tree-sitter-bash puts words after a redirection into it (`cmd 2>/dev/null x`); to the shell they are arguments.
    for (const w of extra) args.push(w);
    // After `<<EOF` on the same line: more redirections (`> /etc/app.conf`) and words, also inside it.
    if (r.type === 'heredoc_redirect') for (const k of r.children) if (k.type === 'file_redirect' || k.type === 'herestring_redirect') read(k);
  };
  for (const r of redirectNodes) read(r);
  args.sort((a, b) => a.start - b.start);
  const name = wordOf(nameNode.children.find((n) => n.named) ?? nameNode, script);
  let end = node.end;
  for (const r of redirectNodes) if (r.type !== 'heredoc_redirect' && r.end > end) end = r.end;
  const cmd: Cmd = { path: '', loc: place(node.start, end), name: name.value, args: args.map((w) => w.value), assignments, redirects, background, substitution };
  return { cmd, argWords: args, redirectNodes };
}

function redirectOf(node: Node, script: string): { redirect: Redirect | undefined; extra: Word[] } {
  const opEnd = node.children.find((n) => !n.named && n.type !== '&&' && n.type !== '||');
  const descriptor = node.children.find((n) => n.type === 'file_descriptor');
  const op = (descriptor ? script.slice(descriptor.start, descriptor.end) : '') + (opEnd ? script.slice(opEnd.start, opEnd.end) : '');
  if (node.type === 'heredoc_redirect') {
    const start = node.children.find((n) => n.type === 'heredoc_start');
    const extra = node.children.filter((n) => n.field === 'argument').map((n) => wordOf(n, script));
    return { redirect: { op: op || '<<', target: start ? unquote(script.slice(start.start, start.end)) : '' }, extra };
  }
  const targets = node.children.filter((n) => n.named && n.type !== 'file_descriptor' && n.type !== 'comment');
  const [target, ...extra] = targets;
  return { redirect: { op, target: target ? wordOf(target, script).value : '' }, extra: extra.map((n) => wordOf(n, script)) };
}

/** A heredoc delimiter as the shell reads it: quotes removed. */
function unquote(text: string): string {
  let out = '';
  for (const ch of text) if (ch !== '"' && ch !== "'" && ch !== '\\') out += ch;
  return out;
}

/** The word as the shell sees it after quote removal; expansions are kept as written. */
function wordOf(node: Node, script: string): Word {
  const raw = script.slice(node.start, node.end);
  return { value: valueOf(node, script, raw), start: node.start, end: node.end, raw };
}

function valueOf(node: Node, script: string, raw: string): string {
  switch (node.type) {
    case 'word':
    case 'number':
      return unescapeBare(raw);
    case 'raw_string':
      return raw.slice(1, -1);
    case 'string':
      return unescapeDouble(raw.slice(1, -1));
    case 'translated_string':
      return unescapeDouble(raw.slice(2, -1));
    case 'ansi_c_string':
      return unescapeAnsiC(raw.slice(2, -1));
    case 'concatenation':
    case 'variable_assignment': {
      // The parts, with whatever lies between them (`=`, bare text) as written.
      let out = '';
      let at = node.start;
      for (const k of node.children) {
        if (k.start > at) out += unescapeBare(script.slice(at, k.start));
        out += k.named ? valueOf(k, script, script.slice(k.start, k.end)) : script.slice(k.start, k.end);
        at = k.end;
      }
      if (node.end > at) out += unescapeBare(script.slice(at, node.end));
      return out;
    }
    default:
      return raw;
  }
}

/** Outside quotes a backslash quotes the next character; backslash-newline disappears. */
function unescapeBare(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      i++;
      if (text[i] !== '\n') out += text[i];
    } else out += ch;
  }
  return out;
}

/** Inside double quotes a backslash quotes only $ ` " \ and newline. */
function unescapeDouble(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
      i++;
      if (next !== '\n') out += next;
    } else out += ch;
  }
  return out;
}

const ANSI_C: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

function unescapeAnsiC(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '\\' && next !== undefined && ANSI_C[next] !== undefined) {
      out += ANSI_C[next];
      i++;
    } else out += ch;
  }
  return out;
}

/** Commands that run the command in their words, and how to find it: options taking a value, positional words before it, `NAME=value` words. */
interface Wrapper {
  readonly short?: readonly string[];
  readonly long?: readonly string[];
  readonly positional?: number;
  readonly assignments?: boolean;
}

const WRAPPERS: Readonly<Record<string, Wrapper>> = {
  sudo: {
    short: ['-u', '-g', '-C', '-D', '-h', '-p', '-R', '-r', '-t', '-T', '-U'],
    long: ['--user', '--group', '--close-from', '--chdir', '--host', '--prompt', '--chroot', '--role', '--type', '--command-timeout', '--other-user'],
    assignments: true,
  },
  doas: { short: ['-u', '-C'] },
  env: { short: ['-u', '-C', '-S'], long: ['--unset', '--chdir', '--split-string'], assignments: true },
  nohup: {},
  exec: { short: ['-a'] },
  command: {},
  builtin: {},
  time: { short: ['-f', '-o'], long: ['--format', '--output'] },
  nice: { short: ['-n'], long: ['--adjustment'] },
  ionice: { short: ['-c', '-n', '-p', '-P', '-u'], long: ['--class', '--classdata'] },
  stdbuf: { short: ['-i', '-o', '-e'], long: ['--input', '--output', '--error'] },
  setsid: {},
  timeout: { short: ['-s', '-k'], long: ['--signal', '--kill-after'], positional: 1 },
  gosu: { positional: 1 },
  'su-exec': { positional: 1 },
  chroot: { long: ['--userspec', '--groups'], positional: 1 },
  runuser: { short: ['-u', '-g', '-G'], long: ['--user', '--group', '--supp-group'] },
  'dumb-init': { short: ['-r'], long: ['--rewrite'] },
  tini: { short: ['-p', '-e'] },
  xargs: {
    short: ['-n', '-P', '-I', '-d', '-L', '-s', '-E', '-a'],
    long: ['--max-args', '--max-procs', '--delimiter', '--max-lines', '--max-chars', '--arg-file', '--eof'],
  },
};

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh']);

export function isPosixShell(program: string): boolean {
  return SHELLS.has(basename(program));
}

function basename(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/**
 * Finds what a command runs: the command a wrapper runs (`sudo X …` → X),
 * the script of `sh -c '…'`, `su -c '…'`, or a heredoc fed to a shell, and
 * appends those commands to `out`. Returns true on a syntax error in a nested script.
 */
function expand(cmd: Cmd, argWords: readonly Word[], end: number, place: Place, nesting: number, out: Cmd[], heredocs: readonly { r: Node; script: string }[]): boolean {
  if (nesting >= MAX_NESTING) return false;
  const program = basename(cmd.name);
  const wrapper = own(WRAPPERS, program);
  if (wrapper && !(program === 'command' && argWords[0]?.value.startsWith('-'))) {
    const at = wrappedIndex(argWords, wrapper);
    if (at === undefined) return false;
    const words = argWords.slice(at.index);
    const head = words[0]!;
    const inner: Cmd = {
      path: '',
      loc: place(head.start, Math.max(end, head.end)),
      name: head.value,
      args: words.slice(1).map((w) => w.value),
      assignments: at.assignments,
      redirects: cmd.redirects,
      background: cmd.background,
      substitution: cmd.substitution,
      wrappedBy: program,
    };
    innerOf.set(cmd, inner);
    out.push(inner);
    return expand(inner, words.slice(1), end, place, nesting + 1, out, heredocs);
  }
  if (SHELLS.has(program) || (program === 'busybox' && argWords[0]?.value === 'sh')) {
    const words = program === 'busybox' ? argWords.slice(1) : argWords;
    const script = shellScriptArg(words);
    if (script) return readScript(script.value, nestedPlace(script, place), nesting + 1, out, program === 'busybox' ? 'sh' : program);
    // `bash <<EOF` / `sh <<'EOF'`: the heredoc is the script (when no script file is named).
    if (!words.some((w) => !w.value.startsWith('-') && !w.value.startsWith('+'))) {
      for (const { r, script: text } of heredocs) {
        const body = r.children.find((n) => n.type === 'heredoc_body');
        if (r.type === 'heredoc_redirect' && body) {
          const base = body.start;
          return readScript(text.slice(body.start, body.end), (s, e) => place(base + s, base + e), nesting + 1, out, program);
        }
      }
    }
    return false;
  }
  if (program === 'su' || program === 'runuser') {
    for (let i = 0; i < argWords.length; i++) {
      const w = argWords[i]!;
      if ((w.value === '-c' || w.value === '--command') && argWords[i + 1]) return readScript(argWords[i + 1]!.value, nestedPlace(argWords[i + 1]!, place), nesting + 1, out, program);
      if (w.value.startsWith('--command=')) return readScript(w.value.slice('--command='.length), () => place(w.start, w.end), nesting + 1, out, program);
    }
  }
  return false;
}

/** Where the wrapped command starts among a wrapper's words, and the `NAME=value` words before it. */
function wrappedIndex(words: readonly Word[], w: Wrapper): { index: number; assignments: string[] } | undefined {
  const assignments: string[] = [];
  let positional = w.positional ?? 0;
  let i = 0;
  while (i < words.length) {
    const v = words[i]!.value;
    if (v === '--') {
      i++;
      break;
    }
    if (v.startsWith('--')) {
      i += v.includes('=') || !w.long?.includes(v) ? 1 : 2;
      continue;
    }
    if (v.startsWith('-') && v.length > 1) {
      // `-u app` takes the next word; `-uapp` carries its value.
      i += w.short?.includes(v) ? 2 : 1;
      continue;
    }
    if (w.assignments && isAssignment(v)) {
      assignments.push(v);
      i++;
      continue;
    }
    if (positional > 0) {
      positional--;
      i++;
      continue;
    }
    break;
  }
  return i < words.length ? { index: i, assignments } : undefined;
}

function isAssignment(word: string): boolean {
  const eq = word.indexOf('=');
  if (eq <= 0) return false;
  for (let i = 0; i < eq; i++) {
    const c = word.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (i > 0 && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

/** The script word of `sh [options] -c SCRIPT`: options may be clustered (`-ec`, `-euxc`); `-o name` takes a word. */
function shellScriptArg(words: readonly Word[]): Word | undefined {
  let command = false;
  let i = 0;
  for (; i < words.length; i++) {
    const v = words[i]!.value;
    if (v === '--') {
      i++;
      break;
    }
    if (v === '-o' || v === '+o' || v === '-O' || v === '+O') {
      i++;
      continue;
    }
    if ((v.startsWith('-') || v.startsWith('+')) && v.length > 1 && !v.startsWith('--')) {
      if (v.startsWith('-') && v.includes('c')) command = true;
      continue;
    }
    if (v.startsWith('--')) continue;
    break;
  }
  return command ? words[i] : undefined;
}

/**
 * Places positions of a script that is itself a word of another command:
 * exactly when the word's value is its text (or its text inside quotes),
 * else every position at the word.
 */
function nestedPlace(word: Word, place: Place): Place {
  if (word.raw === word.value) return (s, e) => place(word.start + s, word.start + e);
  if (word.raw.slice(1, -1) === word.value) return (s, e) => place(word.start + 1 + s, word.start + 1 + e);
  return () => place(word.start, word.end);
}

/**
 * Reads a command line that has no file behind it (a container's ENTRYPOINT
 * + CMD as the engine runs them, compose `command:`, Kubernetes
 * `command`/`args`, ECS `command`) like an exec-form instruction: the
 * program and its words, then whatever it runs (`sh -c '…'`, `tini -- …`).
 * The locs are positions in the argv, not in a file: `line` is the 1-based
 * index of the word a command is written in, `column` the 1-based offset in
 * that word, `file` is ''. Use them to tell which word a command came from
 * and to compare positions; report the word's own path, never these locs.
 */
export function argvCommands(argv: readonly string[], basePath: string): ParsedScript {
  const starts: number[] = [];
  let at = 0;
  const words = argv.map((value) => {
    const start = at;
    starts.push(start);
    at += value.length + 1;
    return { value, start, end: start + value.length, raw: value };
  });
  const wordAt = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const place: Place = (start, end) => {
    const a = wordAt(start);
    const b = wordAt(Math.max(start, end - 1));
    return { file: '', line: a + 1, column: start - starts[a]! + 1, endLine: b + 1, endColumn: end - starts[b]! + 1 };
  };
  return withShellBudget(PARSE_BUDGET_MS, () => execCommands(words, basePath, place));
}
