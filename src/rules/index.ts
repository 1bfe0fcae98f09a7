import type { Rule } from '../core/rule.js';
import { privilegedContainer } from './privileged-container.js';
import { capabilitiesAdded } from './capabilities-added.js';

/** Every rule, in id order. Adding a rule: its file, its fixtures, one line here, `npm run docs`. */
export const RULES: readonly Rule[] = [
  privilegedContainer,
  capabilitiesAdded,
];
