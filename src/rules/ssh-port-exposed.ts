import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import type { Build, Token } from '../model/build.js';
import { stageChain } from '../model/build.js';
import type { Container } from '../model/container.js';
import type { At } from '../model/value.js';
import { child } from '../model/path.js';

const SSH = 22;

/** True when an EXPOSE word (`22`, `22/tcp`, `20-25`, `22/udp`) covers TCP port 22. */
function exposesSsh(word: string): boolean {
  const slash = word.indexOf('/');
  const spec = slash < 0 ? word : word.slice(0, slash);
  const protocol = slash < 0 ? 'tcp' : word.slice(slash + 1).toLowerCase();
  if (protocol !== 'tcp') return false;
  const dash = spec.indexOf('-');
  const low = Number(dash < 0 ? spec : spec.slice(0, dash));
  const high = dash < 0 ? low : Number(spec.slice(dash + 1));
  return Number.isInteger(low) && Number.isInteger(high) && low <= SSH && SSH <= high;
}

/**
 * For a container read from a Dockerfile: the EXPOSE word that exposes 22,
 * along the final stage's FROM chain, so the finding lands on that word and
 * not on the first EXPOSE of the file. A word written with a variable
 * (`EXPOSE $SSH_PORT`) is matched through the instruction's expanded text,
 * and reported at the instruction.
 */
function exposeIn(build: Build): At | undefined {
  const final = build.stages.at(-1);
  if (!final) return undefined;
  for (const stage of stageChain(build, final).reverse()) {
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'EXPOSE') continue;
      const token: Token | undefined = ins.tokens.find((t) => exposesSsh(t.value));
      if (token) return token;
      if ((ins.expanded ?? ins.args).split(/\s+/).some(exposesSsh)) return ins;
    }
  }
  return undefined;
}

function exposedAt(ctx: { workload: { builds?: readonly Build[] } }, c: Container): At {
  if (c.source.kind === 'dockerfile') {
    const build = ctx.workload.builds?.find((b) => b.file === c.source.file);
    const at = build && exposeIn(build);
    if (at) return at;
  }
  if (c.source.kind === 'inspect' || c.source.kind === 'engine' || c.source.kind === 'image') return { path: child(c.exposedPorts.path, '22/tcp') };
  return c.exposedPorts;
}

/** Where an exposed port is written, per kind of input. */
const EXPOSED_FIX: Readonly<Record<Container['source']['kind'], string>> = {
  dockerfile: 'remove 22 from EXPOSE (and sshd from the image)',
  compose: 'remove 22 from expose: (or from the EXPOSE of the image it builds)',
  kubernetes: 'remove containerPort 22',
  ecs: 'remove the portMappings entry for 22',
  inspect: 'remove --expose 22 (or EXPOSE 22 from the image)',
  engine: 'remove --expose 22 (or EXPOSE 22 from the image)',
  image: 'remove EXPOSE 22 from the Dockerfile that builds it (and sshd from the image)',
};

export const sshPortExposed: Rule = {
  id: 'BH045',
  name: 'ssh-port-exposed',
  severity: 'medium',
  category: 'network',
  references: [],
  aliases: ['DS-0004', 'CKV_DOCKER_1', 'kics: Exposing Port 22'],
  docs: {
    summary: 'The container exposes or publishes port 22 (SSH).',
    rationale:
      'Port 22 means an SSH server is meant to run in the container: one more network service with its own keys, users and patch level that bypasses the engine\'s access control and audit trail, and a favourite target of password-guessing bots when published. `docker exec`, `kubectl exec` and ECS Exec already give administrators a shell. A binding counts when its container port or its host port is 22/tcp.',
    remediation: {
      docker: 'remove --expose 22 and any -p …:22 / -p 22:…; remove sshd from the image and use `docker exec`',
      compose: 'remove 22 from ports: and expose: (and sshd from the image); use `docker compose exec`',
      kubernetes: 'remove containerPort 22 from ports (and sshd from the image); use `kubectl exec`',
      ecs: 'remove the portMappings entry for 22 (and sshd from the image); use ECS Exec',
      dockerfile: 'remove 22 from EXPOSE and do not install or run sshd in the image',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      let published = false;
      if (c.ports.origin !== 'absent') {
        for (const b of c.ports.value) {
          if (b.protocol !== 'tcp' || (b.containerPort !== SSH && b.hostPort !== SSH)) continue;
          if (b.containerPort === SSH) published = true;
          const what = b.containerPort === SSH ? `publishes SSH port 22/tcp on host port ${b.hostPort ?? '(any)'}` : `publishes container port ${b.containerPort}/tcp on host port 22, where SSH is expected`;
          report(b, `${what}: remove the port binding, and use exec instead of SSH`);
        }
      }
      // A published 22 is also exposed (the engine adds it); one finding is enough.
      if (published || c.exposedPorts.origin === 'absent' || !c.exposedPorts.value.includes('22/tcp')) return;
      report(exposedAt(ctx, c), `exposes SSH port 22/tcp: ${EXPOSED_FIX[c.source.kind]}, and use exec instead of SSH`);
    });
  },
};
