/**
 * Kubernetes resource quantities (`512Mi`, `1G`, `1e9`, `500m`, `2`), as the
 * API server reads them: a decimal number, then a binary suffix (Ki … Ei), a
 * decimal suffix (n u m k M G T P E) or an exponent (e3, E-2). A YAML number
 * is a quantity too. Anything else, and negative values, are not quantities.
 */
const MULTIPLIERS: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^\+?(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/** The quantity as a plain number (cores for CPU, bytes for memory), or undefined when it is not one. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = QUANTITY.exec(v);
  if (!m) return undefined;
  const mantissa = Number(m[1]);
  const n = m[2] !== undefined ? mantissa * 10 ** Number(m[2]) : mantissa * MULTIPLIERS[m[3] ?? '']!;
  return Number.isFinite(n) ? n : undefined;
}

/** Rounds up to a whole unit, as the API server does, without turning 0.3e9's float error into an extra unit. */
function roundUp(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-6 * Math.max(1, Math.abs(x)) ? r : Math.ceil(x);
}

/** Memory in bytes. */
export function memoryBytes(v: unknown): number | undefined {
  const n = parseQuantity(v);
  return n === undefined ? undefined : roundUp(n);
}

/** A CPU quantity in units of 1e-9 CPUs (Docker's NanoCpus); the API server keeps millicores, so it is rounded up to one. */
export function nanoCpus(v: unknown): number | undefined {
  const milli = milliCpus(v);
  return milli === undefined ? undefined : milli * 1e6;
}

export function milliCpus(v: unknown): number | undefined {
  const n = parseQuantity(v);
  return n === undefined ? undefined : roundUp(n * 1000);
}

/** The kubelet's cpu.shares for a CPU request (MilliCPUToShares): 1024 per CPU, at least 2. */
export function cpuSharesOf(milli: number): number {
  return Math.max(2, Math.floor((milli * 1024) / 1000));
}
