import type { Known } from './value.js';
import type { Subject } from './subject.js';

/**
 * An image on the engine that the images section (CIS 4.x) audits: those
 * the audited containers use, or every image with --all-images. Filled in by
 * src/inputs/engine/images.ts.
 *
 * What an image says about how its containers run (Config.User,
 * Healthcheck, Env, ExposedPorts, Cmd) is not here: it is adapted into a
 * Container (source kind `image`), as a Dockerfile's final stage is, so the
 * runtime rules judge it with the same ids. Its history is adapted into a
 * Build, so the build rules do. This holds what only an image has.
 */
export interface Image {
  /** `{ kind: 'image', name: first repo tag or short id, id }`. */
  readonly subject: Subject;
  /** sha256:… */
  readonly id: string;
  readonly tags: readonly string[];
  /** The set-id files of its filesystem, from its layers; undefined when they were not read (the audit's notes say why). */
  readonly setuidFiles?: readonly SetuidFile[];
}

export interface SetuidFile {
  /** Absolute path inside the image. */
  readonly path: string;
  /** Permission bits with the set-id bits (0o4755: setuid; 0o2755: setgid). */
  readonly mode: number;
}

/** Section operations (CIS 6.x): every image and container the engine keeps. */
export interface Inventory {
  readonly images: readonly ImageSummary[];
  readonly containers: readonly ContainerSummary[];
}

export interface ImageSummary {
  readonly id: string;
  /** First repo tag, else the short id. */
  readonly name: string;
  /** Bytes (the image's own size, shared layers counted in full). */
  readonly size: number;
  /** How many containers, in any state, use it. */
  readonly containers: number;
}

export interface ContainerSummary {
  readonly id: string;
  readonly name: string;
  /** created, running, paused, restarting, removing, exited, dead. */
  readonly state: string;
}

/**
 * The docker client's settings, from the environment bulkhead runs in (the
 * user's shell, a CI job). Content trust (CIS 4.5) is enforced by the
 * client on pull, run and build, never by the engine, so this is what one
 * client does; other users' shells and jobs decide for themselves.
 */
export interface ClientEnvironment {
  /** The machine bulkhead runs on. */
  readonly host: string;
  /** DOCKER_CONTENT_TRUST as set (`1` enables it), default '' when unset. */
  readonly contentTrust: Known<string>;
}
