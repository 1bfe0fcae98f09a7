import { runRules } from '../core/engine.js';
import { EXIT, InputError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { ENGINE_SECTIONS, HOST_SECTIONS, applicable, sectionsOf, type Section } from '../core/sections.js';
import type { Baseline } from '../core/baseline.js';
import type { Config } from '../config/config.js';
import { allContexts, endpointAt, type Endpoint } from '../inputs/engine/endpoint.js';
import { auditFleet as auditEngines } from '../inputs/engine/fleet.js';
import { parseHostsFile } from '../inputs/engine/hosts-file.js';
import { collectHost } from '../inputs/host/collect.js';
import { readTextFile } from '../inputs/read-input.js';
import { HostRoot } from '../linux/host-root.js';
import type { Subject } from '../model/subject.js';
import { subjectsOf } from '../model/workload.js';
import { RULES } from '../rules/index.js';
import type { Logger } from './log.js';
import { makeReport, publish } from './publish.js';
import type { AuditOptions } from './audit-options.js';
import { ownContainerId } from '../linux/own-container.js';

/**
 * `audit` of several engines (--host twice or more, --hosts-file, --context
 * all): each engine's images, containers and operations, concurrently; every
 * subject carries subject.host. This machine's own sections only when asked
 * for with --sections, and then once.
 */
export async function auditFleet(opts: AuditOptions, config: Config, baseline: Baseline | undefined, logger: Logger): Promise<number> {
  const endpoints = fleetEndpoints(opts);
  const asked = opts.sections;
  const sections = new Set<Section>(asked ?? ENGINE_SECTIONS);
  const notes: string[] = [];
  if (!asked) notes.push('fleet audit: the host, daemon and files sections read this machine\'s files and /proc, not the engines\': skipped (--sections host,daemon,files audits this machine once)');
  if (sections.has('config')) {
    sections.delete('config');
    notes.push('fleet audit: the config section (the container configuration in the current folder) is not audited; run `bulkhead scan` for it');
  }
  if (sections.has('images')) notes.push('content trust (CIS 4.5) not checked in a fleet audit: it is a setting of the docker client environment on each host');
  const started = Date.now();
  const engineSections = new Set(ENGINE_SECTIONS.filter((s) => sections.has(s)));
  const results = engineSections.size
    ? await auditEngines(endpoints, {
        sections: engineSections,
        rules: RULES.filter((r) => sectionsOf(r).some((s) => engineSections.has(s))),
        all: opts.all,
        allImages: opts.allImages,
        parallel: opts.parallel,
        concurrency: opts.concurrency,
        timeoutSeconds: opts.timeout,
        onEngine: logger.info,
      })
    : [];

  const findings: Finding[] = [];
  const subjects: Subject[] = [];
  const checked = new Set<Rule>();
  const targets: string[] = [];
  const missed: string[] = [];
  for (const r of results) {
    if (!r.ok) {
      missed.push(r.endpoint.address);
      notes.push(`${r.why}: this engine was not audited`);
      continue;
    }
    findings.push(...r.findings);
    subjects.push(...r.subjects);
    for (const rule of r.rules) checked.add(rule);
    notes.push(...r.notes);
    targets.push(r.summary);
  }

  // Engines cloned with their key (/etc/docker/key.json) share an ID: their subjects are then told apart only by container id.
  const byId = new Map<string, string[]>();
  for (const r of results) if (r.ok) byId.set(r.host.id, [...(byId.get(r.host.id) ?? []), r.endpoint.address]);
  for (const [id, addresses] of byId) if (addresses.length > 1) notes.push(`engines ${addresses.join(', ')} report the same ID ${id} (cloned from one installation?): the report groups them as one engine`);

  // This machine, once: only when asked for by name.
  const hostSections = new Set(HOST_SECTIONS.filter((s) => sections.has(s)));
  let local = '';
  if (hostSections.size) {
    const root = new HostRoot(opts.root);
    const collected = await collectHost({ root }, hostSections);
    notes.push(...collected.notes);
    const workload = { containers: [], host: collected.host };
    const rules = applicable(RULES.filter((r) => sectionsOf(r).some((s) => hostSections.has(s))), workload);
    findings.push(...runRules(workload, rules));
    subjects.push(...subjectsOf(workload));
    for (const rule of rules) checked.add(rule);
    local = `; this machine: host ${collected.host.name}${root.root === '/' ? '' : ` (root ${root.root})`}`;
  }

  const audited = results.length - missed.length;
  const target = `fleet of ${endpoints.length} ${endpoints.length === 1 ? 'engine' : 'engines'}, ${audited} audited${targets.length ? `: ${targets.join(', ')}` : ''}${local}`;
  const ownContainer = ownContainerId();
  const report = {
    ...makeReport(findings, subjects, target, notes, opts, config, { ...(baseline ? { baseline } : {}), ...(ownContainer ? { ownContainer } : {}) }),
    checked: [...checked],
    started,
  };
  await publish(report, opts, logger);
  if (missed.length) {
    logger.error(`${missed.length} of ${endpoints.length} engines could not be audited: ${missed.join(', ')}`);
    return EXIT.incomplete;
  }
  return report.failed ? EXIT.findings : EXIT.clean;
}

/** The engines of --host (each), --hosts-file and --context all, in that order, each address once. */
function fleetEndpoints(opts: AuditOptions): Endpoint[] {
  const all = [
    ...(opts.host ?? []).map((h) => endpointAt(h, '--host')),
    ...(opts.hostsFile !== undefined ? parseHostsFile(readTextFile(opts.hostsFile), opts.hostsFile) : []),
    ...(opts.context === 'all' ? allContexts() : []),
  ];
  const seen = new Set<string>();
  const endpoints = all.filter((e) => !seen.has(e.address) && (seen.add(e.address), true));
  if (endpoints.length === 0) throw new InputError('no Docker engines to audit');
  return endpoints;
}
