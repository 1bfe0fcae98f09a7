import { isObject, objectAt, podOf, type Json } from './workloads.js';

/** The annotation that suppresses rules for a workload: `bulkhead.io/ignore: "BH001,KSV-0017"`. */
export const IGNORE_ANNOTATION = 'bulkhead.io/ignore';
/** Why, in words: `bulkhead.io/ignore-reason: "the CNI needs host networking"`. */
export const IGNORE_REASON_ANNOTATION = 'bulkhead.io/ignore-reason';

/**
 * The rule ids (ours or peers') a workload's `bulkhead.io/ignore`
 * annotation names, on the workload's metadata or its pod template's, in
 * order and without repeats. One workload: for a `List`, call it on each
 * item (a container's paths start with `items[N].`). Never throws.
 */
export function ignoredRuleIds(value: unknown): string[] {
  if (!isObject(value)) return [];
  const kind = typeof value['kind'] === 'string' ? value['kind'] : '';
  const sources: (Json | undefined)[] = [objectAt(value, 'metadata')];
  const pod = podOf(value, kind);
  if (pod && pod.at.length > 0) sources.push(objectAt(pod.pod, 'metadata'));
  const ids: string[] = [];
  for (const meta of sources) {
    const raw = objectAt(meta, 'annotations')?.[IGNORE_ANNOTATION];
    if (typeof raw !== 'string') continue;
    for (const id of raw.split(/[\s,]+/)) if (id !== '' && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
