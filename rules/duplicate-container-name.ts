import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { inDocumentOrder, type ContainerInfo } from '../src/model/workloads.js';

/** The name as written (a number is read as its text); undefined for an unnamed entry. */
function nameOf(c: ContainerInfo): string | undefined {
  const name = c.spec.name;
  if (typeof name === 'string' && name !== '') return name;
  if (typeof name === 'number') return String(name);
  return undefined;
}

/** `initContainers[0]`. */
function where(c: ContainerInfo): string {
  const [list, index] = c.path.slice(-2);
  return `${String(list)}[${String(index)}]`;
}

export default defineRule({
  meta: {
    id: 'duplicate-container-name',
    description: 'Two containers of one pod (containers, initContainers, ephemeralContainers) have the same name.',
    defaultSeverity: 'error',
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      duplicate: {
        message: 'Container name "{{name}}" at {{where}} is already used by {{other}}.',
        hint: 'Names must be unique across the containers, initContainers and ephemeralContainers of a pod, or the API server rejects it. Rename one of them.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload) return;
    const seen = new Map<string, ContainerInfo>();
    for (const c of inDocumentOrder(workload, workload.containers)) {
      const name = nameOf(c);
      if (name === undefined) continue;
      const other = seen.get(name);
      if (!other) {
        seen.set(name, c);
        continue;
      }
      ctx.report({ messageId: 'duplicate', path: c.path, container: c, data: { name, where: where(c), other: where(other) } });
    }
  },
});
