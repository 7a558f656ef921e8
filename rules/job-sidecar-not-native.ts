import { defineRule } from '../src/rule.js';
import { mainGuessNote } from '../src/model/workloads.js';
import { formatKubeVersion, supportsNativeSidecars, targetKubeVersion } from '../src/model/kube-version.js';

export default defineRule({
  meta: {
    id: 'job-sidecar-not-native',
    description:
      'A Job or CronJob pod runs a sidecar in `containers`, so the Job never completes while the sidecar runs; make it a native sidecar.',
    defaultSeverity: 'warning',
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      native:
        'Sidecar "{{container}}" runs in `containers` of a {{kind}} pod, so the Job never completes while it runs beside main container "{{main}}"{{guess}}. Make it a native sidecar: move it to `initContainers` with `restartPolicy: Always` (Kubernetes 1.29+), which the kubelet stops once the main container has finished.',
      workaround:
        'Sidecar "{{container}}" runs in `containers` of a {{kind}} pod, so the Job never completes while it runs beside main container "{{main}}"{{guess}}. Kubernetes {{version}} has no native sidecars: make the sidecar exit when "{{main}}" does (have it watch for a file that "{{main}}" writes to a shared volume on exit, or share the process namespace and stop it from there), or bound the Job with `activeDeadlineSeconds`.',
    },
    options: { type: 'object', properties: {}, additionalProperties: false },
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload || !workload.runsToCompletion || !workload.main) return;
    const native = supportsNativeSidecars(ctx.settings.kubeVersion);
    const kind = ctx.object.ref.kind ?? 'Job';
    for (const c of workload.containers) {
      if (c.role !== 'sidecar') continue;
      ctx.report({
        messageId: native ? 'native' : 'workaround',
        path: c.path,
        container: c,
        data: { container: c.name, main: workload.main.name, guess: mainGuessNote(workload), kind, version: formatKubeVersion(targetKubeVersion(ctx.settings.kubeVersion)) },
      });
    }
  },
});
