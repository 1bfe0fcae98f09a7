import type { Container } from '../../model/container.js';
import type { CapName } from '../../linux/capabilities.js';

// PLACEHOLDER until the lead's src/harden/capabilities.ts lands on main: same signature; deleted at the merge.
export interface CapSuggestion {
  readonly add: readonly { readonly name: CapName; readonly reason: string }[];
  readonly notes: readonly string[];
}

export function suggestCapabilities(c: Container): CapSuggestion {
  void c;
  return { add: [], notes: [] };
}
