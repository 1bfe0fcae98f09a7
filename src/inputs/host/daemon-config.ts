import type { DaemonConfig, DaemonInfo, Host, Setting } from '../../model/host.js';
import type { HostInputs } from './collect.js';
import { daemonInfo } from './daemon-info.js';
import { findDockerds } from './dockerd-process.js';
import { DEFAULT_CONFIG_FILE, isThisMachine, listensOn, readConfigFile, serves, targetOf, viewOf, type ConfigFileRead, type DockerdView } from './dockerd-view.js';
import { BUILTIN_SECCOMP, readSeccompProfile } from './seccomp-profile-file.js';
import { quoted } from './quote.js';

/**
 * Section daemon (CIS 2.x): the settings of the dockerd that serves the
 * audited engine. It is looked for in the host's /proc (the one listening on
 * the socket or port the audit talks to); its command line is merged over its
 * daemon.json (--config-file, else /etc/docker/daemon.json), and `GET /info`
 * is kept beside them for the rules that take the running engine's word.
 */
export async function collectDaemon(inputs: HostInputs, host: Host, note: (message: string) => void = () => {}): Promise<DaemonConfig> {
  const { root } = inputs;
  const info = inputs.info ? daemonInfo(inputs.info) : undefined;
  const name = info?.name || host.name;
  const target = targetOf(inputs.endpoint);
  const where = inputs.endpoint?.address ?? 'unix:///var/run/docker.sock';

  const { found, notes } = findDockerds(root);
  notes.forEach(note);
  const views = found.map((p) => viewOf(root, p));
  const serving = views.filter((v) => serves(root, v, target));
  if (serving.length > 1) {
    note(`dockerd processes ${serving.map((v) => v.process.pid).join(', ')} all say they listen on ${where}; the daemon section read PID ${serving[0]!.process.pid}`);
  }
  const view = serving[0];

  if (!view) {
    const others = views.length ? ` (dockerd processes found: ${views.map((v) => `PID ${v.process.pid} on ${listensOn(v)}`).join('; ')})` : '';
    if (root.root === '/' && (target.kind === 'elsewhere' || (target.kind === 'tcp' && !isThisMachine(target.host)))) {
      // A remote engine: this machine's daemon.json is not its configuration.
      note(`no dockerd on this machine serves ${where}${others}: the daemon section used only GET /info`);
      // Nor are its files here: the seccomp profile /info names is on the other machine.
      return { name, configFile: { path: DEFAULT_CONFIG_FILE, exists: false }, settings: new Map(), complete: false, ...infoPart(info) };
    }
    note(`no dockerd process serving ${where} was found in ${root.root === '/' ? '' : root.root}/proc${others}: its command line is unknown, so the daemon section used only ${DEFAULT_CONFIG_FILE}${info ? ' and GET /info' : ''}, and judged nothing by dockerd's defaults`);
    const file = readConfigFile(root, DEFAULT_CONFIG_FILE);
    const settings = fileSettings(file, note);
    return { name, configFile: { path: DEFAULT_CONFIG_FILE, exists: file.state !== 'missing' }, settings, complete: false, ...infoPart(info), ...seccomp(inputs, info, settings, note) };
  }

  const { process } = view;
  view.commandLine.notes.forEach((n) => note(`dockerd (PID ${process.pid}) command line: ${n}`));
  if (view.configPath === undefined) {
    note(`dockerd (PID ${process.pid}) runs as uid ${process.uid} (rootless) and its environment cannot be read: where its daemon.json is is unknown`);
  }
  const configPath = view.configPath ?? DEFAULT_CONFIG_FILE;
  const file = view.configFile;
  if (file?.state === 'missing' && view.configGiven) {
    note(`${configPath}, given to dockerd (PID ${process.pid}) with --config-file, does not exist (dockerd does not start without it: it was removed since); the settings it held are unknown`);
  }
  const fromFile = file ? fileSettings(file, note) : new Map<string, Setting>();
  const { settings, conflicts } = merge(fromFile, view, note);
  // dockerd would not start with this file as it is now (malformed, a wrongly typed value, a setting also on its
  // command line): it started with another, whose settings are unknown.
  const fileKnown =
    file?.state === 'read' ? file.json.ok && file.json.notes.length === 0 && conflicts === 0 : file?.state === 'missing' && !view.configGiven;
  return {
    name,
    process: { pid: process.pid, argv: process.argv, ...(process.uid !== undefined ? { uid: process.uid } : {}) },
    configFile: { path: configPath, exists: file !== undefined && file.state !== 'missing' },
    settings,
    complete: fileKnown,
    ...infoPart(info),
    ...seccomp(inputs, info, settings, note),
  };
}

function infoPart(info: DaemonInfo | undefined): { info?: DaemonInfo } {
  return info ? { info } : {};
}

/** daemon.json's settings; a file that cannot be read or parsed gives none, and a note saying where it broke. */
function fileSettings(file: ConfigFileRead, note: (message: string) => void): Map<string, Setting> {
  switch (file.state) {
    case 'missing':
      return new Map();
    case 'unreadable':
      note(`cannot read ${file.why}: the daemon section used only the command line`);
      return new Map();
    case 'read':
      if (!file.json.ok) {
        note(`${file.json.error}: dockerd cannot start with this daemon.json; the daemon section did not use it`);
        return new Map();
      }
      file.json.notes.forEach(note);
      return new Map(file.json.settings);
  }
}

/**
 * The command line over the file. dockerd refuses to start when one setting
 * is in both, so a running dockerd with both had the file changed after it
 * started: the flag is what it runs with; the note says the next start fails.
 * A flag of a repeatable option and the file's list are not merged: dockerd does not either.
 */
function merge(fromFile: Map<string, Setting>, view: DockerdView, note: (message: string) => void): { settings: Map<string, Setting>; conflicts: number } {
  const settings = fromFile;
  let conflicts = 0;
  for (const [key, flag] of view.commandLine.settings) {
    const inFile = settings.get(key);
    if (inFile?.from === 'file') {
      conflicts++;
      note(
        `${inFile.loc.file}:${inFile.loc.line}:${inFile.loc.column}: ${quoted(key)} is also given on the command line of dockerd (PID ${view.process.pid}) as ${flag.args.map((a) => quoted(a)).join(' ')}; dockerd refuses to start with a setting in both, so the file changed after it started and its next start will fail; the command line's value was used`,
      );
    }
    settings.set(key, flag);
  }
  return { settings, conflicts };
}

/** The daemon-wide seccomp profile, when it is a file: /info names the one in use, else the settings do. */
function seccomp(inputs: HostInputs, info: DaemonInfo | undefined, settings: ReadonlyMap<string, Setting>, note: (message: string) => void): Pick<DaemonConfig, 'seccompProfile'> {
  const fromInfo = info?.securityOptions?.map((o) => /(?:^|,)profile=([^,]*)/.exec(o.startsWith('name=seccomp') ? o : '')?.[1]).find((p) => p !== undefined);
  const fromSettings = settings.get('seccomp-profile')?.value;
  const path = fromInfo ?? (typeof fromSettings === 'string' ? fromSettings : undefined);
  if (path === undefined || BUILTIN_SECCOMP.has(path)) return {};
  const { profile, note: why } = readSeccompProfile(inputs.root, path);
  if (why) note(why);
  return profile ? { seccompProfile: profile } : {};
}
