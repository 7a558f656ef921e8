import { defineRule } from '../src/rule.js';
import { podGraph } from '../src/model/pod-graph.js';
import { mainGuessNote } from '../src/model/workloads.js';
import { secretUses, volumesOf, type SecretUse } from '../src/model/secrets.js';

function how(use: SecretUse): string {
  if (use.via === 'env') return `env var "${use.entry}" (secretKeyRef)`;
  if (use.via === 'envFrom') return `${use.entry} (secretRef)`;
  return `volume "${use.entry}"`;
}

export default defineRule({
  meta: {
    id: 'secret-in-main-container',
    description: 'The main container of a pod with sidecars receives a Secret; mount it into a sidecar instead.',
    defaultSeverity: 'warning',
    // Reads a whole pod: never runs on a Kustomize patch.
    scope: 'pod-structure',
    messages: {
      secret:
        'Main container "{{container}}"{{guess}} receives Secret "{{secret}}" through {{how}} in a pod with sidecars. Mount the Secret into a sidecar that serves what the app needs over localhost, so a compromised app container cannot read it.',
    },
    options: { type: 'object', properties: {}, additionalProperties: false },
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload || !workload.main || workload.longRunning.length < 2) return;
    const main = workload.main;
    let pod: ReturnType<typeof podGraph> | undefined;
    for (const use of secretUses(workload, main, volumesOf(workload))) {
      pod ??= podGraph(workload);
      ctx.report({ messageId: 'secret', path: use.path, container: main, data: { container: main.name, guess: mainGuessNote(workload), secret: use.secret, how: how(use) }, pod });
    }
  },
});
