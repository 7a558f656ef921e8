import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { formatKubeVersion, NATIVE_SIDECARS_SINCE, supportsNativeSidecars, targetKubeVersion } from '../src/model/kube-version.js';

export default defineRule({
  meta: {
    id: 'native-sidecar-unsupported',
    description:
      'An init container with `restartPolicy: Always` (a native sidecar) when the targeted Kubernetes version is older than 1.29.',
    defaultSeverity: 'error',
    // A native sidecar written in a Kustomize patch is reported there.
    scope: 'content',
    messages: {
      unsupported: {
        message: 'Native sidecar "{{container}}" needs Kubernetes {{since}}+ (target: {{version}}).',
        hint: 'Init container "{{container}}" sets `restartPolicy: Always`. Older API servers drop the field and run it as a plain init container, so a sidecar that never exits keeps the pod from starting. Move it to `containers`, or target Kubernetes {{since}}+.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload || supportsNativeSidecars(ctx.settings.kubeVersion)) return;
    const version = formatKubeVersion(targetKubeVersion(ctx.settings.kubeVersion));
    const since = formatKubeVersion(NATIVE_SIDECARS_SINCE);
    for (const c of workload.containers) {
      if (c.role !== 'native-sidecar') continue;
      ctx.report({ messageId: 'unsupported', path: c.path, container: c, data: { container: c.name, version, since } });
    }
  },
});
