/**
 * The shape of a rule: metadata plus one pure check. A check reads the object (and its workload view
 * when it bears a pod) and reports paths; it does no I/O, prints nothing and computes no lines.
 */
import type { K8sObject } from './model/objects.js';
import type { PodGraph } from './model/pod-graph.js';
import type { ContainerInfo, Workload } from './model/workloads.js';
import { safeName } from './safe-text.js';
import type { FixEdit, FixKind, Path, Severity } from './types.js';

/** A JSON Schema (draft-07, as ajv reads it). */
export type JsonSchema = Record<string, unknown>;

/** The options schema of a rule that takes none: an object that allows no properties. */
export const NO_OPTIONS: JsonSchema = Object.freeze({ type: 'object', properties: Object.freeze({}), additionalProperties: false });

const RULE_ID_WORDS = '[a-z0-9]+(-[a-z0-9]+)*';
/** A rule id (built-in, engine, custom): lowercase letters and digits in words joined by dashes (`no-latest-tag`). */
export const RULE_ID_PATTERN = `^${RULE_ID_WORDS}$`;
export const RULE_ID = new RegExp(RULE_ID_PATTERN);
/** A plugin's rule id: a rule id, optionally after its plugin's name (`acme/no-latest-tag`). */
export const PLUGIN_RULE_ID = new RegExp(`^${RULE_ID_WORDS}(\\/${RULE_ID_WORDS})?$`);
/**
 * A plugin's rule id after its plugin's name (`acme/no-latest-tag`), as `PLUGIN_RULE_ID` has it: the
 * config schema's pattern for a `rules:` key that is no built-in id (an editor cannot know the plugins).
 */
export const PREFIXED_PLUGIN_RULE_ID_PATTERN = `^${RULE_ID_WORDS}\\/${RULE_ID_WORDS}$`;

/**
 * What a rule reads, which decides whether it runs on a Kustomize patch (a partial object, see
 * `K8sObject.isPatch`):
 * - `pod-structure`: the shape of a whole pod (its containers, their roles and what couples them).
 *   A patch holds only part of a pod, so these rules never run on one;
 * - `content`: values as they are written (a credential in a ConfigMap, a literal env var). They run
 *   on a patch's values, at the patch's own lines;
 * - `reference`: references to other objects (secretKeyRef, volumes). They run on the references a
 *   patch adds.
 * A rule that does not say (a plugin's, a custom rule) is treated as `pod-structure`.
 */
/** @public */
export type RuleScope = 'pod-structure' | 'content' | 'reference';

/** Whether a rule runs on Kustomize patches (see RuleScope). */
export function runsOnPatches(meta: Pick<RuleMeta, 'scope'>): boolean {
  return meta.scope === 'content' || meta.scope === 'reference';
}

/** A rule's message: what is wrong (short, one line) and how to fix it. */
export interface MessageTemplate {
  message: string;
  hint: string;
}

/**
 * Why a reported message id is not one of a rule's messages, or undefined when it is one. A rule that
 * reports an id its `meta.messages` lacks has a bug (a misspelling `defineRule` catches at compile
 * time in TypeScript): the run stops and names the rule, rather than printing the id as the message.
 */
export function unknownMessageId(meta: Pick<RuleMeta, 'messages'>, messageId: unknown): string | undefined {
  if (typeof messageId === 'string' && Object.hasOwn(meta.messages, messageId)) return undefined;
  const known = Object.keys(meta.messages).map((id) => `"${id}"`).join(', ') || 'none';
  return `reported messageId ${typeof messageId === 'string' ? JSON.stringify(messageId) : String(messageId)}, which is not in its meta.messages (${known})`;
}

/**
 * The message and hint templates of a reported message id, whichever way the message was written;
 * throws, naming the rule, when the rule has no such message.
 */
export function messageTemplate(rule: { meta: Pick<RuleMeta, 'id' | 'messages'> }, messageId: string): Readonly<{ message: string; hint?: string }> {
  const messages = rule.meta.messages;
  let known = templatesOf.get(messages);
  const seen = known?.get(messageId);
  if (seen !== undefined) return seen;
  const problem = unknownMessageId(rule.meta, messageId);
  if (problem !== undefined) throw new Error(`rule "${rule.meta.id}" ${problem}`);
  const template = messages[messageId]!;
  const out = typeof template === 'string' ? { message: template } : { message: template.message, hint: template.hint };
  if (!known) templatesOf.set(messages, (known = new Map()));
  known.set(messageId, out);
  return out;
}

/** The templates `messageTemplate` gave, by a rule's `meta.messages` and message id (reported once per finding). */
const templatesOf = new WeakMap<object, Map<string, Readonly<{ message: string; hint?: string }>>>();

export interface RuleMeta<MessageId extends string = string, Options = Record<string, unknown>> {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** What the rule reads; decides whether it runs on Kustomize patches (default `pod-structure`: it does not). */
  scope?: RuleScope;
  /**
   * Message templates; `{{name}}` is replaced by `data.name`. Never put a secret's value in data.
   * Each is a short `message` (what is wrong, naming the object: one line of stylish output) and a
   * `hint` (why it matters and how to fix it: JSON's `hint`, `--verbose`, the editor's diagnostic).
   * A plain string is a message without a hint (accepted from plugins).
   */
  messages: Record<MessageId, MessageTemplate | string>;
  /**
   * For rules about secrets: GitHub code scanning's `security-severity` (0.1–10; 9+ critical, 7+ high,
   * 4+ medium, else low), written to SARIF so that alerts are ranked.
   */
  securitySeverity?: number;
  /** JSON Schema of the rule's options. */
  options: JsonSchema;
  /**
   * Default option values: the options a rule's context holds are these with the configured ones
   * over them, so `defineRule` types `ctx.options` from them.
   */
  defaultOptions?: Options;
  /**
   * Whether the rule's reports carry an automatic fix (`ReportDescriptor.fix`): `safe` when it only
   * writes down what is already so, `unsafe` when it changes how the workload runs (applied only with
   * --unsafe-fixes). A rule without one says in its doc why.
   */
  fix?: FixKind;
}

/** The options of a rule that has none (its options schema is an empty object). */
export type NoOptions = Record<string, never>;

/** Settings every rule may read (later configurable). */
export interface SharedSettings {
  /** The pod template annotation that names the main container. */
  mainContainerAnnotation: string;
  /** Extra words that name a credential in a key, for the credential word test. */
  credentialWords: readonly string[];
  /** Key names that are never credentials (exact, case-insensitive). */
  allowedKeys: readonly string[];
  /** The namespace of objects that do not name one. */
  namespace: string;
  /** The Kubernetes version the manifests target, as `major.minor` (e.g. "1.29"). */
  kubeVersion: string;
}

export interface ReportDescriptor<MessageId extends string = string> {
  messageId: MessageId;
  /** Path from the object's root. */
  path: Path;
  data?: Record<string, string | number>;
  /** The container the finding is about. */
  container?: ContainerInfo | string;
  /**
   * A position inside the string value at `path` (0-based line and column of the value's text), for
   * findings inside embedded files. Located exactly in literal block scalars (`key: |`); elsewhere the
   * finding points at the entry.
   */
  inner?: { line: number; column?: number; length?: number };
  /**
   * Path (from the object's root) of the credential the finding is about, when it is a value written
   * in the manifest: an env var's `value`, an argument, a ConfigMap's or Secret's entry. Where the
   * manifest's text is shown (`--fix-dry-run`'s diff) it is masked, and a fix that would write it into
   * a report (SARIF) is left out. Every report of a rule about credential values sets it.
   */
  credential?: Path;
  /**
   * A value-free picture of the pod (see `podGraph()`): the markdown format draws it under the file's
   * findings. Attach it where the finding is about how the pod's containers and Secrets hang together.
   */
  pod?: PodGraph;
  /**
   * The automatic fix (the rule's `meta.fix` says whether it is safe): edits with paths from the
   * object's root, and what it does in a few words.
   */
  fix?: { title: string; edits: readonly FixEdit[] };
}

/** What a check is given. Valid only while the check runs: the engine may reuse it for the next check. */
export interface RuleContext<MessageId extends string = string, Options = Record<string, unknown>, Fact = unknown> {
  object: K8sObject;
  /** The pod view of the object, when it is a pod-bearing kind. */
  workload: Workload | undefined;
  options: Options;
  settings: SharedSettings;
  report(descriptor: ReportDescriptor<MessageId>): void;
  /**
   * Records a small, JSON-serialisable fact about this object for the rule's cross-resource check
   * (`Rule.crossCheck`), which runs once every file has been read. Keep facts small: names, keys,
   * selectors, ports — never whole documents. Only a rule with a `crossCheck` defers: for a rule
   * without one the fact type is `never`, so a call does not compile.
   */
  defer(fact: Fact): void;
}

/** A fact deferred by a rule, with the object it came from. */
export interface DeferredFact<Fact = unknown> {
  fact: Fact;
  /** Where the object is: file, document index and path inside the document. */
  origin: FactOrigin;
}

export interface FactOrigin {
  file: string;
  documentIndex: number;
  objectPath: Path;
}

/** @public */
export interface CrossReport<MessageId extends string = string> extends ReportDescriptor<MessageId> {
  /** The object the finding belongs to (the origin of one of the facts). */
  origin: FactOrigin;
}

/** @public */
export interface CrossContext<MessageId extends string = string, Options = Record<string, unknown>> {
  options: Options;
  settings: SharedSettings;
  report(descriptor: CrossReport<MessageId>): void;
}

export interface Rule<MessageId extends string = string, Options = Record<string, unknown>, Fact = unknown> {
  meta: RuleMeta<MessageId, Options>;
  check(context: RuleContext<MessageId, Options, Fact>): void;
  /** Cross-resource check: every fact the rule deferred, from every linted file, once all are read. */
  crossCheck?(facts: readonly DeferredFact<Fact>[], context: CrossContext<MessageId, Options>): void;
}

/** A rule with a cross-resource check: its `check` defers facts of type `Fact` for it. */
export interface CrossRule<MessageId extends string, Options, Fact> extends Rule<MessageId, Options, Fact> {
  crossCheck(facts: readonly DeferredFact<Fact>[], context: CrossContext<MessageId, Options>): void;
}

/** A rule that looks at one object at a time: it has no cross-resource check and defers nothing. */
export interface LocalRule<MessageId extends string, Options> extends Rule<MessageId, Options, never> {
  crossCheck?: undefined;
}

/**
 * Defines a rule with its types checked: the message ids are the keys of `meta.messages` (a misspelt
 * `messageId` in a report is a compile error), `ctx.options` has the type of `meta.defaultOptions`,
 * and `ctx.defer` takes the rule's fact type, which its `crossCheck` receives (a rule without a
 * `crossCheck` cannot defer).
 *
 * TypeScript infers type arguments from the properties in the order they are written, so `check`
 * (written before `crossCheck`) cannot learn the fact type from `crossCheck`'s parameters: give it
 * as the third type argument, `defineRule<'missing' | 'stale', { strict: boolean }, MyFact>({ ... })`.
 * Without it the facts are `unknown`.
 */
export function defineRule<MessageId extends string, Options extends object = Record<string, unknown>, Fact = unknown>(
  rule: CrossRule<MessageId, Options, Fact>,
): Rule<MessageId, Options, Fact>;
export function defineRule<MessageId extends string, Options extends object = Record<string, unknown>>(
  rule: LocalRule<MessageId, Options>,
): Rule<MessageId, Options, never>;
export function defineRule(rule: AnyRule): AnyRule {
  return rule;
}

export type AnyRule = Rule<string, any, any>;

/**
 * Fills a message template. The data (object, container, key names taken from the linted files) is
 * made safe to print: control characters, line breaks and bidirectional overrides are escaped, so a
 * name cannot start a new line (a forged `::error` workflow command in a CI log) or move the terminal.
 */
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  if (!data) return template;
  let compiled = compiledTemplates.get(template);
  if (compiled === undefined) {
    compiled = new CompiledTemplate(template);
    if (compiledTemplates.size < MAX_COMPILED) compiledTemplates.set(template, compiled);
  }
  return compiled.fill(data);
}

/**
 * Forgets the values the compiled templates last filled in, and the texts they gave. A value can be
 * a slice of a linted file's text (a key, a name), which keeps the whole text alive while it is
 * held: the run calls this once a file's findings are copied (`Compactor.detach`), so no template
 * holds a file past its turn. Only the templates used since the last call are visited.
 */
export function forgetMessageValues(): void {
  for (const t of usedTemplates) t.forget();
  usedTemplates.length = 0;
}

/** How many templates hold values or a text now (for tests). */
export function templatesHoldingValues(): number {
  let n = 0;
  for (const t of compiledTemplates.values()) if (t.holding()) n++;
  return n;
}

/** The compiled templates that have filled a message since `forgetMessageValues` last ran. */
const usedTemplates: CompiledTemplate[] = [];

/** Templates compiled at most (plugins could make them up); beyond, each is compiled when used. */
const MAX_COMPILED = 4096;
const compiledTemplates = new Map<string, CompiledTemplate>();

/**
 * A message template cut at its placeholders once (it fills one message per finding, 200,000 of
 * them in one file at times). The last text it gave is given again while the values it names repeat
 * (a hint naming the same object for every finding is then one string, not one per finding).
 */
class CompiledTemplate {
  /** The text between placeholders: one more than `keys`. */
  private readonly literals: string[] = [];
  private readonly keys: string[] = [];
  /** Each placeholder as written (kept when the data has no such key). */
  private readonly wholes: string[] = [];
  private readonly lastValues: unknown[] = [];
  private last: string | undefined;

  constructor(template: string) {
    let at = 0;
    for (const m of template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
      this.literals.push(template.slice(at, m.index));
      this.keys.push(m[1]!);
      this.wholes.push(m[0]);
      at = m.index + m[0].length;
    }
    this.literals.push(template.slice(at));
  }

  fill(data: Record<string, unknown>): string {
    const { keys, lastValues } = this;
    let same = this.last !== undefined;
    if (!same && usedTemplates.length < MAX_COMPILED) usedTemplates.push(this);
    for (let i = 0; i < keys.length; i++) {
      const v = Object.hasOwn(data, keys[i]!) ? data[keys[i]!] : NO_VALUE;
      if (v !== lastValues[i] || (typeof v === 'object' && v !== NO_VALUE) || typeof v === 'function') {
        same = false;
        lastValues[i] = v;
      }
    }
    if (same) return this.last!;
    let out = this.literals[0]!;
    for (let i = 0; i < keys.length; i++) {
      const v = lastValues[i];
      out += (v === NO_VALUE ? this.wholes[i]! : safeName(String(v))) + this.literals[i + 1]!;
    }
    this.last = out;
    return out;
  }

  forget(): void {
    this.last = undefined;
    this.lastValues.fill(NO_VALUE);
  }

  holding(): boolean {
    return this.last !== undefined || this.lastValues.some((v) => v !== NO_VALUE);
  }
}

/** A placeholder's value when the data has no such key. */
const NO_VALUE: object = {};
