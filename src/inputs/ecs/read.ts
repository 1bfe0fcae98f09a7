import { isIntrinsic, isNoValue } from './cfn.js';

/**
 * Reading untrusted task-definition values. Every read says whether the
 * value was written, what it is, or that it cannot be known:
 * - missing: not written (or null, or `!Ref AWS::NoValue`);
 * - unknown: a CloudFormation intrinsic, or (in a template) a value of a
 *   type the field cannot have, which is what an intrinsic becomes when the
 *   YAML loader drops its short tag (`!Ref Param` → "Param");
 * - ok: the value.
 * In the registration JSON a value of the wrong type is treated as not
 * written: ECS would refuse it, so it never reaches a container.
 */
export type Got<T> = { readonly state: 'missing' } | { readonly state: 'unknown' } | { readonly state: 'ok'; readonly value: T };

export type Json = Record<string, unknown>;

export const MISSING: Got<never> = { state: 'missing' };
export const UNKNOWN: Got<never> = { state: 'unknown' };

export function ok<T>(value: T): Got<T> {
  return { state: 'ok', value };
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface StrOptions {
  /** A name or reference (image, user): in a template, `${…}` and `AWS::…` are unresolved intrinsics. */
  readonly identifier?: boolean;
  /** An absolute file path: in a template, anything else is an unresolved intrinsic. */
  readonly path?: boolean;
}

/** How a document spells its keys and what values it may hold. */
export class Form {
  /** `cfn`: a CloudFormation template (PascalCase keys, intrinsics). */
  constructor(readonly cfn: boolean) {}

  /** The key as this form spells it: `containerDefinitions` or `ContainerDefinitions`. */
  key(name: string): string {
    return this.cfn ? name.charAt(0).toUpperCase() + name.slice(1) : name;
  }

  /** The raw value of a field: missing, unknown (an intrinsic), or present. */
  get(o: unknown, name: string): Got<unknown> {
    if (!isObject(o)) return MISSING;
    return this.classify(o[this.key(name)]);
  }

  classify(v: unknown): Got<unknown> {
    if (v === undefined || v === null) return MISSING;
    if (this.cfn) {
      if (isNoValue(v) || v === 'AWS::NoValue') return MISSING;
      if (isIntrinsic(v)) return UNKNOWN;
    }
    return ok(v);
  }

  /** A value present but not of the field's type. */
  get bad(): Got<never> {
    return this.cfn ? UNKNOWN : MISSING;
  }

  bool(o: unknown, name: string): Got<boolean> {
    return this.asBool(this.get(o, name));
  }

  asBool(g: Got<unknown>): Got<boolean> {
    if (g.state !== 'ok') return g;
    const v = g.value;
    if (typeof v === 'boolean') return ok(v);
    if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return ok(v.trim().toLowerCase() === 'true');
    return this.bad;
  }

  num(o: unknown, name: string): Got<number> {
    return this.asNum(this.get(o, name));
  }

  asNum(g: Got<unknown>): Got<number> {
    if (g.state !== 'ok') return g;
    const v = g.value;
    if (typeof v === 'number' && Number.isFinite(v)) return ok(v);
    if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return ok(Number(v));
    return this.bad;
  }

  /** A string (numbers are written as strings in templates). Names and paths also refuse what is visibly a lost `!Sub`/`!Ref`. */
  str(o: unknown, name: string, opts: StrOptions = {}): Got<string> {
    return this.asStr(this.get(o, name), opts);
  }

  asStr(g: Got<unknown>, opts: StrOptions = {}): Got<string> {
    if (g.state !== 'ok') return g;
    const v = g.value;
    if (typeof v === 'number' && Number.isFinite(v)) return ok(String(v));
    if (typeof v !== 'string') return this.bad;
    // In a template, `${Param}` is a !Sub whose tag was dropped and `AWS::Region` a !Ref: not literal text.
    if (this.cfn && (opts.identifier || opts.path) && (/\$\{[^}]*\}/.test(v) || /^AWS::/.test(v))) return UNKNOWN;
    // A file path that is not absolute is, in a template, a `!Ref` whose tag was dropped.
    if (this.cfn && opts.path && !/^(\/|[A-Za-z]:[\\/])/.test(v)) return UNKNOWN;
    return ok(v);
  }

  list(o: unknown, name: string): Got<readonly unknown[]> {
    const g = this.get(o, name);
    if (g.state !== 'ok') return g;
    return Array.isArray(g.value) ? ok(g.value) : this.bad;
  }

  object(o: unknown, name: string): Got<Json> {
    const g = this.get(o, name);
    if (g.state !== 'ok') return g;
    return isObject(g.value) ? ok(g.value) : this.bad;
  }

  /** A list of strings; elements not understood are dropped; `partial` says some could not be known (intrinsics). */
  strings(o: unknown, name: string): Got<{ readonly items: readonly { value: string; index: number }[]; readonly partial: boolean }> {
    const g = this.list(o, name);
    if (g.state !== 'ok') return g;
    const items: { value: string; index: number }[] = [];
    let partial = false;
    g.value.forEach((v, index) => {
      const s = this.asStr(this.classify(v));
      if (s.state === 'ok') items.push({ value: s.value, index });
      else if (s.state === 'unknown') partial = true;
    });
    return ok({ items, partial });
  }
}
