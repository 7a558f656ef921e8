/**
 * The GitHub Action (action.yml → action/index.js, bundled from here by `npm run build:action`).
 *
 * It runs the CLI's `run()` in-process with the inputs turned into arguments (never through a shell;
 * paths come after `--`, so none is read as an option), and then does what only an Action does:
 * annotations (workflow commands) for the findings on the pull request's changed lines, the Markdown
 * report as the job summary ($GITHUB_STEP_SUMMARY), and step outputs ($GITHUB_OUTPUT). Everything
 * happens on the runner: no network.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT_FAILURE, run, type CliIO } from './cli.js';
import { annotation, escapeData } from './format/github.js';
import type { Finding, Summary } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ActionIO {
  env: Env;
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

const ANNOTATE_MODES = ['changed', 'all', 'none'] as const;
type AnnotateMode = (typeof ANNOTATE_MODES)[number];

/** An input as the runner passes it: `INPUT_<NAME>` with spaces as `_`, upper case (hyphens stay). */
export function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** Paths: separated by spaces or new lines. */
export function splitPaths(value: string): string[] {
  return value.split(/\s+/).filter((p) => p !== '');
}

/** `name<<delimiter` blocks, the form of $GITHUB_OUTPUT that holds any value. */
export function outputBlock(name: string, value: string): string {
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** Changed line ranges by file (relative to the working directory), from `git diff --unified=0`. */
export type ChangedLines = Map<string, [number, number][]>;

function unquoteGitPath(p: string): string {
  if (!p.startsWith('"')) return p;
  const inner = p.slice(1, p.endsWith('"') ? -1 : undefined);
  const bytes: number[] = [];
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = inner[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(inner.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(...Buffer.from(simple[next] ?? next, 'utf8'));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parses the new-side line ranges of a unified diff. */
export function parseDiff(diff: string): ChangedLines {
  const out: ChangedLines = new Map();
  let file: string | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const name = unquoteGitPath(line.slice(4).replace(/\t$/, ''));
      file = name === '/dev/null' ? undefined : name.startsWith('b/') ? name.slice(2) : name;
      if (file !== undefined && !out.has(file)) out.set(file, []);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && file !== undefined) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      if (count > 0) out.get(file)!.push([start, start + count - 1]);
    }
  }
  return out;
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', ['-c', 'core.quotePath=false', ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
}

/**
 * The lines a pull request changes, or a reason why they are unknown (not a pull request, or the
 * base commit is not in the checkout: `actions/checkout` needs `fetch-depth: 0` or `2`).
 */
export function changedLines(env: Env, cwd: string): ChangedLines | string {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (event !== 'pull_request' && event !== 'pull_request_target') return `not a pull request (event "${event || 'unknown'}")`;
  let base: string | undefined;
  try {
    const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as { pull_request?: { base?: { sha?: unknown } } };
    const sha = payload.pull_request?.base?.sha;
    if (typeof sha === 'string' && /^[0-9a-f]{7,64}$/i.test(sha)) base = sha;
  } catch {
    // No payload: try the merge commit's first parent below.
  }
  const candidates = [base, 'HEAD^1'].filter((c): c is string => c !== undefined);
  for (const candidate of candidates) {
    if (git(['cat-file', '-e', `${candidate}^{commit}`], cwd) === undefined) continue;
    const diff = git(['diff', '--no-color', '--no-ext-diff', '--unified=0', '--relative', '--src-prefix=a/', '--dst-prefix=b/', candidate, 'HEAD', '--'], cwd);
    if (diff !== undefined) return parseDiff(diff);
  }
  return 'the base commit is not in the checkout (use actions/checkout with fetch-depth: 0)';
}

export function onChangedLines(f: Pick<Finding, 'file' | 'line' | 'endLine'>, changed: ChangedLines): boolean {
  const ranges = changed.get(f.file);
  return ranges !== undefined && ranges.some(([a, b]) => f.line <= b && f.endLine >= a);
}

/** GitHub rejects a step summary over 1 MiB. */
export const SUMMARY_LIMIT = 1024 * 1024;

/** The summary cut at a section boundary to fit GitHub's limit, with a note, when it is too long. */
export function fitSummary(text: string, limit = SUMMARY_LIMIT): string {
  if (Buffer.byteLength(text, 'utf8') <= limit) return text;
  const note = '\n_The summary is cut here to fit GitHub\'s 1 MiB limit; the log (and the SARIF file) have every finding._\n';
  const room = limit - Buffer.byteLength(note, 'utf8');
  let head = Buffer.from(text, 'utf8').subarray(0, room).toString('utf8');
  // Whole lines only (a table stays a table), and never half a diagram: drop it with its heading.
  head = head.slice(0, head.lastIndexOf('\n') + 1);
  if ((head.match(/^```/gm) ?? []).length % 2 === 1) {
    const open = head.lastIndexOf('\n```');
    const heading = head.lastIndexOf('\n#### ', open);
    head = head.slice(0, (heading >= 0 ? heading : open) + 1);
  }
  return `${head}${note}`;
}

interface JsonReport {
  findings: Finding[];
  summary: Summary;
}

/** Runs the Action; returns the exit code (0 clean, 1 findings at or above fail-on, 2 failure). */
export async function runAction(io: ActionIO): Promise<number> {
  const { env, cwd } = io;
  const paths = splitPaths(getInput(env, 'paths') || '.');
  const config = getInput(env, 'config');
  const failOn = getInput(env, 'fail-on') || 'warning';
  const format = getInput(env, 'format') || 'stylish';
  const sarifFile = getInput(env, 'sarif-file');
  const baseline = getInput(env, 'baseline');
  const annotateInput = getInput(env, 'annotations') || 'changed';
  const allowPluginsInput = getInput(env, 'allow-plugins') || 'false';
  if (allowPluginsInput !== 'true' && allowPluginsInput !== 'false') {
    io.stdout(`::error title=sidecar-lint::${escapeData(`Invalid input allow-plugins: "${allowPluginsInput}"; expected true or false`)}\n`);
    return EXIT_FAILURE;
  }
  if (!(ANNOTATE_MODES as readonly string[]).includes(annotateInput)) {
    io.stdout(`::error title=sidecar-lint::${escapeData(`Invalid input annotations: "${annotateInput}"; expected one of ${ANNOTATE_MODES.join(', ')}`)}\n`);
    return EXIT_FAILURE;
  }
  // `format: github` prints every finding as an annotation itself.
  const annotate: AnnotateMode = format === 'github' ? 'none' : (annotateInput as AnnotateMode);

  const work = mkdtempSync(path.join(env.RUNNER_TEMP || os.tmpdir(), 'sidecar-lint-'));
  try {
    const reportFile = path.join(work, 'report.json');
    const summaryFile = path.join(work, 'summary.md');
    const argv = [
      '--format', format,
      '--format', 'json', '--output-file', reportFile,
      '--format', 'markdown', '--output-file', summaryFile,
      ...(sarifFile ? ['--format', 'sarif', '--output-file', sarifFile] : []),
      ...(config ? ['--config', config] : []),
      ...(baseline ? [`--baseline=${baseline}`] : []),
      ...(allowPluginsInput === 'true' ? ['--allow-plugins'] : []),
      '--fail-on', failOn,
      ...(format === 'stylish' && !env.NO_COLOR ? ['--color'] : []),
      '--',
      ...paths,
    ];
    let errors = '';
    const cli: CliIO = {
      stdout: io.stdout,
      stderr: (text) => {
        errors += text;
        io.stderr(text);
      },
      readStdin: async () => '',
      cwd,
      env,
      isTTY: false,
    };
    // The `config` input may name a file of the pull request: it does not allow plugins by itself.
    const code = await run(argv, cli, { explicitConfigAllowsPlugins: false, allowPluginsHint: 'set the allow-plugins input to true (only for a config the pull request cannot change)' });

    let report: JsonReport | undefined;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
    } catch {
      report = undefined;
    }
    if (code === EXIT_FAILURE) {
      const message = errors.trim().split('\n').slice(0, 20).join('\n') || 'sidecar-lint could not do its job';
      io.stdout(`::error title=sidecar-lint::${escapeData(message)}\n`);
    }
    if (!report) return code === 0 ? EXIT_FAILURE : code;

    if (annotate !== 'none') {
      let findings = report.findings;
      if (annotate === 'changed') {
        const changed = changedLines(env, cwd);
        if (typeof changed === 'string') {
          io.stdout(`Annotating every finding: ${changed}.\n`);
        } else {
          findings = findings.filter((f) => onChangedLines(f, changed));
          const elsewhere = report.findings.length - findings.length;
          if (elsewhere > 0) io.stdout(`${elsewhere} finding${elsewhere === 1 ? '' : 's'} outside the changed lines (see the job summary).\n`);
        }
      }
      for (const f of findings) io.stdout(`${annotation(f)}\n`);
    }

    if (env.GITHUB_STEP_SUMMARY) {
      try {
        appendFileSync(env.GITHUB_STEP_SUMMARY, fitSummary(readFileSync(summaryFile, 'utf8')));
      } catch (e) {
        io.stdout(`::warning title=sidecar-lint::${escapeData(`The job summary cannot be written (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`)}\n`);
      }
    }
    if (env.GITHUB_OUTPUT) {
      const s = report.summary;
      const outputs: [string, string][] = [
        ['findings', String(s.findings)],
        ['errors', String(s.errors)],
        ['warnings', String(s.warnings)],
        ['infos', String(s.infos)],
        ['suppressed', String(s.suppressed ?? 0)],
        ['baselined', String(s.baselined ?? 0)],
        ['sarif-file', sarifFile],
      ];
      appendFileSync(env.GITHUB_OUTPUT, outputs.map(([k, v]) => outputBlock(k, v)).join(''));
    }
    return code;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The process entry of action/index.js. */
export async function actionMain(): Promise<void> {
  // Library warnings may quote the input (a secret); they are not findings (see src/main.ts).
  process.removeAllListeners('warning');
  process.on('warning', () => {});
  try {
    process.exitCode = await runAction({
      env: process.env,
      cwd: process.cwd(),
      stdout: (text) => void process.stdout.write(text),
      stderr: (text) => void process.stderr.write(text),
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stdout.write(`::error title=sidecar-lint::${escapeData(`internal error: ${message.split('\n', 1)[0]}`)}\n`);
    process.exitCode = EXIT_FAILURE;
  }
}
