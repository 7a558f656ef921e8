import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { mainGuessNote } from '../src/model/workloads.js';

export default defineRule({
  meta: {
    id: 'default-container-missing',
    description: 'The `kubectl.kubernetes.io/default-container` annotation names a container the pod does not have.',
    defaultSeverity: 'warning',
    scope: 'pod-structure',
    messages: {
      missing: {
        message: 'Default container "{{wanted}}" is not a container of this pod.',
        hint: 'Annotation "{{annotation}}" names it, so kubectl and sidecar-lint fall back to main container "{{main}}"{{guess}}. Name one of the pod\'s containers ({{names}}).',
      },
    },
    options: NO_OPTIONS,
    // Names the container kubectl and sidecar-lint already fall back to: nothing runs differently.
    fix: 'safe',
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload || workload.missingDefaultContainer === undefined || !workload.main) return;
    const annotation = ctx.settings.mainContainerAnnotation;
    const names = workload.containers.filter((c) => c.role === 'main' || c.role === 'sidecar').map((c) => `"${c.name}"`);
    ctx.report({
      messageId: 'missing',
      path: [...workload.podSpecPath.slice(0, -1), 'metadata', 'annotations', annotation],
      data: { annotation, wanted: workload.missingDefaultContainer, main: workload.main.name, guess: mainGuessNote(workload), names: names.join(', ') },
      ...(typeof workload.main.spec.name !== 'string' ? {} : { fix: {
        title: `name "${workload.main.name}" in the ${annotation} annotation`,
        edits: [{ op: 'set' as const, path: [...workload.podSpecPath.slice(0, -1), 'metadata', 'annotations', annotation], value: workload.main.name }],
      } }),
    });
  },
});
