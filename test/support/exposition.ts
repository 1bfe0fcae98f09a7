/**
 * A strict reader of Prometheus's text exposition format 0.0.4, for tests:
 * every line must be a HELP, a TYPE, another comment or a sample; names,
 * labels, escapes and values as the format defines them; HELP and TYPE at
 * most once per family and before its samples; a family's samples together;
 * no series twice. Throws with the line at fault; returns the samples.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: Sample[];
  readonly types: ReadonlyMap<string, string>;
  readonly help: ReadonlyMap<string, string>;
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|inf|NaN)$/;

export function parseExposition(text: string): Exposition {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the last line does not end with a line feed');
  const lines = text === '' ? [] : text.slice(0, -1).split('\n');
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  const series = new Set<string>();
  const done = new Set<string>();
  let current: string | undefined;
  const enter = (family: string, n: number) => {
    if (family === current) return;
    if (done.has(family)) throw new Error(`line ${n}: family ${family} appears again after another family`);
    if (current !== undefined) done.add(current);
    current = family;
  };
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!m) {
        if (!/^#(?: .*)?$/.test(line)) throw new Error(`line ${n}: malformed comment: ${line}`);
        return;
      }
      const [, kind, name, rest = ''] = m;
      if (!METRIC.test(name!)) throw new Error(`line ${n}: bad metric name ${name}`);
      enter(name!, n);
      if (samples.some((s) => familyOf(s.name, types) === name)) throw new Error(`line ${n}: ${kind} of ${name} after its samples`);
      if (kind === 'HELP') {
        if (help.has(name!)) throw new Error(`line ${n}: second HELP for ${name}`);
        if (/\\[^\\n]|\\$/.test(rest)) throw new Error(`line ${n}: bad escape in HELP`);
        help.set(name!, rest);
      } else {
        if (types.has(name!)) throw new Error(`line ${n}: second TYPE for ${name}`);
        if (!TYPES.has(rest)) throw new Error(`line ${n}: unknown type ${rest}`);
        types.set(name!, rest);
      }
      return;
    }
    const sample = parseSample(line, n);
    const family = familyOf(sample.name, types);
    enter(family, n);
    const key = `${sample.name}{${Object.entries(sample.labels).sort().map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
    if (series.has(key)) throw new Error(`line ${n}: series ${key} twice`);
    series.add(key);
    samples.push(sample);
  });
  return { samples, types, help };
}

/** histogram and summary samples carry a suffix; others are named as their family. */
function familyOf(name: string, types: ReadonlyMap<string, string>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && (types.get(base) === 'histogram' || types.get(base) === 'summary')) return base;
  }
  return name;
}

function parseSample(line: string, n: number): Sample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)(?: (-?\d+))?$/.exec(line);
  if (!m) throw new Error(`line ${n}: not a sample: ${line}`);
  const labels: Record<string, string> = {};
  if (m[2] !== undefined) {
    let rest = m[2].slice(1, -1);
    while (rest !== '') {
      const l = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,?)/.exec(rest);
      if (!l) throw new Error(`line ${n}: malformed labels: ${m[2]}`);
      const [all, name, raw, comma] = l;
      if (!LABEL.test(name!) || name!.startsWith('__')) throw new Error(`line ${n}: bad label name ${name}`);
      if (name! in labels) throw new Error(`line ${n}: label ${name} twice`);
      labels[name!] = raw!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(all.length);
      if (comma === '' && rest !== '') throw new Error(`line ${n}: labels not separated by commas: ${m[2]}`);
    }
  }
  if (!FLOAT.test(m[3]!)) throw new Error(`line ${n}: bad value ${m[3]}`);
  const value = /inf/i.test(m[3]!) ? (m[3]!.startsWith('-') ? -Infinity : Infinity) : Number(m[3]);
  return { name: m[1]!, labels, value };
}
