/**
 * CloudFormation intrinsics. A template's value may be `{"Ref": "X"}` or
 * `{"Fn::Sub": "..."}` (JSON and long-form YAML), or a YAML short tag
 * (`!Ref X`, `!Sub ...`, `!GetAtt A.B`). Their result is known only when the
 * stack is deployed, so the adapter never reads them as literal values.
 */
export function isIntrinsic(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  if (keys.length !== 1) return false;
  const k = keys[0]!;
  return k === 'Ref' || k === 'Condition' || k.startsWith('Fn::');
}

/** `!Ref AWS::NoValue` removes the property: as if it were not written. */
export function isNoValue(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && (v as Record<string, unknown>)['Ref'] === 'AWS::NoValue';
}
