/**
 * Scalars as Kubernetes reads them. Kubernetes decodes manifests with go-yaml v2 (YAML 1.1) into
 * untyped values and converts them to JSON (sigs.k8s.io/yaml); this module is that resolution, in one
 * place, for both parser paths (`yaml` in parse.ts and js-yaml in fast-parse.ts), so that both read
 * the same value Kubernetes does:
 *
 * - booleans `y/Y/yes/Yes/YES/on/On/ON/true/True/TRUE` and their negatives (`n`, `no`, `off`, `false`);
 * - null `~`, `null`, `Null`, `NULL` and the empty value;
 * - integers as Go's `strconv.ParseInt(s, 0, 64)` reads them after go-yaml removed every `_`:
 *   `0x`/`0X` hex, `0b`/`0B` binary, `0o`/`0O` and a leading `0` octal (`0644` is 420), a sign allowed;
 * - floats `[-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?` (`08` is 8), `.inf`/`.nan` spellings; a float out of
 *   range (`1e400`) stays a string, as does sexagesimal `1:20` (go-yaml v2 has none);
 * - `!!binary` is decoded (base64) into the string Kubernetes stores; `!!set`, `!!omap`, `!!pairs` are
 *   plain maps and lists; `!!timestamp` and timestamp-like values stay strings; `!!float 5` is 5.
 *
 * Room yaml: must not import model, input, config, run, format, app, rules/.
 */
import type { ScalarTag, CollectionTag } from 'yaml';
import jsyaml from 'js-yaml';

export type ScalarKind = 'null' | 'bool' | 'int' | 'float' | 'str';

const WORDS: ReadonlyMap<string, [ScalarKind, unknown]> = new Map<string, [ScalarKind, unknown]>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w): [string, [ScalarKind, unknown]] => [w, ['bool', true]]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w): [string, [ScalarKind, unknown]] => [w, ['bool', false]]),
  ...['', '~', 'null', 'Null', 'NULL'].map((w): [string, [ScalarKind, unknown]] => [w, ['null', null]]),
  ...['.nan', '.NaN', '.NAN'].map((w): [string, [ScalarKind, unknown]] => [w, ['float', NaN]]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w): [string, [ScalarKind, unknown]] => [w, ['float', Infinity]]),
  ...['-.inf', '-.Inf', '-.INF'].map((w): [string, [ScalarKind, unknown]] => [w, ['float', -Infinity]]),
]);

const INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's ParseInt(s, 0, 64), else ParseUint(s, 0, 64); undefined when both fail. */
function goInt(s: string): number | undefined {
  const m = INT.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  let v: bigint;
  if (/^0[xXbBoO]/.test(body)) v = BigInt(`0${body[1]!.toLowerCase()}${body.slice(2)}`);
  else if (body.length > 1) v = body[0] === '0' ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
  else v = BigInt(body);
  if (m[1] === '-') v = -v;
  if (v < INT64_MIN || v > UINT64_MAX) return undefined;
  if (m[1] === '+' && v >= 2n ** 63n) return undefined; // ParseUint takes no sign
  return Number(v);
}

let lastText: string | undefined;
let lastResult: [ScalarKind, unknown] = ['str', ''];

/**
 * Forgets the last scalar resolved: a scalar read from a file may be a slice of its text, which it
 * would keep alive. The run calls this once a file's findings are copied (with the message
 * templates' values, see `Compactor.detach`).
 */
export function forgetLastScalar(): void {
  lastText = undefined;
  lastResult = NO_SCALAR;
}

/** Whether a scalar is remembered (for tests). */
export function rememberedScalar(): boolean {
  return lastText !== undefined;
}

const NO_SCALAR: [ScalarKind, unknown] = ['str', ''];

/**
 * How go-yaml v2 resolves a plain (unquoted, untagged) scalar: its kind and value (the text itself
 * for a string). The js-yaml schema below constructs exactly this value, and block-values.ts asks it
 * directly: one table of scalar rules.
 */
export function kubeScalar(text: string): [ScalarKind, unknown] {
  if (text === lastText) return lastResult;
  lastText = text;
  return (lastResult = resolve(text));
}

/**
 * kubeScalar's value alone, without the pair kubeScalar gives: a plain scalar that can only be a
 * string (most are, `nginx`, `app`) is its own value, and one that starts with a letter is a string
 * unless it is one of WORDS. (The block reader asks this of every plain scalar: a pair each was a
 * twentieth of what a corpus run allocated.)
 */
export function kubeScalarValue(text: string): unknown {
  if (text === '') return null;
  const first = text.charCodeAt(0);
  if (first >= 128 || HINTS[first] !== 1) return text;
  if (first >= 0x41 /* letters and `~` */) {
    const word = WORDS.get(text);
    return word ? word[1] : text;
  }
  return kubeScalar(text)[1];
}

/** kubeScalar's kind alone, likewise (see kubeScalarValue). */
export function kubeScalarKind(text: string): ScalarKind {
  if (text === '') return 'null';
  const first = text.charCodeAt(0);
  if (first >= 128 || HINTS[first] !== 1) return 'str';
  if (first >= 0x41) return WORDS.get(text)?.[0] ?? 'str';
  return kubeScalar(text)[0];
}

/** The first characters of a plain scalar that may be anything but a string (a table: asked of every plain scalar). */
const HINTS = new Uint8Array(128);
for (const c of '-+0123456789yYnNtTfFoO~.') HINTS[c.charCodeAt(0)] = 1;

function resolve(text: string): [ScalarKind, unknown] {
  // (`charCodeAt(0)` of '' would read past the end, which deoptimises V8's code for this function.)
  const first = text === '' ? 0 : text.charCodeAt(0);
  const hinted = text === '' || (first < 128 && HINTS[first] === 1);
  if (!hinted) return ['str', text];
  const word = WORDS.get(text);
  if (word) return word;
  if (first === 0x2e /* . */) {
    if (!DOT_FLOAT.test(text)) return ['str', text];
    const f = Number(text);
    return Number.isFinite(f) ? ['float', f] : ['str', text];
  }
  if (!/^[-+0-9]/.test(text)) return ['str', text];
  const plain = text.includes('_') ? text.replace(/_/g, '') : text;
  const i = goInt(plain);
  if (i !== undefined) return ['int', i];
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return ['float', f];
  }
  return ['str', text];
}

/** Go's base64.StdEncoding (padding required; line breaks ignored). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The string Kubernetes stores for a `!!binary` value, or undefined when it is not base64. */
function decodeBinary(text: string): string | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (!BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

const Y = 'tag:yaml.org,2002:';

/** A `test` for the `yaml` package: any object with a `test` method does. */
function kindTest(kind: ScalarKind): RegExp {
  return { test: (s: string) => kubeScalar(s)[0] === kind } as unknown as RegExp;
}

const IDENTIFY: Record<Exclude<ScalarKind, 'str'>, (value: unknown) => boolean> = {
  null: (v) => v == null,
  bool: (v) => typeof v === 'boolean',
  int: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => typeof v === 'number' && !Number.isInteger(v),
};

/** How a value is written (for `stringify` with these tags): read back as the same value. */
function writeScalar(value: unknown): string {
  if (value == null) return 'null';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
  }
  return String(value);
}

function implicitTag(kind: Exclude<ScalarKind, 'str'>): ScalarTag {
  return {
    tag: `${Y}${kind}`,
    default: true,
    test: kindTest(kind),
    resolve: (s: string) => kubeScalar(s)[1],
    identify: IDENTIFY[kind],
    stringify: ({ value }: { value: unknown }) => writeScalar(value),
  } as ScalarTag;
}

/** An explicitly tagged scalar (`!!int "5"`, `!!float 5`, `!!bool yes`), as go-yaml decodes it. */
function explicitTag(kind: Exclude<ScalarKind, 'str'>): ScalarTag {
  return {
    tag: `${Y}${kind}`,
    default: false,
    resolve: (s: string, onError: (message: string) => void) => {
      const [k, value] = kubeScalar(s);
      if (k === kind || (kind === 'float' && k === 'int')) return value;
      if (kind === 'null') return s;
      onError(`This value cannot be read as the type its tag names; Kubernetes rejects it`);
      return s;
    },
  } as ScalarTag;
}

const binaryTag: ScalarTag = {
  tag: `${Y}binary`,
  default: false,
  resolve: (s: string, onError: (message: string) => void) => {
    const decoded = decodeBinary(s);
    if (decoded === undefined) onError('A !!binary value is not valid base64; Kubernetes rejects it');
    return decoded ?? s;
  },
} as ScalarTag;

const timestampTag: ScalarTag = { tag: `${Y}timestamp`, default: false, resolve: (s: string) => s } as ScalarTag;

function plainCollection(name: string, collection: 'map' | 'seq'): CollectionTag {
  return { tag: `${Y}${name}`, collection, default: false, resolve: (node: unknown) => node } as unknown as CollectionTag;
}

/**
 * `customTags` for the `yaml` package: its core schema's map, seq and str, with the core null, bool,
 * int and float replaced by Kubernetes' reading, and the YAML 1.1 tags Kubernetes knows.
 */
export function kubeYamlTags(tags: readonly unknown[]): unknown[] {
  const keep = tags.filter((t) => {
    const name = (t as { tag?: string }).tag;
    return name === `${Y}map` || name === `${Y}seq` || name === `${Y}str` || name === `${Y}merge`;
  });
  return [
    ...keep,
    explicitTag('null'),
    explicitTag('bool'),
    explicitTag('int'),
    explicitTag('float'),
    implicitTag('null'),
    implicitTag('bool'),
    implicitTag('int'),
    implicitTag('float'),
    binaryTag,
    timestampTag,
    plainCollection('set', 'map'),
    plainCollection('omap', 'seq'),
    plainCollection('pairs', 'seq'),
  ];
}

/** The same reading as a js-yaml schema (plus merge keys), for the fast path. */
function jsType(kind: Exclude<ScalarKind, 'str'>): jsyaml.Type {
  return new jsyaml.Type(`${Y}${kind}`, {
    kind: 'scalar',
    resolve: (s: string | null) => {
      const k = kubeScalar(s ?? '')[0];
      return k === kind || (kind === 'float' && k === 'int');
    },
    construct: (s: string | null) => kubeScalar(s ?? '')[1],
  });
}

const mergeType = (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge;

export const KUBE_JS_YAML_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [jsType('null'), jsType('bool'), jsType('int'), jsType('float'), mergeType],
  explicit: [
    new jsyaml.Type(`${Y}binary`, {
      kind: 'scalar',
      resolve: (s: string | null) => decodeBinary(s ?? '') !== undefined,
      construct: (s: string | null) => decodeBinary(s ?? ''),
    }),
    new jsyaml.Type(`${Y}timestamp`, { kind: 'scalar', construct: (s: string | null) => s ?? '' }),
    new jsyaml.Type(`${Y}set`, { kind: 'mapping', construct: (m: unknown) => m ?? {} }),
    new jsyaml.Type(`${Y}omap`, { kind: 'sequence', construct: (m: unknown) => m ?? [] }),
    new jsyaml.Type(`${Y}pairs`, { kind: 'sequence', construct: (m: unknown) => m ?? [] }),
  ],
});
