/**
 * The config file's types, generated from its JSON Schema (src/config/schema.ts) by
 * `npm run build:schema` (scripts/schema-types.ts): do not edit. test/unit/generated-docs.test.ts
 * fails when this file differs from the schema.
 *
 * Room config: must not import run, format, app.
 */

/** Configuration of sidecar-lint (https://github.com/sidecar-lint/sidecar-lint), a linter for Kubernetes manifests: .sidecar-lint.yaml, .sidecar-lint.yml or .sidecar-lint.json. */
export interface SidecarLintConfig {
  /** The JSON Schema of this file, for editors. */
  '$schema'?: string;
  /** Per rule: a severity, or { severity, options }. Keys are built-in rule ids (sidecar-lint --list-rules) or plugin rule ids (plugin/rule); a custom rule takes its severity from its customRules entry. */
  rules?: Record<string, 'off' | 'info' | 'warning' | 'error' | {
    /** off, info, warning or error */
    severity?: 'off' | 'info' | 'warning' | 'error';
    options?: Record<string, unknown>;
  }>;
  /** Path globs (relative to the config file) that are never linted. */
  ignore?: string[];
  /** Settings the rules share. */
  settings?: {
    /** Extra words that name a credential in a key (e.g. "bearer"). */
    credentialWords?: string[];
    /** Key names that are never credentials (exact, case-insensitive). */
    allowedKeys?: string[];
    /** The pod template annotation that names the main container. */
    mainContainerAnnotation?: string;
    /** The namespace of objects that do not name one (default: "default"). */
    namespace?: string;
    /** The Kubernetes version the manifests target, e.g. "1.29" (default: the newest release). */
    kubeVersion?: string;
  };
  /** Objects and containers that some or all rules skip, e.g. injected istio-proxy sidecars. */
  exemptions?: {
    /** Object name glob(s). */
    objects?: string | string[];
    kinds?: string[];
    namespaces?: string[];
    /** Container name glob(s). */
    containers?: string | string[];
    /** Rule ids (default: all). */
    rules?: string[];
    reason: string;
  }[];
  /** Declarative rules: a JSON Schema that every target must satisfy. */
  customRules?: {
    id: string;
    severity?: 'info' | 'warning' | 'error';
    message: string;
    description?: string;
    target: 'object' | 'podSpec' | 'container' | 'mainContainer' | 'sidecar';
    match?: {
      kinds?: string[];
      namespaces?: string[];
      labels?: Record<string, string>;
    };
    /** A JSON Schema (draft-07) that every target must satisfy. */
    schema: Record<string, unknown>;
  }[];
  /** Modules (paths or package names) that export rules. They are code: loaded only with --allow-plugins (the Action: allow-plugins: true) or, on the command line, from a config named with --config. */
  plugins?: string[];
  /** The baseline file (relative to this file): findings it lists are accepted and do not fail the run (default: .sidecar-lint-baseline.json beside this file, when it exists). */
  baseline?: string;
  /** Helm charts and Kustomize directories. */
  render?: {
    /** Render charts and kustomizations (default true; --no-render turns it off). */
    enabled?: boolean;
    /** Extra values files for helm template, relative to this file. */
    helmValues?: string[];
    /** Extra --set key=value for helm template. */
    helmSet?: string[];
  };
}
