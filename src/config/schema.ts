/**
 * The JSON Schema of `.sidecar-lint.yaml`. `scripts/build-schema.mjs` writes it to
 * `schema/sidecar-lint.schema.json` for editors; CI rebuilds it and fails when the committed copy differs.
 *
 * Room config: must not import run, format, app.
 */
import { builtinRules } from '../../rules/index.js';
import { ENGINE_RULES } from './lint-options.js';
import { PREFIXED_PLUGIN_RULE_ID_PATTERN, RULE_ID_PATTERN, type JsonSchema } from '../rule.js';
import { SEVERITIES, SEVERITY_SETTINGS } from '../types.js';

/**
 * Where the schema is published: the file in the repository, at a stable raw URL, so that the
 * `$schema` line `--init` writes resolves without installing the package (and the URL a SchemaStore
 * catalog entry for `.sidecar-lint.{yaml,yml,json}` would point at).
 */
export const SCHEMA_URL = 'https://raw.githubusercontent.com/sidecar-lint/sidecar-lint/main/schema/sidecar-lint.schema.json';

/** The ids a `rules:` key may name in the editor: the built-in rules and the engine's findings. */
export const KNOWN_RULE_IDS: readonly string[] = [...builtinRules.map((r) => r.meta.id), ...Object.keys(ENGINE_RULES)].sort();


const severity: JsonSchema = {
  type: 'string',
  enum: [...SEVERITY_SETTINGS],
  description: 'off, info, warning or error',
};

const stringOrList: JsonSchema = {
  anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }],
};

/** A Kubernetes version: 1.29, v1.29.3, v1.29.6-eks-1 (what parseKubeVersion reads). */
export const KUBE_VERSION_PATTERN = '^\\s*v?[0-9]{1,6}\\.[0-9]{1,6}(\\.[0-9]{1,6}([-+][0-9A-Za-z][0-9A-Za-z.+-]*)?)?\\s*$';

const TARGETS = ['object', 'podSpec', 'container', 'mainContainer', 'sidecar'] as const;

export const configSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: SCHEMA_URL,
  title: 'sidecar-lint configuration',
  description:
    'Configuration of sidecar-lint (https://github.com/sidecar-lint/sidecar-lint), a linter for Kubernetes manifests: .sidecar-lint.yaml, .sidecar-lint.yml or .sidecar-lint.json.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'The JSON Schema of this file, for editors.' },
    rules: {
      type: 'object',
      description:
        'Per rule: a severity, or { severity, options }. Keys are built-in rule ids (sidecar-lint --list-rules) or plugin rule ids (plugin/rule); a custom rule takes its severity from its customRules entry.',
      propertyNames: {
        anyOf: [
          { enum: [...KNOWN_RULE_IDS] },
          { pattern: PREFIXED_PLUGIN_RULE_ID_PATTERN, description: 'A plugin rule: plugin/rule, each in kebab-case.' },
        ],
      },
      additionalProperties: {
        anyOf: [
          severity,
          {
            type: 'object',
            additionalProperties: false,
            properties: { severity, options: { type: 'object' } },
          },
        ],
      },
    },
    ignore: {
      type: 'array',
      description: 'Path globs (relative to the config file) that are never linted.',
      items: { type: 'string', minLength: 1 },
    },
    settings: {
      type: 'object',
      additionalProperties: false,
      description: 'Settings the rules share.',
      properties: {
        credentialWords: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Extra words that name a credential in a key (e.g. "bearer").',
        },
        allowedKeys: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Key names that are never credentials (exact, case-insensitive).',
        },
        mainContainerAnnotation: {
          type: 'string',
          minLength: 1,
          description: 'The pod template annotation that names the main container.',
        },
        namespace: {
          type: 'string',
          minLength: 1,
          description: 'The namespace of objects that do not name one (default: "default").',
        },
        kubeVersion: {
          type: 'string',
          pattern: KUBE_VERSION_PATTERN,
          description: 'The Kubernetes version the manifests target, e.g. "1.29" (default: the newest release).',
        },
      },
    },
    exemptions: {
      type: 'array',
      description: 'Objects and containers that some or all rules skip, e.g. injected istio-proxy sidecars.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['reason'],
        properties: {
          objects: { ...stringOrList, description: 'Object name glob(s).' },
          kinds: { type: 'array', items: { type: 'string', minLength: 1 } },
          namespaces: { type: 'array', items: { type: 'string', minLength: 1 } },
          containers: { ...stringOrList, description: 'Container name glob(s).' },
          rules: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Rule ids (default: all).' },
          reason: { type: 'string', minLength: 1 },
        },
      },
    },
    customRules: {
      type: 'array',
      description: 'Declarative rules: a JSON Schema that every target must satisfy.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'message', 'target', 'schema'],
        properties: {
          id: { type: 'string', pattern: RULE_ID_PATTERN },
          severity: { type: 'string', enum: [...SEVERITIES].reverse() },
          message: { type: 'string', minLength: 1 },
          description: { type: 'string' },
          target: { type: 'string', enum: [...TARGETS] },
          match: {
            type: 'object',
            additionalProperties: false,
            properties: {
              kinds: { type: 'array', items: { type: 'string', minLength: 1 } },
              namespaces: { type: 'array', items: { type: 'string', minLength: 1 } },
              labels: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
          // The rule's own schema must be a JSON Schema (draft-07): the editor checks it against the
          // meta-schema.
          schema: { allOf: [{ type: 'object' }, { $ref: 'http://json-schema.org/draft-07/schema#' }], description: 'A JSON Schema (draft-07) that every target must satisfy.' },
        },
      },
    },
    plugins: {
      type: 'array',
      description: 'Modules (paths or package names) that export rules. They are code: loaded only with --allow-plugins (the Action: allow-plugins: true) or, on the command line, from a config named with --config.',
      items: { type: 'string', minLength: 1 },
    },
    baseline: {
      type: 'string',
      minLength: 1,
      description:
        'The baseline file (relative to this file): findings it lists are accepted and do not fail the run (default: .sidecar-lint-baseline.json beside this file, when it exists).',
    },
    render: {
      type: 'object',
      additionalProperties: false,
      description: 'Helm charts and Kustomize directories.',
      properties: {
        enabled: { type: 'boolean', description: 'Render charts and kustomizations (default true; --no-render turns it off).' },
        helmValues: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Extra values files for helm template, relative to this file.',
        },
        helmSet: {
          type: 'array',
          items: { type: 'string', pattern: '^[^=]+=' },
          description: 'Extra --set key=value for helm template.',
        },
      },
    },
  },
};
