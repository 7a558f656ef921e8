/**
 * `render-error` findings: a Helm chart or Kustomize directory that could not be rendered, reported
 * on its Chart.yaml / kustomization file with the tool's first error line, masked.
 *
 * kustomize and helm quote configuration and data in their errors (`valuesInline`, `secretGenerator`
 * literals, `replacements` values: report B2), so their stderr never reaches any output as it is.
 * Only the first error line is kept, and of it only the words of a fixed vocabulary (the words the
 * tools' messages are made of), positions after `line`/`column`, and names of files that exist
 * under the working directory; every other word becomes `…`. Where a masked word is written in the
 * kustomization, the finding points at that line: the position is named, never the text.
 *
 * Before kustomize runs, a kustomization is checked for what must never run or be fetched: remote
 * resources (`http(s)://`, `git::`, `file://`, `github.com/…` and other git forms), which kustomize
 * would download or clone, and `helmCharts`, which needs Helm and its network access (report B8,
 * B26). Such a directory is a `render-error` too, and is not rendered.
 *
 * Room input: must not import config, run, format, app, rules/ (types only from run).
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import jsyaml from 'js-yaml';
import { displayPath } from '../discover.js';
import { KUSTOMIZATION_FILES } from '../../model/kustomization.js';
import { readFixedFile } from '../read-fixed.js';

/** The words renderer error messages are made of (lower case); any other word is masked. */
const VOCABULARY = new Set(
  `a about accumulating accumulation after all allowed already alpha an and annotations any apiversion are
  as at base bases be been below between block broken build builtin but by can can't cannot chart chart.yaml
  charts character collection column command commonannotations commonlabels component components config
  configmap configmapgenerator configurations configuring connect connection contents context could
  couldn't crds data deadline denied dependencies dependency deprecated did dir directory disabled does
  doesn't duplicate during empty enable enable-helm enabled env envs err error evalsymlink evaluating exceeded
  exec executing exist exists expected fail failed failure field fields file files find for forbidden found
  from function functions generator generatoroptions generators get git got group gvk has have helm
  helmchartinflationgenerator helmcharts helmglobals id illegal images in indentation into invalid is it
  its json key keys kind kinds krm kustomization kustomization.yaml kustomization.yml kustomize kv label
  labels less line list literal literals load loader loading lstat malformed map mapping mappingnode match
  matched matches matching may merge merging metadata missing more multiple must name nameprefix names
  namespace namesuffix namespaces nil no node not object objects of on one only open openapi or out overlay
  overlays pairs parse parsing patch patches patchesjson6902 patchesstrategicmerge patchjson6902transformer
  patchstrategicmergetransformer patchtransformer path paths permission plugin plugins pointer prefixsuffixtransformer
  read reading recursed refused release remote replacement replacements replacementtransformer replicas
  resid resolve resource resources root scalar scalarnode scanning secret secretgenerator security select
  selector sequence sequencenode set should slice source sources spec specify start string struct such
  target targets template templates than that the this timeout timed to token transformer transformers
  trouble type unable unexpected unknown unmarshal unmarshaling unsupported url use used using validators
  value values values.yaml version was wrong yaml yet valid symlink link links size large too limit lines
  characters converting mappings anchor alias document documents convert request response status server host network
  reference ref clone cloning repository repo fetch fetching download downloading variable variables
  environment apply applying strategic op operation add remove replace isn't accumulate exactly ambiguous
  conflicting overlapping previously defined undefined generated hash suffix prefix inside outside within
  up down both either neither none nothing lookup parsed decode decoding encoded base64 when while which
  with without yields does not present absent`
    .split(/\s+/)
    .filter((w) => w !== ''),
);

/** A word and the separators around it: words are runs of characters other than blanks, quotes, brackets, `,`, `;`, `|` and `=`. */
const WORDS = /[^\s'"`[\](){}<>,;|=]+/g;

export interface MaskContext {
  cwd: string;
  /** The directory relative names are resolved against (the kustomization's or chart's). */
  dir: string;
}

/** The absolute path of a word that names an existing file or directory under the working directory. */
function existingPath(word: string, context: MaskContext): string | undefined {
  if (/^\.*$/.test(word) || word.includes('\0')) return undefined;
  for (const base of [context.dir, context.cwd]) {
    const absolute = path.resolve(base, word);
    const rel = path.relative(context.cwd, absolute);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    try {
      lstatSync(absolute);
      return absolute;
    } catch {
      // not there
    }
  }
  return undefined;
}

/**
 * The error text with every word outside the vocabulary masked as `…`; `masked` lists the words
 * taken out (for finding where they are written, never for printing).
 */
export function maskRendererText(text: string, context: MaskContext): { text: string; masked: string[]; paths: string[] } {
  const masked: string[] = [];
  const paths: string[] = [];
  let previous = '';
  const out = text.replace(WORDS, (raw) => {
    // Trailing `:` and `.` are punctuation (`resources:`, `directory.`), kept as they are.
    const [, word = raw, tail = ''] = /^(.*?)([:.]*)$/.exec(raw) ?? [];
    let kept: string | undefined;
    if (word === '') kept = '';
    else if (VOCABULARY.has(word.toLowerCase())) kept = word;
    else if (/^\d{1,7}$/.test(word) && /^(line|column|col)$/i.test(previous)) kept = word;
    else {
      // A file name, possibly with a position (`templates/a.yaml:14:16`).
      const m = /^(.*?)((?::\d{1,7}){0,2})$/.exec(word)!;
      const absolute = existingPath(m[1]!, context);
      if (absolute !== undefined) {
        paths.push(absolute);
        kept = displayPath(absolute, context.cwd) + m[2]!;
      }
    }
    previous = word;
    if (kept === undefined) {
      masked.push(word);
      return `…${tail}`;
    }
    return kept + tail;
  });
  // `… … …` reads as one gap.
  return { text: out.replace(/…(?:[\s:]*…)+/g, '…'), masked, paths };
}

/** The longest masked error text kept: the start (what failed) and the end (the cause). */
const MAX_MESSAGE = 240;

function shorten(text: string): string {
  if (text.length <= MAX_MESSAGE) return text;
  // Cut at blanks, so that no word is cut in two.
  const head = text.slice(0, 100).replace(/\s+\S*$/, '');
  const tail = text.slice(-130).replace(/^\S*\s+/, '');
  return `${head} … ${tail}`;
}

/**
 * The tool's first error line: kubectl's klog prefix dropped (for a multi-line `err=<` block, its
 * first line), helm's first `Error:` line when it printed warnings before it.
 */
export function firstErrorLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const klog = /^[EWIF]\d{4} [\d:.]+\s+\d+ \S+\] (?:"command failed" )?(?:err=)?/;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!klog.test(line)) continue;
    const rest = line.replace(klog, '');
    if (rest === '<') return lines[i + 1] ?? '';
    if (rest.startsWith('"') && rest.endsWith('"')) return rest.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    return rest;
  }
  return lines.find((l) => /^Error:/.test(l)) ?? lines[0] ?? '';
}

/** The masked, shortened first error line of a failed render, the words masked in it and the files it names (absolute). */
export function renderErrorText(stderr: string, context: MaskContext): { text: string; masked: string[]; paths: string[] } {
  const first = firstErrorLine(stderr);
  if (first === '') return { text: 'no error message', masked: [], paths: [] };
  const { text, masked, paths } = maskRendererText(first, context);
  return { text: shorten(text), masked, paths };
}

/** A 1-based position in a file. */
export interface Position {
  line: number;
  column: number;
}

/** Where a word is first written in a text, as a position (the word itself is never printed). */
export function positionOfWord(text: string, words: readonly string[]): Position | undefined {
  for (const word of words) {
    if (word.length < 2) continue;
    const at = text.indexOf(word);
    if (at < 0) continue;
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    return { line, column: at - (before.lastIndexOf('\n') + 1) + 1 };
  }
  return undefined;
}

/** The kustomization file of a directory (read like every fixed name: no link, FIFO or device; bounded). */
export function kustomizationFile(dir: string): { file: string; text: string } | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = path.join(dir, name);
    const read = readFixedFile(file);
    if (read.ok) return { file, text: read.text };
  }
  return undefined;
}

/** Scheme URLs (`https://`, `file://`, `ssh://`), git's forms (`git::`, `git@host:`), and host paths kustomize clones (`github.com/org/repo`). */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git::|[\w.-]+@[\w.-]+:|(?:github\.com|gitlab\.com|bitbucket\.org|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?::\d+)?\/[^/\s]+\/[^/\s]+(?:\.git)?(?:\/\/|\?|$)))/i;

/** Whether a kustomization entry names something kustomize would fetch: a URL or repository, not a local path that exists. */
export function isRemoteEntry(entry: string, dir: string): boolean {
  const e = entry.trim();
  if (!REMOTE.test(e) && !/\?(?:ref|version|submodules|timeout)=/.test(e)) return false;
  try {
    lstatSync(path.resolve(dir, e));
    return false; // a local path that happens to look like one
  } catch {
    return true;
  }
}

/** Fields whose entries kustomize loads (a URL there is downloaded): lists of names, and lists of objects with a `path`. */
const LOADED_LISTS = ['resources', 'bases', 'components', 'crds', 'configurations', 'generators', 'transformers', 'validators', 'patchesStrategicMerge'];
const LOADED_PATHS = ['patches', 'patchesJson6902', 'replacements'];
const GENERATORS = ['configMapGenerator', 'secretGenerator'];

/** Why a kustomization must not be rendered (remote entries, helmCharts), with where, or undefined. */
export function refusedKustomization(dir: string): { reason: string; position: Position | undefined } | undefined {
  const k = kustomizationFile(dir);
  if (!k) return undefined;
  let value: unknown;
  try {
    value = jsyaml.load(k.text, { schema: jsyaml.CORE_SCHEMA });
  } catch {
    return undefined; // kustomize reports it
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const m = value as Record<string, unknown>;
  const list = (key: string): unknown[] => (Array.isArray(m[key]) ? (m[key] as unknown[]) : []);
  const keyLine = (key: string): Position | undefined => {
    const at = new RegExp(`^${key}\\s*:`, 'm').exec(k.text);
    return at ? { line: k.text.slice(0, at.index).split('\n').length, column: 1 } : undefined;
  };
  for (const key of ['helmCharts', 'helmChartInflationGenerator']) {
    if (m[key] !== undefined && m[key] !== null && !(Array.isArray(m[key]) && (m[key] as unknown[]).length === 0)) {
      return {
        reason: `\`${key}\` needs Helm, which is off in Kustomize renders (it would run helm and fetch charts); its files were linted as plain YAML. To lint the chart, pipe a render: kustomize build --enable-helm DIR | sidecar-lint -`,
        position: keyLine(key),
      };
    }
  }
  const entries: { key: string; entry: string }[] = [];
  for (const key of LOADED_LISTS) for (const e of list(key)) if (typeof e === 'string' && !e.includes('\n')) entries.push({ key, entry: e });
  for (const key of LOADED_PATHS) {
    for (const e of list(key)) {
      const p = typeof e === 'object' && e !== null ? (e as Record<string, unknown>).path : undefined;
      if (typeof p === 'string') entries.push({ key, entry: p });
    }
  }
  for (const key of GENERATORS) {
    for (const g of list(key)) {
      if (typeof g !== 'object' || g === null) continue;
      const gen = g as Record<string, unknown>;
      for (const field of ['files', 'envs']) {
        for (const f of Array.isArray(gen[field]) ? (gen[field] as unknown[]) : []) {
          // `files` entries may be `key=path`.
          if (typeof f === 'string') entries.push({ key, entry: f.replace(/^[^=/]*=/, '') });
        }
      }
      if (typeof gen.env === 'string') entries.push({ key, entry: gen.env });
    }
  }
  const openapiPath = typeof m.openapi === 'object' && m.openapi !== null ? (m.openapi as Record<string, unknown>).path : undefined;
  if (typeof openapiPath === 'string') entries.push({ key: 'openapi', entry: openapiPath });
  for (const { key, entry } of entries) {
    if (!isRemoteEntry(entry, dir)) continue;
    return {
      reason: `a \`${key}\` entry is remote (a URL or a git repository), never fetched; its files were linted as plain YAML. Vendor it, or pipe a render: kustomize build DIR | sidecar-lint -`,
      position: positionOfWord(k.text, [entry]) ?? keyLine(key),
    };
  }
  return undefined;
}

/**
 * The environment a render tool runs with: what it needs (PATH, a locale), never the caller's
 * credentials, tokens or kubeconfig; git and HTTP fetches that kustomize could still try fail at once
 * (no git protocol allowed, no git config, a proxy that refuses every connection).
 */
export function renderEnvironment(env: NodeJS.ProcessEnv, tool: 'kustomize' | 'helm'): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { LC_ALL: 'C' };
  if (env.PATH !== undefined) out.PATH = env.PATH;
  if (env.SystemRoot !== undefined) out.SystemRoot = env.SystemRoot; // Windows needs it to start a process
  if (tool === 'helm') {
    // helm reads its configuration and cache directories from these (a chart's dependencies are vendored in charts/).
    for (const [key, value] of Object.entries(env)) {
      if (value !== undefined && /^(HOME|XDG_(CONFIG|CACHE|DATA)_HOME|HELM_(CACHE|CONFIG|DATA)_HOME)$/.test(key)) out[key] = value;
    }
    return out;
  }
  Object.assign(out, {
    GIT_ALLOW_PROTOCOL: 'none',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    http_proxy: 'http://127.0.0.1:9',
    https_proxy: 'http://127.0.0.1:9',
    NO_PROXY: '',
    no_proxy: '',
  });
  return out;
}
