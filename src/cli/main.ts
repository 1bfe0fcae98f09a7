#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { EXIT, IncompleteError, InputError } from '../core/errors.js';
import { registerApparmor } from './apparmor.js';
import { registerAudit } from './audit.js';
import { registerAuditd } from './auditd.js';
import { registerBaseline } from './baseline.js';
import { registerInspect } from './inspect.js';
import { registerCaps } from './caps.js';
import { registerEnter } from './enter.js';
import { registerNs } from './ns.js';
import { registerRules } from './rules.js';
import { registerScan } from './scan.js';
import { registerFix } from './fix.js';
import { registerSeccomp } from './seccomp.js';
import { registerWatch } from './watch.js';
import { registerMerge } from './merge.js';
import { VERSION } from './version.js';
import { plain } from '../reporters/sanitize.js';
import { clearProgress } from './progress.js';
import { keepFreedMemory } from './memory.js';

keepFreedMemory();
// Node's deprecation warnings name node's internals or a library's, which a user cannot act on, and they
// would add a line to a one-line error (docker-modem builds an ssh engine's address with url.parse: DEP0170).
process.noDeprecation = true;

const program = new Command()
  .name('bulkhead')
  .description('Container security for Docker: audit a Docker host (CIS Docker Benchmark), its containers and their configuration before it runs, and look inside any container or process, fast.')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  // commander's own errors quote the argument as given (`-f $'x\e]0;…'`): no control character reaches the terminal.
  .configureOutput({ outputError: (text, write) => write(plain(text, true)) })
  .exitOverride();

registerAudit(program);
registerScan(program);
registerFix(program);
registerRules(program);
registerInspect(program);
registerCaps(program);
registerEnter(program);
registerNs(program);
registerApparmor(program);
registerSeccomp(program);
registerAuditd(program);
registerBaseline(program);
registerWatch(program);
registerMerge(program);

process.on('SIGINT', () => fail('interrupted', EXIT.incomplete));
process.on('SIGTERM', () => fail('terminated', EXIT.incomplete));
// A closed pipe (`bulkhead rules | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

try {
  await program.parseAsync(process.argv);
  // Done: exit now rather than let Node tear the heap down chunk by chunk (~20 ms after a large audit),
  // unless output is still queued (a pipe on macOS, a slow terminal), which a natural exit waits for.
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
} catch (e) {
  if (e instanceof CommanderError) {
    // commander has printed the message (or help/version) already.
    process.exit(e.exitCode === 0 ? 0 : EXIT.usage);
  }
  if (e instanceof InputError || e instanceof IncompleteError) fail(e.message, e.exitCode);
  if (process.env['BULKHEAD_DEBUG']) console.error(e);
  fail(`internal error: ${(e as Error)?.message ?? e} (set BULKHEAD_DEBUG=1 for details)`, EXIT.incomplete);
}

function fail(message: string, code: number): never {
  clearProgress();
  process.stderr.write(`bulkhead: ${plain(message)}\n`);
  process.exit(code);
}
