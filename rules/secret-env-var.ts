import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { secretUses, volumesOf } from '../src/model/secrets.js';
import { namesNonSecret, type KeyTestOptions } from './support/credentials.js';

export default defineRule({
  meta: {
    id: 'secret-env-var',
    description: 'A Secret reaches a container as environment variables rather than as files.',
    defaultSeverity: 'info',
    // GitHub code scanning's ranking in SARIF (a secret that can leak).
    securitySeverity: 3.0,
    // Runs on the references a Kustomize patch adds.
    scope: 'reference',
    messages: {
      env: {
        message: 'Env var "{{env}}" comes from a Secret.',
        hint: 'Container "{{container}}" gets Secret "{{secret}}" as this env var (secretKeyRef). Prefer mounting the Secret as a file: environment variables are inherited by child processes and end up in logs, crash reports and `/proc/<pid>/environ`.',
      },
      envFrom: {
        message: 'Every key of Secret "{{secret}}" becomes an env var.',
        hint: 'Container "{{container}}" gets them through {{entry}} (secretRef). Prefer mounting the Secret as a file: environment variables are inherited by child processes and end up in logs, crash reports and `/proc/<pid>/environ`.',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload) return;
    const volumes = volumesOf(workload);
    const words: KeyTestOptions = { extraTerms: ctx.settings.credentialWords, allowKeys: ctx.settings.allowedKeys };
    for (const container of workload.containers) {
      for (const use of secretUses(workload, container, volumes)) {
        if (use.via === 'volume') continue;
        const data = { container: container.name, secret: use.secret };
        // One key as one env var whose name (and Secret key, when given) says it is a user name, host,
        // port or service name: nothing that matters leaks, and nobody would move it to a file.
        if (use.via === 'env' && namesNonSecret(use.entry, words) && (use.key === undefined || namesNonSecret(use.key, words))) continue;
        if (use.via === 'env') ctx.report({ messageId: 'env', path: use.path, container, data: { ...data, env: use.entry } });
        else ctx.report({ messageId: 'envFrom', path: use.path, container, data: { ...data, entry: use.entry } });
      }
    }
  },
});
