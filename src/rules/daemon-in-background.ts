import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import type { ShellCommand } from '../model/build.js';
import type { At } from '../model/value.js';
import { isPosixShell } from '../inputs/dockerfile/shell.js';
import { baseName, containerGroups, display, imageGroups, readOptions, type CommandGroup } from './support/commands.js';
import { own } from '../core/own.js';

/** How to run a known service in the foreground, as the exec-form command that replaces the daemonizing one. */
const FOREGROUND: Readonly<Record<string, string>> = {
  nginx: '["nginx", "-g", "daemon off;"]',
  ssh: '["/usr/sbin/sshd", "-D", "-e"]',
  sshd: '["/usr/sbin/sshd", "-D", "-e"]',
  apache2: '["apache2ctl", "-D", "FOREGROUND"]',
  apachectl: '["apachectl", "-D", "FOREGROUND"]',
  apache2ctl: '["apache2ctl", "-D", "FOREGROUND"]',
  httpd: '["httpd", "-D", "FOREGROUND"]',
  cron: '["cron", "-f"]',
  crond: '["crond", "-f"]',
};

function foreground(service: string): string {
  // php-fpm, php8.3-fpm, php7.4-fpm: -F keeps it in the foreground.
  const known = own(FOREGROUND, service) ?? (/^php[0-9.]*-fpm[0-9.]*$/.test(service) ? `["${service}", "-F"]` : undefined);
  return known ? `run it in the foreground as the container's command: ${known}` : `run ${service} itself in the foreground as the container's command, one service per container`;
}

const START = new Set(['start', 'restart', 'reload', 'force-reload', 'try-restart', 'condrestart']);
const APACHE_START = new Set(['start', 'restart', 'graceful']);

/**
 * Why a command leaves a daemon behind, or undefined: init scripts and
 * service managers (`service x start`, `/etc/init.d/x start`, `systemctl
 * start x`), and servers that fork into the background unless told not to
 * (nginx, apachectl/httpd -k start, sshd, cron).
 */
function daemonizes(c: ShellCommand): string | undefined {
  const name = baseName(c.name);
  const args = c.args;
  if ((name === 'service' || name === 'rc-service' || name === 'invoke-rc.d') && args[0] !== undefined && START.has(args[1] ?? '')) {
    return `${name} ${args[0]} ${args[1]} starts ${args[0]} as a background daemon and returns: PID 1 does not supervise it (the container exits, or ${args[0]} dies unnoticed); ${foreground(args[0])}`;
  }
  if (c.name.startsWith('/etc/init.d/') && START.has(args[0] ?? '')) {
    return `${c.name} ${args[0]} starts ${name} as a background daemon and returns: PID 1 does not supervise it; ${foreground(name)}`;
  }
  if (name === 'systemctl') {
    const verb = args.find((a) => !a.startsWith('-'));
    if (verb && START.has(verb)) {
      const unit = args[args.indexOf(verb) + 1]?.replace(/\.service$/, '') ?? 'the service';
      return `systemctl ${verb} needs systemd as PID 1, which the container does not run; ${foreground(unit)}`;
    }
    return undefined;
  }
  if (name === 'nginx') {
    let foregroundSet = false;
    let server = true;
    readOptions(args, { valued: 'gcpe' }, (o, v) => {
      if (o === '-g' && v !== undefined && v.split(/\s+/).join(' ').includes('daemon off')) foregroundSet = true;
      if (['-t', '-T', '-s', '-v', '-V', '-h', '-?', '-q'].includes(o)) server = false;
    });
    if (server && !foregroundSet) return `nginx forks into the background by default: add -g 'daemon off;' (${FOREGROUND['nginx']}), unless its nginx.conf sets daemon off;`;
    return undefined;
  }
  if ((name === 'apachectl' || name === 'apache2ctl') && APACHE_START.has(args[0] ?? '')) {
    return `${name} ${args[0]} starts httpd as a background daemon and returns: ${foreground(name)}`;
  }
  if (name === 'apachectl' || name === 'apache2ctl' || name === 'httpd' || name === 'apache2') {
    const k = args.indexOf('-k');
    if (k >= 0 && APACHE_START.has(args[k + 1] ?? '')) return `${name} -k ${args[k + 1]} starts httpd as a background daemon and returns: ${foreground(name)}`;
    return undefined;
  }
  if (name === 'sshd') {
    let detach = true;
    readOptions(args, { valued: 'bcCEfghkopu' }, (o) => {
      if (o === '-D' || o === '-t' || o === '-T' || o === '-V' || o === '-i') detach = false;
    });
    if (detach) return `sshd forks into the background without -D, unsupervised: run it in the foreground: ${FOREGROUND['sshd']}`;
    return undefined;
  }
  if (name === 'cron' || name === 'crond') {
    let detach = true;
    readOptions(args, { valued: 'lLdcmx' }, (o) => {
      if (o === '-f' || o === '-n' || o === '-V' || o === '-h') detach = false;
    });
    if (detach) return `${name} forks into the background without -f, unsupervised: run it in the foreground: ${FOREGROUND[name]}`;
  }
  return undefined;
}

/** The daemon-in-background findings of the groups of commands a container runs. */
function findings(groups: readonly CommandGroup[]): { at: At; message: string }[] {
  const out: { at: At; message: string }[] = [];
  for (const group of groups) {
    // A script that waits for its background jobs supervises them (`app & … wait`).
    const waits = group.commands.some((c) => baseName(c.name) === 'wait' && !c.background && !c.substitution);
    for (const c of group.commands) {
      if (c.substitution) continue;
      const why = daemonizes(c);
      if (why) {
        out.push({ at: group.at(c), message: why });
        continue;
      }
      // `nohup app &` is one background job: report the outer command, not the one its wrapper runs.
      const wrapped = c.wrappedBy !== undefined && !isPosixShell(c.wrappedBy);
      if (c.background && !wrapped && !waits) {
        out.push({
          at: group.at(c),
          message: `${display(c)} runs in the background (&): nothing supervises it and stop signals never reach it; run it in the foreground as the container's command (one process per container), or end the script with wait`,
        });
      }
    }
  }
  return out;
}

export const daemonInBackground: Rule = {
  id: 'BH041',
  name: 'daemon-in-background',
  severity: 'medium',
  category: 'availability',
  references: [],
  aliases: [],
  docs: {
    summary:
      'The container\'s command starts a service that daemonizes (`service nginx start`, `/etc/init.d/x start`, `systemctl start`, `nginx` without `daemon off`, `apachectl start`, `sshd` without `-D`, `cron` without `-f`) or puts a process in the background with `&`.',
    rationale:
      'The engine supervises one process, PID 1. A daemon that forks away leaves PID 1 with nothing to do: the container exits at once, or is kept alive with `tail -f` while the real service runs unsupervised, so it can die without the container noticing, gets no SIGTERM on `docker stop` (it is killed after the timeout), and its logs do not reach `docker logs`. Only the image\'s effective ENTRYPOINT and CMD count, or the command of a container, compose service, Kubernetes container or ECS container definition. nginx is flagged unless `-g \'daemon off;\'` is given, since only its nginx.conf (which a scan cannot read) could say otherwise.',
    remediation: {
      docker: 'run the service in the foreground as the container\'s command (e.g. `nginx -g \'daemon off;\'`, `/usr/sbin/sshd -D`, `apache2ctl -D FOREGROUND`, `cron -f`); run each service in its own container',
      dockerfile: 'CMD ["nginx", "-g", "daemon off;"] (the service itself, in the foreground, in exec form) instead of CMD service nginx start && tail -f /dev/null',
      compose: 'command: the service in the foreground (e.g. ["nginx", "-g", "daemon off;"]); a second process gets its own service',
      kubernetes: 'command/args: the service in the foreground; a second process gets its own container in the pod',
      ecs: 'command: the service in the foreground; a second process gets its own container definition',
    },
  },
  needs: ['runtime', 'build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      for (const f of findings(imageGroups(build))) ctx.report({ subject: build.subject, at: f.at, message: f.message });
    }
    eachContainer(ctx, (c, report) => {
      for (const f of findings(containerGroups(c))) report(f.at, f.message);
    });
  },
};
