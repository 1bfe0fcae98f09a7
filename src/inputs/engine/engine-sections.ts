import type { Section } from '../../core/sections.js';
import type { Workload } from '../../model/workload.js';
import type { Fetched, FetchOptions } from './fetch.js';

/** The sections an engine is asked for: what `fetchWorkload` fetches for each. */
export function fetchFor(sections: ReadonlySet<Section>, allImages: boolean): Pick<FetchOptions, 'images' | 'inventory' | 'containers'> {
  return {
    ...(sections.has('images') ? { images: allImages ? 'all' : 'in-use' } : {}),
    inventory: sections.has('operations'),
    containers: sections.has('containers'),
  };
}

/** The workload the rules judge: the containers (with the containers section), each image's configuration, the images, their builds and the inventory. */
export function engineWorkload(fetched: Fetched, sections: ReadonlySet<Section>): Workload {
  const images = fetched.images;
  return {
    ...fetched.workload,
    // An image's configuration is judged as a container's is (source kind image).
    containers: [...(sections.has('containers') ? fetched.workload.containers : []), ...(images?.containers ?? [])],
    ...(images ? { images: images.images, builds: images.builds } : {}),
    ...(fetched.inventory ? { inventory: fetched.inventory } : {}),
  };
}

/** What was audited on the engine, for the report's target: `running containers`, `12 used images`. */
export function engineParts(fetched: Fetched, sections: ReadonlySet<Section>, all: boolean, allImages: boolean): string[] {
  const images = fetched.images;
  return [
    ...(sections.has('containers') ? [`${all ? 'all' : 'running'} containers`] : []),
    ...(images ? [`${images.images.length} ${allImages ? '' : 'used '}${images.images.length === 1 ? 'image' : 'images'}`] : []),
  ];
}
