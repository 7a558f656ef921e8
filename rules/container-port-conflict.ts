import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { inDocumentOrder, type ContainerInfo } from '../src/model/workloads.js';

/** The container's name, with its place in the pod when another container has the same name. */
function label(c: ContainerInfo, other: ContainerInfo): string {
  if (c.name !== other.name) return `"${c.name}"`;
  const [list, index] = c.path.slice(-2);
  return `"${c.name}" (${String(list)}[${String(index)}])`;
}

export default defineRule({
  meta: {
    id: 'container-port-conflict',
    description:
      'Two long-running containers of one pod declare the same containerPort and protocol; they share the network namespace, so only one can bind it.',
    defaultSeverity: 'error',
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      conflict: {
        message: 'Containers {{container}} and {{other}} both declare port {{port}}/{{protocol}}.',
        hint: 'Containers of a pod share its network namespace, so only one of them can bind the port: give one of them another port.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload || workload.longRunning.length < 2) return;
    /** `port/PROTOCOL` → the container that declared it first. */
    const first = new Map<string, ContainerInfo>();
    for (const c of inDocumentOrder(workload, workload.longRunning)) {
      const own = new Set<string>();
      // Declared ports as the workload model reads them (a quoted number is not a port: see DeclaredPort).
      c.ports.forEach(({ index: i, port, protocol }) => {
        const key = `${port}/${protocol}`;
        if (own.has(key)) return; // the same container declaring its own port twice binds it once
        own.add(key);
        const other = first.get(key);
        if (!other) {
          first.set(key, c);
          return;
        }
        ctx.report({ messageId: 'conflict', path: [...c.path, 'ports', i], container: c, data: { container: label(c, other), other: label(other, c), port, protocol } });
      });
    }
  },
});
