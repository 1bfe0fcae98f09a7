import { loadConfig } from '../config/config.js';
import { EXIT } from '../core/errors.js';
import { resolveEndpoint } from '../inputs/engine/endpoint.js';
import { readTextFile } from '../inputs/read-input.js';
import { parseMetricsAddress, serveMetrics } from '../watch/metrics-server.js';
import { WatchMetrics } from '../watch/metrics.js';
import { renderJsonLine, renderTextLine } from '../watch/render.js';
import { watchEngine } from '../watch/watcher.js';
import type { Logger } from './log.js';
import { makeReport } from './publish.js';
import { ownContainerId } from '../linux/own-container.js';
import type { WatchOptions } from './watch.js';

/**
 * Runs until SIGINT or SIGTERM, then closes the event stream and the metrics
 * server and exits 0: stopping a watch is how it ends, not a failure.
 */
export async function watch(opts: WatchOptions, logger: Logger): Promise<number> {
  // Usage errors (a bad address, a broken config) before any connection.
  const address = opts.metrics === undefined ? undefined : parseMetricsAddress(opts.metrics);
  const config = await loadConfig(opts.config, [process.cwd()], readTextFile);
  const endpoint = resolveEndpoint(opts.host);
  const metrics = new WatchMetrics();
  const served = address && (await serveMetrics(address, opts.metricsAllowRemote, () => metrics.render()));
  if (served) logger.info(`serving metrics at ${served.url}`);

  const stop = new AbortController();
  // main.ts ends other commands with exit 3 on a signal; for a watch a signal is the normal end.
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const previous = signals.map((s) => process.listeners(s));
  const onSignal = () => stop.abort();
  for (const s of signals) {
    process.removeAllListeners(s);
    process.on(s, onSignal);
  }
  // Run in a container, bulkhead's own container holds what the watch needs (the socket, host PID): not reported, as audit sets it aside.
  const own = ownContainerId();
  let saidOwn = false;
  const flags = { color: 'never' as const, showSuppressed: false, ...(opts.severity ? { severity: opts.severity } : {}), ...(opts.failOn ? { failOn: opts.failOn } : {}) };
  try {
    await watchEngine(
      endpoint,
      { existing: opts.existing, timeoutSeconds: opts.timeout },
      {
        report: (event, time, audit) => {
          if (audit.container.id === own) {
            if (!saidOwn) logger.info(`container ${audit.container.name} is the one bulkhead runs in: its access is the watch's own, not reported`);
            saidOwn = true;
            return;
          }
          const report = makeReport(audit.findings, [], audit.container.name, [], flags, config);
          for (const n of report.notes) logger.warn(n);
          metrics.setFindings(audit.container.id, audit.container.name, report.findings);
          const line = { time, event, container: audit.container, findings: report.findings, counts: report.counts, failed: report.failed };
          process.stdout.write(opts.format === 'json' ? renderJsonLine(line) : renderTextLine(line));
        },
        audited: () => metrics.auditDone(),
        destroyed: (id) => metrics.forget(id),
        engineUp: (up) => metrics.setEngineUp(up),
      },
      logger,
      stop.signal,
    );
  } finally {
    if (served) {
      served.server.closeAllConnections();
      await new Promise((resolve) => served.server.close(resolve));
    }
    for (const [i, s] of signals.entries()) {
      process.removeListener(s, onSignal);
      for (const l of previous[i]!) process.on(s, l as () => void);
    }
  }
  if (stop.signal.aborted) logger.info('stopped');
  return EXIT.clean;
}
