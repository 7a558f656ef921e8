/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), as GitHub code scanning reads it:
 * every rule of the run in `tool.driver.rules` with its doc link, every finding as a result with a
 * region, file names relative to the repository root (`%SRCROOT%`, the working directory), and
 * suppressed findings as results with `suppressions`. Rules carry their doc as `help` (Markdown) and,
 * for the rules about secrets, a `security-severity` that code scanning ranks alerts by; a run that
 * failed (exit 2) records `executionSuccessful: false` with the reason. A finding with an automatic
 * fix carries it as `fixes` (replacements of its file's text, `properties.safety` safe or unsafe),
 * when the run computed them (`report.fixes`; never a fix that would write a Secret's value).
 *
 * Room format: must not import yaml, model, input, run, app (types only from model).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareFindings, type Finding, type Severity } from '../types.js';
import { VERSION } from '../version.js';
import { REPOSITORY_URL } from './rule-docs.js';
import type { Formatter, PartsFormatter, RuleInfo } from './types.js';

const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A relative file name as a URI reference: each segment percent-encoded. */
function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function artifactLocation(file: string, cwd: string | undefined): { uri: string; uriBaseId?: string } {
  if (path.posix.isAbsolute(file) || path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  if ((file === '..' || file.startsWith('../')) && cwd) return { uri: pathToFileURL(path.resolve(cwd, file)).href };
  return { uri: relativeUri(file), uriBaseId: SRCROOT };
}

function directoryUri(cwd: string): string {
  const href = pathToFileURL(cwd).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** The rules of the run: the report's list, plus any rule a finding names that the list lacks. */
function rulesOf(report: Parameters<Formatter>[0]): RuleInfo[] {
  const rules = [...(report.rules ?? [])];
  const known = new Set(rules.map((r) => r.id));
  for (const f of [...report.findings, ...report.suppressed, ...(report.baselined ?? [])]) {
    if (!known.has(f.ruleId)) {
      known.add(f.ruleId);
      rules.push({ id: f.ruleId, description: f.ruleId, severity: f.severity });
    }
  }
  return rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A rule's `help`: its documentation in Markdown (what GitHub code scanning shows under an alert),
 * with a plain-text pointer to it; a rule without a doc gets its description.
 */
function helpOf(r: RuleInfo): { text: string; markdown: string } {
  const doc = r.help?.();
  if (doc === undefined) return { text: r.description, markdown: r.description };
  return { text: `${r.description}${r.helpUri ? ` See ${r.helpUri}` : ''}`, markdown: doc };
}

function logicalLocation(f: Finding) {
  if (!f.object || (f.object.kind === null && f.object.name === null)) return undefined;
  const parts = [f.object.kind ?? '?', ...(f.object.namespace ? [f.object.namespace] : []), f.object.name ?? '?'];
  const name = f.container ?? f.object.name ?? f.object.kind ?? '?';
  return {
    name,
    fullyQualifiedName: [...parts, ...(f.container ? [f.container] : [])].join('/'),
    kind: f.container ? 'member' : 'object',
  };
}

/** Results a part of the text holds (see json.ts' PART_ITEMS: parts under the size the system maps fresh each time). */
const PART_RESULTS = 64;

/** Stands for the results in the log written around them (a string no result holds: it has a NUL). */
const RESULTS_MARK = '\u0000results\u0000';

/**
 * The `sarif` format's text in parts (their concatenation is `sarif`'s text): the log around its
 * results written once, the results a few dozen at a time, each built as it is written, so that a
 * report of many findings is never one string nor one tree (200,000 findings took 1.45 GB). Byte for
 * byte `JSON.stringify(log, null, 2)` plus a line break.
 */
export const sarifParts: PartsFormatter = function* (report, options) {
  const rules = rulesOf(report);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // With a baseline, every result says whether the baseline knew it (GitHub code scanning reads this).
  const withBaseline = report.baselined !== undefined;
  const fixesOf = (f: Finding) => {
    const fixes = report.fixes?.get(f);
    if (!fixes || fixes.length === 0) return undefined;
    return fixes.map((x) => ({
      description: { text: x.kind === 'unsafe' ? `${x.description} (unsafe: it changes how the workload runs)` : x.description },
      artifactChanges: [
        {
          artifactLocation: artifactLocation(x.file, options.cwd),
          replacements: x.replacements.map((r) => ({
            deletedRegion: { startLine: r.startLine, startColumn: r.startColumn, endLine: r.endLine, endColumn: r.endColumn },
            ...(r.text !== '' ? { insertedContent: { text: r.text } } : {}),
          })),
        },
      ],
      properties: { safety: x.kind },
    }));
  };
  const result = (f: Finding) => {
    const logical = logicalLocation(f);
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(f.file, options.cwd),
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
          ...(logical ? { logicalLocations: [logical] } : {}),
        },
      ],
      ...(fixesOf(f) ? { fixes: fixesOf(f) } : {}),
      ...(withBaseline ? { baselineState: f.baselined ? 'unchanged' : 'new' } : {}),
      ...(f.suppressed
        ? {
            suppressions: [
              {
                kind: f.suppressed.kind === 'config' ? 'external' : 'inSource',
                status: 'accepted',
                justification: f.suppressed.justification,
                properties: { via: f.suppressed.kind },
              },
            ],
          }
        : {}),
    };
  };
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sidecar-lint',
            semanticVersion: VERSION,
            version: VERSION,
            informationUri: REPOSITORY_URL,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              help: helpOf(r),
              defaultConfiguration: r.severity === 'off' ? { enabled: false } : { level: LEVEL[r.severity] },
              ...(r.securitySeverity !== undefined
                ? { properties: { tags: ['security'], 'security-severity': r.securitySeverity.toFixed(1) } }
                : {}),
            })),
          },
        },
        ...(options.cwd ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } } } : {}),
        invocations: [
          {
            executionSuccessful: report.failure === undefined,
            ...(report.failure !== undefined
              ? { toolExecutionNotifications: [{ level: 'error', message: { text: report.failure } }] }
              : {}),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: RESULTS_MARK,
      },
    ],
  };
  const text = JSON.stringify(log, null, 2);
  const mark = JSON.stringify(RESULTS_MARK);
  const at = text.indexOf(mark);
  const findings = [...report.findings, ...report.suppressed, ...(report.baselined ?? [])].sort(compareFindings);
  if (findings.length === 0) {
    yield `${text.slice(0, at)}[]${text.slice(at + mark.length)}\n`;
    return;
  }
  // The results array sits 6 spaces deep (log, runs, run): its items 8 deep.
  yield `${text.slice(0, at)}[\n`;
  let part: string[] = [];
  for (let i = 0; i < findings.length; i++) {
    const item = JSON.stringify(result(findings[i]!), null, 2).replace(/\n/g, '\n        ');
    part.push(i === 0 ? `        ${item}` : `,\n        ${item}`);
    if (i % PART_RESULTS === PART_RESULTS - 1) {
      yield part.join('');
      part = [];
    }
  }
  part.push('\n      ]');
  yield part.join('');
  yield `${text.slice(at + mark.length)}\n`;
};

/** The SARIF 2.1.0 log (see sarifParts: its parts joined). */
export const sarif: Formatter = (report, options) => [...sarifParts(report, options)].join('');
