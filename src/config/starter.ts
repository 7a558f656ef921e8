/**
 * The starter config that `--init` writes.
 *
 * Room config: must not import run, format, app.
 */
/** The commented starter config that `sidecar-lint --init` writes. */
import { DEFAULT_CONTAINER_ANNOTATION } from '../model/workloads.js';
export const STARTER_CONFIG = `# sidecar-lint configuration. Every setting is optional; delete what you do not need.
# Schema for editors (YAML language server):
# yaml-language-server: $schema=https://raw.githubusercontent.com/sidecar-lint/sidecar-lint/main/schema/sidecar-lint.schema.json

# Per rule: off, info, warning or error, or { severity, options }. \`sidecar-lint --list-rules\` lists them.
rules:
  configmap-sensitive-data: error
  secret-in-main-container: warning
  uncoupled-containers: warning

# Paths (globs, relative to this file) that are never linted.
ignore:
  - "node_modules/"
  # - "charts/**/templates/"

# Settings the rules share.
settings:
  # Extra words that name a credential in a key, and key names that never do.
  credentialWords: []
  allowedKeys: []
  # The pod template annotation that names the main container.
  mainContainerAnnotation: ${DEFAULT_CONTAINER_ANNOTATION}
  # The namespace of objects that do not name one.
  namespace: default

# Objects and containers that rules skip, with the reason (listed with the suppressed findings in --format json).
exemptions: []
  # - containers: istio-proxy
  #   rules: [secret-in-main-container, uncoupled-containers]
  #   reason: "Injected by the Istio sidecar injector"

# Declarative rules: a JSON Schema every target must satisfy.
customRules: []
  # - id: sidecar-memory-limit
  #   severity: warning
  #   message: Every sidecar sets a memory limit
  #   target: sidecar
  #   schema:
  #     type: object
  #     required: [resources]
  #     properties:
  #       resources:
  #         type: object
  #         required: [limits]
  #         properties:
  #           limits: { type: object, required: [memory] }
`;
