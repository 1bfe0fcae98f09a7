import type { At, Value } from './value.js';
import type { Subject } from './subject.js';

/**
 * An image on the engine (section images, CIS 4.x), from `GET /images/{id}/json`
 * and `/history`. Filled in by src/inputs/engine/images.ts.
 */
export interface Image {
  readonly subject: Subject;
  /** Config.User, as the image sets it ('' or absent: root). */
  readonly user: Value<string>;
  /** Config.Healthcheck.Test, when the image has one. */
  readonly healthcheck: Value<readonly string[]>;
  /** Config.Env as NAME=value. */
  readonly env: Value<readonly string[]>;
  /** The build history, oldest first: each step's created-by text. */
  readonly history: readonly { readonly createdBy: string; readonly at: At }[];
  /** Files with the setuid or setgid bit, from the image's layers; undefined when they were not read. */
  readonly setuidFiles?: readonly { readonly path: string; readonly mode: number }[];
  /** Whether a running or stopped container uses it. */
  readonly inUse: boolean;
}

/** Section operations (CIS 6.x): how many images and containers the engine keeps, and how many are in use. */
export interface Inventory {
  readonly images: number;
  readonly imagesInUse: number;
  readonly containers: number;
  readonly containersRunning: number;
}
