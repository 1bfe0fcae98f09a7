/** Exit codes, as users of hadolint, trivy and kube-bench expect. */
export const EXIT = {
  clean: 0,
  findings: 1,
  usage: 2,
  incomplete: 3,
} as const;

/** Bad input: a malformed file or a wrong argument. Exit 2, one line. */
export class InputError extends Error {
  readonly exitCode = EXIT.usage;
}

/** The audit could not complete: engine unreachable, interrupted. Exit 3, one line. */
export class IncompleteError extends Error {
  readonly exitCode = EXIT.incomplete;
}
