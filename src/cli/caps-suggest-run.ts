import { existsSync, statSync } from 'node:fs';
import { IncompleteError, InputError } from '../core/errors.js';
import { capSyntax } from '../harden/cap-syntax.js';
import { suggestCapabilities, type CapSuggestion, type SuggestContext } from '../harden/capabilities.js';
import { inspectOne } from '../inputs/engine/one-container.js';
import { containerFromInspect, InspectShapeError } from '../inputs/inspect/adapt.js';
import { fileIO } from '../inputs/scan-file.js';
import { scanText } from '../inputs/scan.js';
import { readTextFile } from '../inputs/read-input.js';
import { observeContainer } from '../linux/container-observation.js';
import { isLocalContainerPid, processesByContainer } from '../linux/container-processes.js';
import { HostRoot } from '../linux/host-root.js';
import type { Container } from '../model/container.js';
import type { CapsFormat } from './caps.js';
import type { Logger } from './log.js';
import { jsonText, plain, quoted } from '../reporters/sanitize.js';

export interface SuggestOptions {
  host?: string;
  root: string;
  format: CapsFormat;
}

interface Target {
  readonly container: Container;
  readonly context: SuggestContext;
}

/**
 * `bulkhead caps suggest TARGET`: a file (every container it defines), FILE:NAME
 * (one compose service, Kubernetes or ECS container), or a container on the engine.
 */
export async function suggest(target: string, opts: SuggestOptions, logger: Logger): Promise<string> {
  const file = isFileTarget(target);
  const targets = file ? fromFile(target) : [await fromEngine(target, opts, logger)];
  if (file) logger.info('judged from the configuration alone: for a running container on this machine, `bulkhead caps suggest CONTAINER` also sees its processes and the ports they listen on');
  const results = targets.map((t) => ({ container: t.container, suggestion: suggestCapabilities(t.container, t.context) }));
  if (opts.format === 'json') {
    return jsonText(
      results.map(({ container: c, suggestion: s }) => ({
        subject: { name: c.subject.name, ...(c.subject.id ? { id: c.subject.id } : {}), ...(c.source.file ? { file: c.source.file } : {}), kind: c.source.kind },
        drop: ['ALL'],
        add: s.add,
        notes: s.notes,
        syntax: capSyntax(c.source.kind, serviceName(c), s),
      })),
      2,
    ) + '\n';
  }
  return results.map(({ container, suggestion }) => text(container, suggestion)).join('\n');
}

/**
 * Names, cap_add values and process titles come from files and containers:
 * each line is made one line without control characters on its own, so no
 * newline in them starts a line of their own (a heading, a note, a snippet
 * line); a name that holds such characters is shown quoted, with escapes.
 */
function text(c: Container, s: CapSuggestion): string {
  const where = c.source.file ? ` (${oneLine(c.source.file)})` : '';
  const lines = [`${shownName(c.subject.name)}${where}: drop ALL, add ${s.add.length ? s.add.map((a) => a.name).join(', ') : 'nothing'}`];
  // Capabilities added for one reason are listed together (nginx: CHOWN, SETGID, SETUID).
  const byReason = new Map<string, string[]>();
  for (const a of s.add) byReason.set(a.reason, [...(byReason.get(a.reason) ?? []), a.name]);
  for (const [reason, names] of byReason) lines.push(`  ${names.join(', ')}: ${reason}`);
  for (const n of s.notes) lines.push(`  note: ${n}`);
  lines.push('', ...capSyntax(c.source.kind, serviceName(c), s).split('\n').map((l) => `  ${l}`), '');
  return lines.map((l) => plain(l)).join('\n');
}

/** A path as it is, or quoted with escapes when it holds a line break, a control character, a quote or a backslash. */
function oneLine(path: string): string {
  return quoted(path, { quotes: false }) === path ? path : quoted(path);
}

/** A container's name as it is when it is a usual one (`web`, `Deployment/web/nginx`), else quoted with escapes: `"a: b #c"` is one name. */
function shownName(name: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(name) ? name : quoted(name);
}

/** The name the target's own syntax uses: a compose service's key (all of it: it may hold a slash), a Kubernetes or ECS container's name. */
function serviceName(c: Container): string {
  return c.source.kind === 'compose' ? c.subject.name : c.subject.name.slice(c.subject.name.lastIndexOf('/') + 1);
}

function isFileTarget(target: string): boolean {
  return existsSync(target) || (target.includes(':') && existsSync(target.slice(0, target.lastIndexOf(':'))));
}

function fromFile(target: string): Target[] {
  const [file, name] = existsSync(target) ? [target, undefined] : [target.slice(0, target.lastIndexOf(':')), target.slice(target.lastIndexOf(':') + 1)];
  if (statSync(file).isDirectory()) throw new InputError(`${file}: a folder; give a compose, Kubernetes or ECS file (FILE or FILE:NAME)`);
  const scan = scanText(readTextFile(file), file, fileIO(process.env));
  const containers = scan.containers.filter((c) => c.source.kind !== 'dockerfile');
  if (containers.length === 0) {
    throw new InputError(`${file}: no containers to suggest for (capabilities are set where a container runs: a compose service, a Kubernetes or ECS container${scan.kinds.includes('dockerfile') ? '; a Dockerfile cannot set them' : ''})`);
  }
  if (name === undefined) return containers.map((container) => ({ container, context: {} }));
  const chosen = containers.filter((c) => c.subject.name === name || serviceName(c) === name);
  if (chosen.length === 0) throw new InputError(`${file}: no container named ${name} (there are: ${containers.map((c) => c.subject.name).join(', ')})`);
  return chosen.map((container) => ({ container, context: {} }));
}

async function fromEngine(name: string, opts: SuggestOptions, logger: Logger): Promise<Target> {
  const { doc, info } = await inspectOne(name, opts.host, `no such container or file: ${name}`);
  const id = String(doc.Id ?? '');
  const root = new HostRoot(opts.root);
  const proc = `${root.root === '/' ? '' : root.root}/proc`;
  const pid = doc.State?.Pid;
  const running = doc.State?.Running === true && typeof pid === 'number' && pid > 0;
  const local = running && isLocalContainerPid(pid, id, proc);
  const processes = local ? (await processesByContainer([id], proc)).get(id) : undefined;
  let container: Container;
  try {
    container = containerFromInspect(doc, { kind: 'engine' }, processes);
  } catch (e) {
    if (e instanceof InspectShapeError) throw new IncompleteError(`container ${name}: unexpected inspect document (${e.message})`);
    throw e;
  }
  const version = info?.['ServerVersion'];
  const engineVersion = typeof version === 'string' ? { engineVersion: version } : {};
  if (!running) logger.warn(`container ${container.subject.name} is not running: judged from its configuration alone`);
  else if (!local) logger.warn(`container ${container.subject.name} is not on this machine: judged from its configuration alone (run on the engine's host to see its processes and ports)`);
  if (!processes) return { container, context: engineVersion };
  const notes: string[] = [];
  const observed = observeContainer(root, processes, notes);
  for (const n of notes) logger.warn(n);
  return { container, context: { observed, ...engineVersion } };
}
