import { unknownUntilRun, type Container } from '../../model/container.js';
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
    ...unknownUntilRun(),
    image: absent('Config.Image'),
    state: absent('State'),
  };
}
