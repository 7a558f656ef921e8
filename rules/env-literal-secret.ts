import { defineRule, NO_OPTIONS } from '../src/rule.js';
import { asArray, asMap, asString } from '../src/model/objects.js';
import { credentialShape, SHAPE_DESCRIPTIONS } from './support/credential-values.js';
import { couldBeCredential, echoesKey, keyNamesCredential, publicHalves, type KeyTestOptions } from './support/credentials.js';

/** Env var names a message may quote (a C identifier, or what Kubernetes allows: printable, no `=`). */
const QUOTABLE_NAME = /^[-._a-zA-Z0-9]{1,253}$/;
/** A command-line flag: `--password`, `-db-password`, `--api_key=…` (single letters never name a credential). */
const FLAG = /^--?([A-Za-z][\w.-]*)(?:=([\s\S]*))?$/;
/** `namespace/name` of a Kubernetes object. */
const NAMESPACED_NAME = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\/[a-z0-9](?:[-.a-z0-9]*[a-z0-9])?$/;
/** Flag names a message may quote. */
const QUOTABLE_FLAG = /^[A-Za-z][\w.-]{0,63}$/;

/** No public halves (a list of fewer than two names has none). */
const NO_NAMES: ReadonlySet<string> = new Set();

function unquote(value: string): string {
  return value.replace(/^(['"])(.*)\1$/s, '$2');
}

/**
 * The credential flags of a command line and the literal values they are given: `--password=x` in
 * one word, `--password x` in two. Returns the flag's name and the index of the word holding the value.
 */
function credentialFlags(words: readonly string[], keyWords: KeyTestOptions): { flag: string; at: number }[] {
  const out: { flag: string; at: number }[] = [];
  words.forEach((word, i) => {
    if (!word.startsWith('-')) return; // FLAG cannot match
    const m = FLAG.exec(word);
    if (!m) return;
    const flag = m[1]!;
    if (!keyNamesCredential(flag, keyWords)) return;
    const inline = m[2] !== undefined;
    const raw = inline ? m[2]! : words[i + 1];
    if (raw === undefined || (!inline && raw.startsWith('-'))) return;
    const value = unquote(raw.trim());
    if (!couldBeCredential(value) || echoesKey(flag, value)) return;
    // `--tls-secret=ingress/wildcard-tls`: a `…-secret` flag given `namespace/name` names a Secret object.
    if (/(?:^|[-_.])secret$/i.test(flag) && NAMESPACED_NAME.test(value)) return;
    out.push({ flag, at: inline ? i : i + 1 });
  });
  return out;
}

export default defineRule({
  meta: {
    id: 'env-literal-secret',
    description: "A container's env var or command-line argument holds a literal credential; reference it from a Secret instead.",
    defaultSeverity: 'error',
    // GitHub code scanning's ranking in SARIF (a secret that can leak).
    securitySeverity: 8.0,
    // Reads values as written: runs on a Kustomize patch's values too.
    scope: 'content',
    messages: {
      name: {
        message: 'Env var "{{env}}" is a literal credential.',
        hint: 'Container "{{container}}" sets it in the manifest. Put the value in a Secret and reference it (valueFrom.secretKeyRef), or better, mount the Secret as a file.',
      },
      shape: {
        message: 'Env var "{{env}}" holds {{what}} as a literal.',
        hint: 'Container "{{container}}" sets it in the manifest. Put the value in a Secret and reference it (valueFrom.secretKeyRef), or better, mount the Secret as a file.',
      },
      arg: {
        message: 'Container "{{container}}" passes a literal credential to {{flag}}.',
        hint: 'It is in its {{field}}. Command lines are visible in /proc/<pid>/cmdline to every process that can list processes, worse than env. Put the value in a Secret and have the program read the mounted file (or pass "$(VAR)" of an env var set by valueFrom.secretKeyRef).',
      },
    },
    options: NO_OPTIONS,
  },
  check(ctx) {
    const workload = ctx.workload;
    if (!workload) return;
    const words: KeyTestOptions = { extraTerms: ctx.settings.credentialWords, allowKeys: ctx.settings.allowedKeys };
    for (const container of workload.containers) {
      const env = asArray(container.spec.env);
      // `MINIO_ACCESS_KEY` beside `MINIO_SECRET_KEY` in one list: the access key is the public half.
      const publicNames = env.length < 2 ? NO_NAMES : publicHalves(env.flatMap((item) => asString(asMap(item)?.name) ?? []));
      env.forEach((item, i) => {
        const entry = asMap(item);
        if (!entry) return;
        const name = asString(entry.name);
        const value = entry.value;
        // `valueFrom` wins over `value` only in invalid specs; a literal `value` is what is committed.
        if (typeof value !== 'string' || value.trim() === '') return;
        const where = () => {
          const env = name !== undefined && QUOTABLE_NAME.test(name) ? name : `#${i}`;
          const path = [...container.path, 'env', i];
          return { path, credential: [...path, 'value'], container, data: { container: container.name, env } };
        };
        if (
          name !== undefined &&
          !publicNames.has(name) &&
          keyNamesCredential(name, words) &&
          couldBeCredential(value) &&
          !echoesKey(name, value)
        ) {
          ctx.report({ messageId: 'name', ...where() });
          return;
        }
        const shape = credentialShape(value);
        if (shape) {
          const at = where();
          ctx.report({ messageId: 'shape', ...at, data: { ...at.data, what: SHAPE_DESCRIPTIONS[shape.kind] } });
        }
      });
      for (const field of ['command', 'args'] as const) {
        const items = asArray(container.spec[field]);
        // A credential option is written with a `-`: a list without one has none.
        if (!items.some((item) => typeof item === 'string' && item.includes('-'))) continue;
        const texts = items.map((item) => (typeof item === 'string' ? item : ''));
        const reported = new Set<number>();
        const report = (index: number, flag: string) => {
          if (reported.has(index)) return;
          reported.add(index);
          const shown = QUOTABLE_FLAG.test(flag) ? `option "${flag}"` : "a credential option";
          ctx.report({ messageId: 'arg', path: [...container.path, field, index], credential: [...container.path, field, index], container, data: { container: container.name, flag: shown, field } });
        };
        // Flags given as separate items: `[--password, hunter2]`, `[--password=hunter2]`.
        for (const { flag, at } of credentialFlags(texts, words)) report(at, flag);
        // A whole command line in one item (`sh -c "mysql --password=hunter2 …"`).
        texts.forEach((text, index) => {
          if (!text.includes('-') || !/\s/.test(text.trim())) return;
          const found = credentialFlags(text.split(/\s+/).filter((w) => w !== ''), words);
          if (found.length > 0) report(index, found[0]!.flag);
        });
      }
    }
  },
});
