import type { Container } from '../../model/container.js';
import type { Subject } from '../../model/subject.js';
import { absent } from '../../model/value.js';
import { configFacts } from '../inspect/adapt.js';

/**
 * What an image sets for every container started from it (`Config` of GET
 * /images/{id}/json: User, ExposedPorts, Healthcheck, Env, Entrypoint, Cmd),
 * as a Container, the way a Dockerfile's final stage is one: the runtime
 * rules then judge the image with the same ids as its containers. What only
 * `docker run` decides (privileges, mounts, limits…) is absent. The image
 * reference is absent too: an image's own tag is where it is kept, not a
 * reference anybody runs (containers' references are judged on containers).
 */
export function containerOfImage(config: Record<string, unknown>, subject: Subject): Container {
  return {
    subject,
    source: { kind: 'image' },
    ...configFacts(config),
    image: absent('Config.Image'),
    state: absent('State'),
    privileged: absent('privileged'),
    capAdd: absent('capAdd'),
    capDrop: absent('capDrop'),
    apparmor: absent('apparmor'),
    seccomp: absent('seccomp'),
    selinux: absent('selinux'),
    noNewPrivileges: absent('noNewPrivileges'),
    networkMode: absent('networkMode'),
    pidMode: absent('pidMode'),
    ipcMode: absent('ipcMode'),
    utsMode: absent('utsMode'),
    usernsMode: absent('usernsMode'),
    networks: absent('networks'),
    mounts: absent('mounts'),
    ports: absent('ports'),
    devices: absent('devices'),
    ulimits: absent('ulimits'),
    memory: absent('memory'),
    cpuShares: absent('cpuShares'),
    nanoCpus: absent('nanoCpus'),
    cpuQuota: absent('cpuQuota'),
    pidsLimit: absent('pidsLimit'),
    readOnlyRootfs: absent('readOnlyRootfs'),
    restartPolicy: absent('restartPolicy'),
    cgroupParent: absent('cgroupParent'),
    health: absent('health'),
    processes: absent('processes'),
  };
}
