/** How far a long step has come, for whoever shows it (the CLI draws a bar on a terminal). */
export interface Progress {
  /** Starts a step of `total` units named by `label` (`files`, `containers`). */
  step(label: string, total: number): ProgressStep;
}

export interface ProgressStep {
  /** `done` of the step's total units are done. */
  tick(done: number): void;
  end(): void;
}

/** Shows nothing. */
export const NO_PROGRESS: Progress = { step: () => ({ tick: () => undefined, end: () => undefined }) };
