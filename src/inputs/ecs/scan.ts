import { InputError } from '../../core/errors.js';
import type { Container, Source } from '../../model/container.js';
import { child } from '../../model/path.js';
import type { ScanResult } from '../scan-result.js';
import { EMPTY } from '../scan-result.js';
import type { YamlDocument } from '../yaml/documents.js';
import { containersOfTask, type TaskInput } from './adapt.js';
import { Form, isObject } from './read.js';

/**
 * ECS task definitions in the three shapes people keep in repositories:
 * - the registration JSON (`aws ecs register-task-definition --cli-input-json`): `family`, `containerDefinitions`, …;
 * - `aws ecs describe-task-definition` output: `{"taskDefinition": {…}}`;
 * - CloudFormation templates (JSON or YAML) with `AWS::ECS::TaskDefinition` resources.
 * With `--kind ecs`, a bare list of container definitions (Terraform's
 * `container_definitions` file) is read too; its task-level settings live
 * elsewhere, so they are unknown.
 */
export function isEcs(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (Array.isArray(value['containerDefinitions'])) return true;
  const td = value['taskDefinition'];
  if (isObject(td) && Array.isArray(td['containerDefinitions'])) return true;
  return cloudFormationTasks(value).length > 0;
}

export function scanEcs(doc: YamlDocument, file: string): ScanResult {
  const tasks = tasksOf(doc.value);
  if (tasks === undefined) {
    if (doc.value === null || doc.value === undefined) return EMPTY;
    const loc = doc.locate(['']).get('');
    throw new InputError(
      `${file}:${loc?.line ?? 1}:${loc?.column ?? 1}: not an ECS task definition: expected "containerDefinitions", {"taskDefinition": …}, an AWS::ECS::TaskDefinition resource or a list of container definitions`,
    );
  }
  const source: Source = { kind: 'ecs', file, locate: doc.locate };
  const containers: Container[] = tasks.flatMap((t) => containersOfTask(t, source));
  return { containers, builds: [] };
}

/** The task definitions of a document; undefined when it is none of the shapes. */
function tasksOf(value: unknown): TaskInput[] | undefined {
  const json = new Form(false);
  if (Array.isArray(value)) {
    if (!value.every(isObject)) return undefined;
    return [{ task: undefined, root: '', definitions: value, definitionsPath: '', form: json, name: undefined }];
  }
  if (!isObject(value)) return undefined;
  if ('containerDefinitions' in value) return [registration(value, '', json)];
  const td = value['taskDefinition'];
  if (isObject(td)) return [registration(td, 'taskDefinition', json)];
  if (isObject(value['Resources'])) return cloudFormationTasks(value);
  return undefined;
}

function registration(task: Record<string, unknown>, root: string, form: Form): TaskInput {
  const defs = task['containerDefinitions'];
  const family = task['family'];
  return {
    task,
    root,
    definitions: Array.isArray(defs) ? defs : [],
    definitionsPath: child(root, 'containerDefinitions'),
    form,
    name: typeof family === 'string' && family !== '' ? family : undefined,
  };
}

/** `Resources.<LogicalId>` of Type AWS::ECS::TaskDefinition; subjects are named by logical id. */
function cloudFormationTasks(template: Record<string, unknown>): TaskInput[] {
  const resources = template['Resources'];
  if (!isObject(resources)) return [];
  const form = new Form(true);
  const tasks: TaskInput[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource['Type'] !== 'AWS::ECS::TaskDefinition') continue;
    const root = child('Resources', id, 'Properties');
    const props = resource['Properties'];
    const task = isObject(props) ? props : {};
    const defs = form.list(task, 'containerDefinitions');
    tasks.push({
      task,
      root,
      definitions: defs.state === 'ok' ? defs.value : [],
      definitionsPath: child(root, 'ContainerDefinitions'),
      form,
      name: id,
    });
  }
  return tasks;
}
