/**
 * Output: which formats go where. `--format` and `--output-file` pair up in the order given
 * (`--format json --output-file a.json --format sarif --output-file b.sarif`); a format without a file
 * goes to standard output.
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { builtinRules } from '../../rules/index.js';
import { ENGINE_RULES, type EngineRuleId, type LintOptions } from '../config/lint-options.js';
import { FORMAT_NAMES, formatters, partsFormatters, type Report, type RuleInfo } from './index.js';
import { ruleDocUrl } from './rule-docs.js';
import { checkReportFits, reportTooLarge } from '../memory.js';
import { safeName } from '../safe-text.js';
import { RULE_ID, type AnyRule } from '../rule.js';

export interface OutputSpec {
  format: string;
  /** A path relative to the working directory, or undefined for standard output. */
  file?: string;
}

export interface OutputContext {
  cwd: string;
  color: boolean;
  verbose?: boolean;
  stdout(text: string): void;
}

/** Pairs formats and output files from the order of the command line's tokens. */
export function outputSpecs(tokens: readonly { name: 'format' | 'output-file'; value: string }[]): OutputSpec[] | string {
  const specs: OutputSpec[] = [];
  for (const t of tokens) {
    if (t.name === 'format') {
      if (!Object.hasOwn(formatters, t.value)) return `Unknown format '${t.value}'; expected one of ${FORMAT_NAMES.join(', ')}`;
      specs.push({ format: t.value });
    } else {
      const last = specs[specs.length - 1];
      if (last && last.file === undefined) last.file = t.value;
      else if (!last) specs.push({ format: 'stylish', file: t.value });
      else return `--output-file '${t.value}' has no --format before it to pair with`;
    }
  }
  if (specs.length === 0) specs.push({ format: 'stylish' });
  return specs;
}

/**
 * Creates a directory and its missing parents, one level at a time. (Node 20's recursive mkdirSync
 * spins forever under `/proc`; one level at a time fails at once with ENOENT there.)
 */
function makeDirectory(dir: string): void {
  try {
    if (statSync(dir).isDirectory()) return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const parent = path.dirname(dir);
    if (parent !== dir) makeDirectory(parent);
  }
  mkdirSync(dir);
}

/**
 * The symbolic link an output path goes through, or undefined: the file itself, or a directory on
 * the way to it below the working directory (a repository can commit links, so a planted
 * `sidecar-lint.sarif -> ../victim` must not be written through). Directories above the working
 * directory are the machine's (on macOS /tmp is a link), not the repository's.
 */
function linkOnTheWay(target: string, cwd: string): string | undefined {
  const relative = path.relative(cwd, target);
  const inside = relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
  const parts = inside ? relative.split(path.sep) : [];
  const checks = inside ? parts.map((_, i) => path.join(cwd, ...parts.slice(0, i + 1))) : [target];
  for (const p of checks) {
    try {
      if (lstatSync(p).isSymbolicLink()) return p;
    } catch {
      return undefined; // missing from here on: created below, nothing to follow
    }
  }
  return undefined;
}

/** Opens for writing without following a link (O_NOFOLLOW) and without waiting on a FIFO (O_NONBLOCK). */
function writeNoFollow(target: string, text: string | Iterable<string>): void {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const fd = openSync(target, flags, 0o666);
  try {
    for (const part of typeof text === 'string' ? [text] : text) {
      const bytes = Buffer.from(part, 'utf8');
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes one file the run produces (a baseline, a fixed manifest) the way outputs are written: never
 * through a symbolic link below the working directory. Returns a problem line, or undefined.
 */
export function writeTextFile(file: string, text: string, cwd: string): string | undefined {
  const target = path.resolve(cwd, file);
  const link = linkOnTheWay(target, cwd);
  if (link !== undefined) return `${safeName(file)}: is or goes through a symbolic link; not writing through it`;
  try {
    makeDirectory(path.dirname(target));
    writeNoFollow(target, text);
    return undefined;
  } catch (e) {
    return `${safeName(file)}: cannot be written (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
}

/** Findings formatted to estimate a report's size before it is built. */
const SAMPLE = 64;

/**
 * A formatter's text, in parts where the format gives them (`partsFormatters`: never held whole), or
 * OutOfMemoryError (one line, exit 2) when the report cannot be held: its
 * size is estimated from a sample of its findings first, so that a report too large for the heap
 * that is left is refused before V8 aborts half-way through it; a string longer than V8 allows
 * (RangeError) is refused the same way.
 */
function formatChecked(format: string, report: Report, options: Parameters<(typeof formatters)[string]>[1]): string | Iterable<string> {
  const parts = Object.hasOwn(partsFormatters, format) ? partsFormatters[format]! : undefined;
  // Written as the reader takes them (the process's standard output blocks: src/app/blocking-write.ts).
  if (parts) return parts(report, options);
  const formatter = formatters[format]!;
  const total = report.findings.length + report.suppressed.length + (report.baselined?.length ?? 0);
  if (total > SAMPLE * 4) {
    const sample: Report = { ...report, findings: report.findings.slice(0, SAMPLE), suppressed: report.suppressed.slice(0, SAMPLE), ...(report.baselined ? { baselined: report.baselined.slice(0, SAMPLE) } : {}) };
    const sampled = sample.findings.length + sample.suppressed.length + (sample.baselined?.length ?? 0);
    checkReportFits(Math.ceil((formatter(sample, options).length / Math.max(1, sampled)) * total), format, total);
  }
  try {
    return formatter(report, options);
  } catch (e) {
    if (e instanceof RangeError && /string length|array length|allocation/i.test(e.message)) throw reportTooLarge(0, format, total);
    throw e;
  }
}

/** Writes every output; returns one line per output that could not be written. */
export function writeOutputs(report: Report, specs: readonly OutputSpec[], context: OutputContext): string[] {
  const problems: string[] = [];
  for (const spec of specs) {
    if (spec.file === undefined) {
      const text = formatChecked(spec.format, report, { color: context.color, cwd: context.cwd, verbose: context.verbose });
      if (typeof text === 'string') context.stdout(text);
      else for (const part of text) context.stdout(part);
      continue;
    }
    const target = path.resolve(context.cwd, spec.file);
    const link = linkOnTheWay(target, context.cwd);
    if (link !== undefined) {
      const which = link === target ? 'is a symbolic link' : `goes through a symbolic link (${safeName(path.relative(context.cwd, link).split(path.sep).join('/'))})`;
      problems.push(`${safeName(spec.file)}: ${which}; not writing through it (remove the link, or write to another path)`);
      continue;
    }
    try {
      makeDirectory(path.dirname(target));
      const text = formatChecked(spec.format, report, { color: false, cwd: context.cwd, verbose: context.verbose });
      writeNoFollow(target, text);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ELOOP: the file became a link after the check above.
      problems.push(
        code === 'ELOOP'
          ? `${safeName(spec.file)}: is a symbolic link; not writing through it (remove the link, or write to another path)`
          : `${safeName(spec.file)}: cannot be written (${code ?? 'unknown error'})`,
      );
    }
  }
  return problems;
}

/**
 * Every rule of a run for the formatters (SARIF lists them all): the given rules and the engine's own
 * findings, each with the severity it ran at (or `off`) and, for the ones documented in `rules/`, a
 * link to the doc.
 */
export function ruleCatalog(rules: readonly AnyRule[], lint: LintOptions): RuleInfo[] {
  // Built-in rules and the engine's findings have docs in rules/ (test/rules/meta.test.ts checks that).
  const documented = (rule: AnyRule | undefined, id: string) => (rule ? builtinRules.includes(rule) : Object.hasOwn(ENGINE_RULES, id));
  const out: RuleInfo[] = rules.map((rule) => ({
    id: rule.meta.id,
    description: rule.meta.description,
    severity: lint.rules.find((e) => e.rule === rule)?.severity ?? 'off',
    ...(documented(rule, rule.meta.id) ? { helpUri: ruleDocUrl(rule.meta.id), help: () => ruleDoc(rule.meta.id) } : { help: () => hintsDoc(rule) }),
    ...(typeof rule.meta.securitySeverity === 'number' ? { securitySeverity: rule.meta.securitySeverity } : {}),
  }));
  for (const id of Object.keys(ENGINE_RULES) as EngineRuleId[]) {
    let severity = lint.syntaxSeverity?.[id] ?? ENGINE_RULES[id].severity;
    if (id === 'unused-suppression' && !lint.reportUnusedSuppressions) severity = 'off';
    out.push({ id, description: ENGINE_RULES[id].description, severity, ...(documented(undefined, id) ? { helpUri: ruleDocUrl(id), help: () => ruleDoc(id) } : {}) });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The rule docs ship in rules/ at the package root: one level above the bundle (dist/), two above
 * this module in the source tree (src/format/).
 */
export function ruleDoc(id: string): string | undefined {
  if (!RULE_ID.test(id)) return undefined;
  for (const up of ['../', '../../']) {
    try {
      return readFileSync(new URL(`${up}rules/${id}.md`, import.meta.url), 'utf8');
    } catch {
      // not at this level
    }
  }
  return undefined;
}

/**
 * The Markdown of a rule without a doc (a plugin's, a custom rule): its description and the hints of
 * its messages, placeholders shown as `<name>`.
 */
export function hintsDoc(rule: AnyRule): string {
  const hints = [
    ...new Set(
      Object.values(rule.meta.messages).flatMap((m) => (typeof m === 'object' && m !== null && typeof m.hint === 'string' ? [m.hint.replace(/\{\{\s*(\w+)\s*\}\}/g, '<$1>')] : [])),
    ),
  ];
  return [`# ${rule.meta.id}`, '', rule.meta.description, ...(hints.length > 0 ? ['', '## How to fix', '', ...hints.map((h) => `- ${h}`)] : [])].join('\n') + '\n';
}
