import { InputError } from '../core/errors.js';
import type { Build } from '../model/build.js';
import type { Container } from '../model/container.js';
import { scanCompose, isCompose } from './compose/scan.js';
import { INPUT_KINDS, isComposeName, mayHoldContainers, syntaxByName, type InputKind } from './detect.js';
import { scanDockerfile } from './dockerfile/scan.js';
import { isEcs, scanEcs } from './ecs/scan.js';
import { isKubernetes, scanKubernetes } from './kubernetes/scan.js';
import type { ScanIO, ScanResult } from './scan-result.js';
import { loadYamlDocuments } from './yaml/documents.js';

export interface FileScan extends ScanResult {
  /** The kinds found in the file; empty when it holds no container configuration. */
  readonly kinds: readonly InputKind[];
}

/**
 * Reads one file's text into the model. `file` is the name findings show;
 * `kind` forces an input kind (stdin with --kind). Malformed input throws
 * InputError naming file:line:column.
 */
export function scanText(text: string, file: string, io: ScanIO, kind?: InputKind): FileScan {
  const syntax = kind === 'dockerfile' ? 'dockerfile' : kind ? 'yaml' : syntaxByName(file);
  if (syntax === undefined) return { containers: [], builds: [], kinds: [] };
  if (syntax === 'dockerfile') {
    const r = scanDockerfile(text, file);
    return { containers: r.containers.map((c) => withFile(c, file)), builds: r.builds.map((b) => ({ ...b, subject: { ...b.subject, file } })), kinds: ['dockerfile'] };
  }
  if (!kind && !isComposeName(file) && !mayHoldContainers(text)) return { containers: [], builds: [], kinds: [] };

  const containers: Container[] = [];
  const builds: Build[] = [];
  const kinds = new Set<InputKind>();
  const add = (k: InputKind, r: ScanResult) => {
    kinds.add(k);
    containers.push(...r.containers.map((c) => withFile(c, file)));
    builds.push(...r.builds);
  };
  for (const doc of loadYamlDocuments(text, file)) {
    const which = kind ?? detectKind(doc.value, file);
    if (which === 'compose') add('compose', scanCompose(doc, file, io));
    else if (which === 'kubernetes') add('kubernetes', scanKubernetes(doc, file));
    else if (which === 'ecs') add('ecs', scanEcs(doc, file));
  }
  return { containers, builds, kinds: [...kinds] };
}

/** The subject remembers its file: services and workloads of the same name in two files stay apart. */
function withFile(c: Container, file: string): Container {
  return c.subject.file ? c : { ...c, subject: { ...c.subject, file: c.source.file ?? file } };
}

function detectKind(value: unknown, file: string): InputKind | undefined {
  if (isKubernetes(value)) return 'kubernetes';
  if (isEcs(value)) return 'ecs';
  if (isComposeName(file) || isCompose(value)) return 'compose';
  return undefined;
}

export function assertKind(kind: string): InputKind {
  if ((INPUT_KINDS as readonly string[]).includes(kind)) return kind as InputKind;
  throw new InputError(`unknown --kind ${kind}: expected ${INPUT_KINDS.join(', ')}`);
}
