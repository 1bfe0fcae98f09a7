import { Pair, Scalar, YAMLMap, type CollectionTag, type ScalarTag, type Tags } from 'yaml';

/** The short-form functions (`!Name`), each meaning `{"Fn::Name": …}`. */
const FUNCTIONS = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'ForEach', 'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length',
  'Not', 'Or', 'Select', 'Split', 'Sub', 'ToJsonString', 'Transform',
] as const;

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/**
 * `customTags` for the `yaml` library that turn CloudFormation's short tags
 * into their long form, as CloudFormation itself does (`!Ref X` →
 * `{"Ref": "X"}`, `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`, `!If [...]`
 * → `{"Fn::If": [...]}`). Without them the library drops an unknown tag and
 * keeps the bare value, so `Image: !Ref ImageUri` reads as the string
 * "ImageUri". Collections stay YAML nodes, so positions inside still resolve.
 */
export const CLOUDFORMATION_TAGS: (ScalarTag | CollectionTag)[] = ['Ref', 'Condition', ...FUNCTIONS].flatMap((name) => {
  const key = longName(name);
  const scalar: ScalarTag = {
    tag: `!${name}`,
    resolve: (str: string) => ({ [key]: name === 'GetAtt' ? splitGetAtt(str) : str }),
  };
  if (name === 'Ref' || name === 'Condition') return [scalar];
  const wrap = (coll: unknown) => {
    const map = new YAMLMap();
    map.items.push(new Pair(new Scalar(key), coll));
    return map;
  };
  const seq: CollectionTag = { tag: `!${name}`, collection: 'seq', resolve: wrap };
  const map: CollectionTag = { tag: `!${name}`, collection: 'map', resolve: wrap };
  return [scalar, seq, map];
});

/**
 * The same tags as a `customTags` function. The library builds a schema per
 * document; given an array it appends the tags one concat at a time (59
 * copies of a growing list per document), given a function it calls it once.
 */
export function withCloudFormationTags(tags: Tags): Tags {
  return [...tags, ...CLOUDFORMATION_TAGS];
}

function splitGetAtt(str: string): string[] {
  const dot = str.indexOf('.');
  return dot < 0 ? [str] : [str.slice(0, dot), str.slice(dot + 1)];
}
