/**
 * Declarative rules from the config: a JSON Schema that each target (the object, its pod spec, its
 * containers, its main container or its sidecars) must satisfy. A failing target is reported at the
 * most specific path ajv names.
 *
 * Room config: must not import run, format, app.
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { pointerToPath, type CustomRuleConfig } from './load.js';
import { asMap } from '../model/objects.js';
import type { ContainerInfo } from '../model/workloads.js';
import { defineRule, type AnyRule, type RuleContext } from '../rule.js';
import type { Path } from '../types.js';

/** What a failed keyword says, in words that never quote the failing value. */
function describe(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `must have "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `must not have "${String(params.additionalProperty)}"`;
    case 'not':
      return 'has a value the rule forbids';
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'type':
      return `must be of type ${String(params.type)}`;
    default:
      return e.message ?? 'does not match';
  }
}

/** The error at the deepest path, and what it says (never the failing value). */
function mostSpecific(errors: readonly ErrorObject[]): { path: (string | number)[]; detail: string } {
  // `anyOf`/`oneOf`/`if` summaries say less than the errors of their branches.
  const useful = errors.filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword));
  const list = useful.length > 0 ? useful : errors;
  let best = list[0]!;
  for (const e of list) if (e.instancePath.length > best.instancePath.length) best = e;
  const path = pointerToPath(best.instancePath);
  const detail = describe(best);
  const where = path.length > 0 ? path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') : '';
  return { path, detail: where ? `${where} ${detail}` : detail };
}

function labelsMatch(wanted: Record<string, string> | undefined, labels: unknown): boolean {
  if (!wanted) return true;
  const have = asMap(labels) ?? {};
  return Object.entries(wanted).every(([k, v]) => have[k] === v);
}

/**
 * A rule from a `customRules` entry. Throws when the schema does not compile. Each rule's schema is
 * compiled by its own ajv instance (of the class of `ajv`), so schemas with an `$id` can be
 * compiled again in a later run of the same process.
 */
export function customRule(config: CustomRuleConfig, ajv: Ajv): AnyRule {
  const AjvClass = ajv.constructor as new (options: { allErrors: boolean; strict: boolean }) => Ajv;
  const validate: ValidateFunction = new AjvClass({ allErrors: true, strict: false }).compile(config.schema);
  const check = (ctx: RuleContext<'fail'>) => {
    const { object, workload } = ctx;
    const match = config.match;
    if (match?.kinds && !(object.ref.kind !== null && match.kinds.includes(object.ref.kind))) return;
    if (match?.namespaces && !match.namespaces.includes(object.ref.namespace ?? ctx.settings.namespace)) return;
    if (!labelsMatch(match?.labels, asMap(object.value.metadata)?.labels)) return;
    const targets: { value: unknown; path: Path; container?: ContainerInfo }[] = [];
    switch (config.target) {
      case 'object':
        targets.push({ value: object.value, path: [] });
        break;
      case 'podSpec':
        if (workload) targets.push({ value: workload.podSpec, path: workload.podSpecPath });
        break;
      case 'container':
        for (const c of workload?.containers ?? []) targets.push({ value: c.spec, path: c.path, container: c });
        break;
      case 'mainContainer':
        if (workload?.main) targets.push({ value: workload.main.spec, path: workload.main.path, container: workload.main });
        break;
      case 'sidecar':
        for (const c of workload?.containers ?? []) {
          if (c.role === 'sidecar' || c.role === 'native-sidecar') targets.push({ value: c.spec, path: c.path, container: c });
        }
        break;
    }
    for (const t of targets) {
      if (validate(t.value)) continue;
      const { path, detail } = mostSpecific(validate.errors ?? []);
      ctx.report({
        messageId: 'fail',
        path: [...t.path, ...path],
        container: t.container,
        data: {
          detail,
          kind: object.ref.kind ?? '?',
          name: object.ref.name ?? '?',
          container: t.container?.name ?? '',
        },
      });
    }
  };
  return defineRule<'fail'>({
    meta: {
      id: config.id,
      description: config.description ?? config.message,
      defaultSeverity: config.severity ?? 'warning',
      messages: { fail: `${config.message} ({{detail}})` },
      options: { type: 'object' },
    },
    check,
  });
}
