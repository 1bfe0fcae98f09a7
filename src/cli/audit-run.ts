import { ordered, placedFindings, runRules } from '../core/engine.js';
import { EXIT, IncompleteError, InputError } from '../core/errors.js';
import { ENGINE_SECTIONS, HOST_SECTIONS, SECTIONS, applicable, sectionsOf, type Section } from '../core/sections.js';
import { readInspect, type InspectBatches } from '../inputs/inspect/read.js';
import { openInput, type ByteSource } from '../inputs/byte-source.js';
import { fetchWorkload } from '../inputs/engine/fetch.js';
import { engineParts, engineWorkload, fetchFor } from '../inputs/engine/engine-sections.js';
import { resolveEndpoint } from '../inputs/engine/endpoint.js';
import { looksLikeProject } from '../inputs/detect.js';
import { clientEnvironment } from '../inputs/client/environment.js';
import { HostRoot } from '../linux/host-root.js';
import { subjectsOf, type Workload } from '../model/workload.js';
import type { Subject, SubjectHost, SubjectKind } from '../model/subject.js';
import type { Rule } from '../core/rule.js';
import type { Finding } from '../core/finding.js';
import { RULES } from '../rules/index.js';
import { ownContainerId } from '../linux/own-container.js';
import { pairFormats } from './output.js';
import { loadBaseline, makeReport, publish } from './publish.js';
import { readTextFile } from '../inputs/read-input.js';
import { loadConfig } from '../config/config.js';
import { progress } from './progress.js';
import { capYoungGeneration } from './memory.js';
import { letSignalsIn } from '../core/signals.js';
import type { Logger } from './log.js';
import type { AuditOptions } from './audit-options.js';

/** The section a subject of the host audit belongs to (the config section's subjects come from its own scan). */
const SECTION_OF_SUBJECT: Readonly<Record<SubjectKind, Section>> = { host: 'host', daemon: 'daemon', file: 'files', image: 'images', container: 'containers' };

export async function audit(opts: AuditOptions, logger: Logger): Promise<number> {
  pairFormats(opts.format ?? ['text'], opts.output ?? []); // usage errors before any work
  // A broken config file is a usage error: say so before any work on the engine.
  const config = await loadConfig(opts.config, [process.cwd()], readTextFile);
  const baseline = loadBaseline(opts);
  if (isFleet(opts)) {
    const { auditFleet } = await import('./fleet-run.js');
    return auditFleet(opts, config, baseline, logger);
  }
  const sections = new Set<Section>(opts.sections ?? defaultSections(opts));
  const started = Date.now();
  const { workload, target, host, notes, incomplete, input, inspected } = await load(opts, sections, logger);
  const rules = applicable(
    RULES.filter((r) => sectionsOf(r).some((s) => sections.has(s))),
    workload,
  );
  let judged: { findings: Finding[]; subjects: Subject[] };
  try {
    judged = inspected ? await judgeInBatches(workload, inspected, rules) : { findings: runRules(workload, rules), subjects: subjectsOf(workload) };
  } finally {
    input?.close(); // findings are placed in the --inspect file by now
  }
  const findings = judged.findings;
  // Facts one section gathers for another (the daemon's settings, for the files section) do not make it audited.
  const subjects = judged.subjects.filter((s) => sections.has(SECTION_OF_SUBJECT[s.kind]));
  // Each section's own code (the config scan's parsers, the host's readers) is loaded only when the section runs.
  const local = sections.has('config') ? await (await import('../inputs/scan-folder.js')).scanPaths(['.'], config.exclude, undefined, [], progress(opts.quiet)) : undefined;
  for (const e of local?.errors ?? []) logger.error(e);
  const ownContainer = inspected ? undefined : ownContainerId();
  const report = {
    ...makeReport(
      [...findings, ...(local?.findings ?? [])],
      [...subjects, ...(local?.subjects ?? [])],
      [target(), ...(local ? [`${local.scanned} ${local.scanned === 1 ? 'file' : 'files'} with container configuration in ${process.cwd()}`] : [])].filter(Boolean).join('; '),
      [...notes, ...(local?.errors.length ? [`${local.errors.length} configuration ${local.errors.length === 1 ? 'file' : 'files'} could not be scanned (see the errors above)`] : [])],
      opts,
      config,
      { ...(local ? { directives: local.directives } : {}), ...(baseline ? { baseline } : {}), ...(ownContainer ? { ownContainer } : {}) },
    ),
    ...(host ? { host } : {}),
    checked: rules,
    started,
  };
  await publish(report, opts, logger);
  if (incomplete) {
    logger.error(incomplete);
    return EXIT.incomplete;
  }
  if (local?.errors.length) return EXIT.usage;
  return report.failed ? EXIT.findings : EXIT.clean;
}

/** The engine's name and ID from its /info, when it gave a name. */
function engineHost(info: Record<string, unknown> | undefined): SubjectHost | undefined {
  const name = info?.['Name'];
  const id = info?.['ID'];
  return typeof name === 'string' && name !== '' ? { name, ...(typeof id === 'string' && id !== '' ? { id } : {}) } : undefined;
}

/**
 * The --inspect file's containers are judged a batch at a time, each with the
 * rest of the workload, and dropped before the next is read (no rule compares
 * one container with another).
 */
async function judgeInBatches(workload: Workload, inspected: InspectBatches, rules: readonly Rule[]): Promise<{ findings: Finding[]; subjects: Subject[] }> {
  const findings: Finding[] = [];
  const containers: Subject[] = [];
  for (const batch of inspected.batches) {
    for (const f of placedFindings({ ...workload, containers: batch }, rules)) findings.push(f);
    for (const c of batch) containers.push(c.subject);
    capYoungGeneration();
    await letSignalsIn();
  }
  return { findings: ordered(findings), subjects: subjectsOf(workload, containers) };
}

/** More than one engine asked for, or a list of them (--hosts-file, --context all): a fleet audit. */
function isFleet(opts: AuditOptions): boolean {
  if ((opts.host?.length ?? 0) > 1 || opts.hostsFile !== undefined || opts.context !== undefined) {
    if (opts.inspect !== undefined) throw new InputError('--inspect audits one docker inspect output: it cannot be combined with --hosts-file, --context or several --host');
    return true;
  }
  return false;
}

/**
 * Every section that applies: with --inspect, the containers it holds; else
 * the whole host, and the configuration in the current folder when that
 * folder is a project (a Dockerfile or compose file of its own): a home
 * folder or / is not walked unasked.
 */
function defaultSections(opts: AuditOptions): Section[] {
  if (opts.inspect !== undefined) return ['containers'];
  return SECTIONS.filter((s) => s !== 'config' || looksLikeProject(process.cwd()));
}

interface Loaded {
  readonly workload: Workload;
  /** What was audited, said once it is: an --inspect file's containers are counted as they are read. */
  readonly target: () => string;
  /** The host audited, when it is one live host (not an --inspect file). */
  readonly host?: SubjectHost;
  readonly notes: string[];
  /** Why part of the audit could not run (exit 3 after the report of the rest). */
  readonly incomplete?: string;
  /** The --inspect file, open until the findings are placed in it. */
  readonly input?: ByteSource;
  /** Its containers, read while they are judged (the workload holds none of them). */
  readonly inspected?: InspectBatches;
}

async function load(opts: AuditOptions, sections: ReadonlySet<Section>, logger: Logger): Promise<Loaded> {
  const notes: string[] = [];
  const targets: (string | (() => string))[] = [];
  let workload: Workload = { containers: [] };
  let incomplete: string | undefined;
  const wantsHost = HOST_SECTIONS.some((s) => sections.has(s));
  const endpoint = opts.inspect === undefined ? resolveEndpoint(opts.host?.[0]) : undefined;
  let info: Record<string, unknown> | undefined;
  let input: ByteSource | undefined;
  let inspected: InspectBatches | undefined;
  let hostName: string | undefined;

  if (opts.inspect !== undefined) {
    if (opts.host?.length) logger.warn('--host is ignored with --inspect');
    const opened = await openInput(opts.inspect);
    input = opened.source;
    const name = opened.name;
    const read = readInspect(input, name, progress(opts.quiet));
    // Runtime rules belong to the images section too (for images' configurations): inspected containers only with the containers section.
    if (sections.has('containers')) inspected = read;
    else logger.warn(`${name} is not read: it holds containers, and --sections leaves the containers section out`);
    targets.push(() => {
      const count = read.count(); // unknown when the containers section is not audited (the file is not read)
      return `docker inspect output ${name}${count === undefined ? '' : ` (${count} ${count === 1 ? 'container' : 'containers'})`}`;
    });
  } else if (ENGINE_SECTIONS.some((s) => sections.has(s)) || sections.has('daemon')) {
    const what = [...sections].filter((s) => s !== 'host' && s !== 'files').map((s) => (s === 'containers' ? `${opts.all ? 'all' : 'running'} containers` : s));
    logger.info(`auditing ${what.join(', ')} of the engine at ${endpoint!.address} (from ${endpoint!.from})`);
    try {
      const fetched = await fetchWorkload(endpoint!, {
        all: opts.all,
        progress: progress(opts.quiet),
        concurrency: opts.concurrency,
        timeoutSeconds: opts.timeout,
        ...fetchFor(sections, opts.allImages),
      });
      for (const n of fetched.notes) logger.warn(n);
      notes.push(...fetched.notes);
      workload = engineWorkload(fetched, sections);
      info = fetched.info;
      const daemon = workload.daemon ? ` (${workload.daemon.name}, Docker ${workload.daemon.serverVersion})` : '';
      const parts = engineParts(fetched, sections, opts.all, opts.allImages);
      targets.push(`engine ${endpoint!.address}${daemon}${parts.length ? `, ${parts.join(', ')}` : ''}`);
    } catch (e) {
      // With nothing else to audit, an unreachable engine ends the audit; otherwise the host is still audited.
      if (!(e instanceof IncompleteError) || !(wantsHost || sections.has('config'))) throw e;
      const missed = ENGINE_SECTIONS.filter((s) => sections.has(s));
      incomplete = `${e.message}: ${missed.length ? `the ${missed.join(', ')} ${missed.length === 1 ? 'section was' : 'sections were'} not audited` : 'the daemon section used only its command line and files'}`;
      notes.push(incomplete);
    }
  }

  if (sections.has('images') && workload.images) {
    const client = clientEnvironment(process.env, opts.root);
    if (client) workload = { ...workload, client };
    else notes.push('content trust (CIS 4.5) not checked: it is a setting of each docker client\'s environment, and with --root bulkhead does not run in the host\'s users\' shells');
  }

  if (wantsHost) {
    const root = new HostRoot(opts.root);
    const { collectHost } = await import('../inputs/host/collect.js');
    const collected = await collectHost({ root, ...(endpoint ? { endpoint } : {}), ...(info ? { info } : {}) }, sections);
    for (const n of collected.notes) logger.warn(n);
    notes.push(...collected.notes);
    workload = { ...workload, host: collected.host };
    targets.push(`host ${collected.host.name}${root.root === '/' ? '' : ` (root ${root.root})`}`);
    hostName = collected.host.name;
  }
  const host = opts.inspect !== undefined ? undefined : engineHost(info) ?? (hostName ? { name: hostName } : undefined);
  return { workload, target: () => targets.map((t) => (typeof t === 'string' ? t : t())).join('; '), ...(host ? { host } : {}), notes, ...(incomplete ? { incomplete } : {}), ...(input ? { input } : {}), ...(inspected ? { inspected } : {}) };
}
