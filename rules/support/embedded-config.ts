/**
 * ConfigMap values that are whole files: which format a value is in (from its key's extension or
 * from its content), and the key/value entries inside it with their 0-based line and column in the
 * value's text. Pure functions; nothing here decides what is a credential.
 */
import jsyaml from 'js-yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import { coreYamlValues } from '../../src/model/inner-yaml.js';

export type EmbeddedFormat = 'properties' | 'env' | 'ini' | 'conf' | 'yaml';

export interface InnerEntry {
  /** The inner key: the line's key, or for YAML and JSON the last segment of the key path. */
  key: string;
  /** The key path from the document root (YAML and JSON); `[key]` for line formats. */
  path: readonly string[];
  /** 0-based line and column of the key in the value's text. */
  line: number;
  column: number;
  /** The entry's value: a string for line formats; any scalar value for YAML and JSON. */
  value: unknown;
  /** YAML and JSON: the keys of the mapping that holds the entry (itself included). */
  siblings?: readonly string[];
}

const EXTENSION_FORMATS: Readonly<Record<string, EmbeddedFormat>> = {
  properties: 'properties',
  env: 'env',
  ini: 'ini',
  cfg: 'ini',
  cnf: 'ini',
  toml: 'ini',
  conf: 'conf',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'yaml', // JSON is read with the YAML parser, which keeps positions
};

/** Files that are programs, templates or prose: their content is not read as `key = value` entries. */
const CODE_EXTENSIONS: ReadonlySet<string> = new Set([
  'py', 'sh', 'bash', 'zsh', 'ksh', 'fish', 'js', 'mjs', 'cjs', 'ts', 'rb', 'pl', 'php', 'lua', 'go', 'java', 'groovy',
  'kts', 'scala', 'ps1', 'psm1', 'bat', 'cmd', 'sql', 'jinja', 'jinja2', 'j2', 'tpl', 'tmpl', 'gotmpl', 'mustache',
  'hbs', 'html', 'htm', 'css', 'md', 'rst', 'adoc', 'xml', 'rego', 'cel', 'awk', 'sed', 'r', 'ipynb', 'proto', 'graphql',
]);

/** The lower-case extension of a ConfigMap key that looks like a file name (`app.properties` → `properties`). */
function extensionOf(key: string): string | undefined {
  const base = key.slice(key.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot < 0 || dot === base.length - 1) return undefined;
  return base.slice(dot + 1).toLowerCase();
}

/** Whether the key names a program, template or document (`password_validation.py`, `init.sh`). */
export function isCodeFileKey(key: string): boolean {
  const ext = extensionOf(key);
  return ext !== undefined && CODE_EXTENSIONS.has(ext);
}

/** Values longer than this are not parsed as embedded files (the credential-shape scan still runs). */
const MAX_EMBEDDED_LENGTH = 1_000_000;

/**
 * The format of a ConfigMap value: from the key's extension (`.properties`, `.env`, `.ini`, `.cfg`,
 * `.cnf`, `.toml`, `.conf`, `.yaml`, `.yml`, `.json`), else from the content of a multi-line value
 * (a YAML or JSON mapping, or lines that are all `key=value`/`key: value`, sections and comments).
 * Programs and templates (by extension or a `#!` line) have none. With `yamlMatters`, a value that
 * would be YAML is given no format when it says no (asked at most once, and only for such a value):
 * `embeddedFormat(key, value, f)` is `embeddedFormat(key, value)`, but undefined where that is
 * 'yaml' and `f()` is false.
 */
export function embeddedFormat(key: string, value: string, yamlMatters?: () => boolean): EmbeddedFormat | undefined {
  if (value.length > MAX_EMBEDDED_LENGTH) return undefined;
  const ext = extensionOf(key);
  if (ext !== undefined) {
    if (Object.hasOwn(EXTENSION_FORMATS, ext)) {
      const format = EXTENSION_FORMATS[ext];
      return format === 'yaml' && yamlMatters !== undefined && !yamlMatters() ? undefined : format;
    }
    if (CODE_EXTENSIONS.has(ext)) return undefined;
  }
  if (key === '.env' || key.endsWith('.env')) return 'env';
  const trimmed = value.trimStart();
  if (trimmed.startsWith('#!')) return undefined;
  if (!value.includes('\n') && !trimmed.startsWith('{')) return undefined;
  if (looksLikeKeyValueLines(value)) return 'properties';
  // The caller's quick look first: it reads faster than the positional parse `yamlMapping` needs.
  if (yamlMatters !== undefined && !yamlMatters()) return undefined;
  if (yamlMapping(value)) return 'yaml';
  return undefined;
}

const SECTION = /^\s*\[[^\]]*\]\s*$/;
const COMMENT = /^\s*(#|;|!|\/\/)/;
/** `key=value`, `key = value`, `export KEY=value`, `key: value` (one line; the key has no spaces). */
const KEY_VALUE = /^(\s*)(export\s+)?([^\s=:#;![\]"'{}][^\s=:"'{}]*)[ \t]*([=:])[ \t]*(.*)$/;
/** `key: value` in YAML that does not parse (a templated file), also as a list item (`- key: value`). */
const YAML_LINE = /^(\s*(?:-[ \t]+)*)([^\s:#[\]"'{}|>&*!%@`-][^\s:"'{}]*|"[^"]+"|'[^']+')[ \t]*:(?:[ \t]+(.*))?$/;
/** `key value` as in many `.conf` files (`masterauth s3cret`, `password "s3cret";`). */
const KEY_SPACE_VALUE = /^(\s*)([A-Za-z_][\w.-]*)[ \t]+("[^"]*"|'[^']*'|[^\s;#"'{}]+)[ \t]*;?[ \t]*$/;

function looksLikeKeyValueLines(value: string): boolean {
  let entries = 0;
  for (const line of value.split('\n')) {
    const l = line.replace(/\r$/, '');
    if (l.trim() === '' || COMMENT.test(l) || SECTION.test(l)) continue;
    const m = KEY_VALUE.exec(l);
    // `key: value` lines alone are YAML; this test is for `=` files.
    if (!m || m[4] !== '=') return false;
    entries++;
  }
  return entries > 0;
}

/** The last value parsed and its documents: a value is sniffed, then read, with one parse. */
let cached: { value: string; docs: ReturnType<typeof parseYaml> } | undefined;

function yamlDocuments(value: string) {
  if (cached?.value !== value) cached = { value, docs: parseYaml(value) };
  return cached.docs;
}

function parseYaml(value: string) {
  try {
    const docs = parseAllDocuments(value, { prettyErrors: false, uniqueKeys: false, strict: false, logLevel: 'silent', merge: false });
    if (!Array.isArray(docs)) return undefined;
    if (docs.some((d) => d.errors.length > 0)) return undefined;
    return docs;
  } catch {
    return undefined;
  }
}

/**
 * Whether a value is a YAML (or JSON) mapping whose top-level keys are config keys: prose such as
 * `Note: the password rotates` also parses as a mapping, but its key has spaces.
 */
function yamlMapping(value: string): boolean {
  const docs = yamlDocuments(value);
  return (
    docs !== undefined &&
    docs.some((d) => isMap(d.contents) && d.contents.items.length > 0) &&
    docs.every(
      (d) =>
        !isMap(d.contents) ||
        d.contents.items.every((p) => isPair(p) && isScalar(p.key) && /^[^\s]+$/.test(String(p.key.value))),
    )
  );
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}

/** Drops a trailing ` # comment` or ` ; comment` from an unquoted value. */
function withoutComment(value: string): string {
  const v = value.trim();
  if (v.startsWith('"') || v.startsWith("'")) return v;
  return v.replace(/(?<!\s)\s+[#;].*$/, '');
}

/** A `.properties` line that ends in an odd number of backslashes continues on the next line. */
function endsWithContinuation(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function lineEntries(format: EmbeddedFormat, value: string): InnerEntry[] {
  const out: InnerEntry[] = [];
  let continued = false;
  value.split('\n').forEach((line, i) => {
    const l = line.replace(/\r$/, '');
    const wasContinued = continued;
    continued = format === 'properties' && endsWithContinuation(l);
    if (wasContinued || l.trim() === '' || COMMENT.test(l) || SECTION.test(l)) return;
    if (format === 'yaml') {
      const y = YAML_LINE.exec(l);
      const v = y?.[3] === undefined ? '' : withoutComment(y[3]);
      // `key:` opens a mapping and `key: |` a block: no value on this line.
      if (y && v !== '' && !/^[|>][-+0-9]*$/.test(v)) out.push({ key: unquote(y[2]!), path: [unquote(y[2]!)], line: i, column: y[1]!.length, value: unquote(v) });
      return;
    }
    const m = KEY_VALUE.exec(l);
    if (m && (m[4] === '=' || format !== 'env')) {
      const column = m[1]!.length + (m[2]?.length ?? 0);
      const raw = format === 'properties' ? m[5]! : withoutComment(m[5]!);
      out.push({ key: m[3]!, path: [m[3]!], line: i, column, value: unquote(raw) });
      return;
    }
    if (format === 'conf') {
      const s = KEY_SPACE_VALUE.exec(l);
      if (s) out.push({ key: s[2]!, path: [s[2]!], line: i, column: s[1]!.length, value: unquote(s[3]!) });
    }
  });
  return out;
}

const MAX_DEPTH = 64;
const MAX_ENTRIES = 100_000;

function yamlEntries(value: string): InnerEntry[] | undefined {
  const docs = yamlDocuments(value);
  if (!docs) return undefined;
  // Offsets → 0-based line and column, computed once.
  const lineStarts = [0];
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const position = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - lineStarts[lo]! };
  };
  const out: InnerEntry[] = [];
  const walk = (node: Node | null | undefined, path: string[], depth: number): void => {
    if (!node || depth > MAX_DEPTH || out.length >= MAX_ENTRIES || isAlias(node)) return;
    if (isMap(node)) {
      const siblings = node.items.flatMap((p) => (isPair(p) && isScalar(p.key) && (typeof p.key.value === 'string' || typeof p.key.value === 'number') ? [String(p.key.value)] : []));
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
        const k = pair.key.value;
        if (typeof k !== 'string' && typeof k !== 'number') continue;
        const key = String(k);
        const childPath = [...path, key];
        const v = pair.value as Node | null;
        if (isScalar(v) || v === null) {
          out.push({ key, path: childPath, ...position(pair.key.range[0]), value: isScalar(v) ? v.value : null, siblings });
        } else {
          walk(v, childPath, depth + 1);
        }
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item as Node, path, depth + 1);
    }
  };
  for (const doc of docs) walk(doc.contents as Node | null, [], 0);
  return out;
}

/**
 * A quick look, without positions, at whether an embedded YAML or JSON document has an entry that
 * `wanted` accepts (js-yaml reads several times faster than the positional parser). False only when
 * it parsed and no entry is wanted; when it does not parse, true (the full reading decides).
 */
export function yamlMayHave(value: string, wanted: (entry: InnerEntry) => boolean): boolean {
  let docs: unknown[];
  const json = jsonAsJsYaml(value);
  if (json !== undefined) {
    docs = [json.value];
  } else {
    // The block reader first (js-yaml's values for the block subset, faster), js-yaml for the rest.
    const read = coreYamlValues(value);
    if (read === 'rejected') return true; // js-yaml would throw: the full reading decides
    if (read) docs = read;
    else {
      try {
        docs = jsyaml.loadAll(value, undefined, { schema: jsyaml.CORE_SCHEMA }) as unknown[];
      } catch {
        return true;
      }
    }
  }
  return docsMayHave(docs, wanted);
}

/** Whether documents read without positions have an entry that `wanted` accepts (yamlMayHave's walk). */
export function docsMayHave(docs: readonly unknown[], wanted: (entry: InnerEntry) => boolean): boolean {
  let count = 0;
  const seen = new Set<object>();
  const walk = (node: unknown, path: string[], depth: number): boolean => {
    if (node === null || typeof node !== 'object' || depth > MAX_DEPTH || count > MAX_ENTRIES || seen.has(node)) return false;
    seen.add(node);
    if (Array.isArray(node)) return node.some((item) => walk(item, path, depth + 1));
    const siblings = Object.keys(node);
    for (const [key, v] of Object.entries(node)) {
      count++;
      const childPath = [...path, key];
      if (v === null || typeof v !== 'object') {
        if (wanted({ key, path: childPath, line: 0, column: 0, value: v as InnerEntry['value'], siblings })) return true;
      } else if (walk(v, childPath, depth + 1)) {
        return true;
      }
    }
    return false;
  };
  return docs.some((d) => walk(d, [], 0));
}

/** Characters js-yaml refuses in a stream (its PATTERN_NON_PRINTABLE), and tabs and carriage returns. */
const NOT_PLAIN_JSON = /[\t\r]|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
/** Deeper JSON is left to js-yaml (which may give up on it). */
const MAX_JSON_DEPTH = 256;

/**
 * A JSON object or array read with `JSON.parse`, when that gives what js-yaml's `loadAll` with the
 * core schema gives as its one document (JSON is YAML: the same strings, keys and nesting; numbers,
 * `true`, `false` and `null` are none of them strings either way); undefined for anything else, and
 * where the two could differ: a tab or carriage return (js-yaml is stricter about them), a character
 * js-yaml refuses, nesting deeper than MAX_JSON_DEPTH, or a key twice in a mapping (js-yaml refuses
 * it, `JSON.parse` keeps the last): the text then has more keys than the value.
 */
export function jsonAsJsYaml(text: string): { value: unknown } | undefined {
  let start = 0;
  while (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 10) start++;
  const first = text.charCodeAt(start);
  if (first !== 123 && first !== 91) return undefined; // { [
  if (NOT_PLAIN_JSON.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const keys = keysOfJson(value, 0);
  return keys >= 0 && keys === keysInJsonText(text) ? { value } : undefined;
}

/** The keys of every mapping in a value read by `JSON.parse`; -1 past MAX_JSON_DEPTH. */
function keysOfJson(value: unknown, depth: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (depth > MAX_JSON_DEPTH) return -1;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const k = keysOfJson(item, depth + 1);
      if (k < 0) return -1;
      n += k;
    }
    return n;
  }
  for (const key in value) {
    const k = keysOfJson((value as Record<string, unknown>)[key], depth + 1);
    if (k < 0) return -1;
    n += k + 1;
  }
  return n;
}

/** The keys written in a valid JSON text: its strings followed by a `:` (after spaces and line breaks). */
function keysInJsonText(text: string): number {
  let n = 0;
  for (let open = text.indexOf('"'); open >= 0; ) {
    let close = text.indexOf('"', open + 1);
    for (;;) {
      let b = close - 1;
      while (text.charCodeAt(b) === 92) b--; // backslashes before the quote: an odd number escapes it
      if ((close - 1 - b) % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    let p = close + 1;
    while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 10) p++;
    if (text.charCodeAt(p) === 58) n++; // :
    open = text.indexOf('"', p);
  }
  return n;
}

/**
 * The key/value entries of an embedded file. YAML that does not parse (a Helm-templated file, say)
 * is read line by line as `key: value` instead.
 */
export function innerEntries(format: EmbeddedFormat, value: string): InnerEntry[] {
  if (value.length > MAX_EMBEDDED_LENGTH) return [];
  if (format === 'yaml') return yamlEntries(value) ?? lineEntries('yaml', value);
  return lineEntries(format, value);
}
