/**
 * The GitHub Action (action.yml → action/index.js, bundled from here by `npm run build:action`).
 *
 * It runs the CLI's `run()` in-process with the inputs turned into arguments (never through a shell;
 * paths come after `--`, so none is read as an option), and then does what only an Action does:
 * annotations (workflow commands) for the findings on the pull request's changed lines, the Markdown
 * report as the job summary ($GITHUB_STEP_SUMMARY), and step outputs ($GITHUB_OUTPUT). Everything
 * happens on the runner: no network.
 *
 * Room app: must not import .
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXIT_FAILURE, run, type CliIO } from './cli.js';
import { annotation, escapeData } from '../format/github.js';
import type { Finding, Summary } from '../types.js';

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
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const next = inner[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(inner.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      for (const b of Buffer.from(simple[next] ?? next, 'utf8')) bytes.push(b);
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
 * What to set when the pull request's base commit is not in the checkout (README and action.yml say
 * the same).
 */
export const FETCH_DEPTH_ADVICE =
  'set fetch-depth: 2 on actions/checkout for its default pull_request checkout (a merge commit), or fetch-depth: 0 when the workflow checks out the pull request head';

const SHA = /^[0-9a-f]{7,64}$/i;

/**
 * The lines a pull request changes, or a reason why they are unknown. The base is the pull request's
 * base commit from the event payload (`pull_request.base.sha`), compared from the merge base
 * (`base...HEAD`), so every commit of the pull request counts whatever is checked out: the merge
 * commit `actions/checkout` makes on `pull_request`, or the pull request head. When that commit is
 * not in the checkout, a merge commit of the pull request's head (`HEAD^2` is `pull_request.head.sha`)
 * is compared with its first parent, the base branch it was made on; anything else is unknown (never
 * `HEAD^1` of the head: that would be the pull request's previous commit only).
 */
export function changedLines(env: Env, cwd: string): ChangedLines | string {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (event !== 'pull_request' && event !== 'pull_request_target') return `not a pull request (event "${event || 'unknown'}")`;
  let base: string | undefined;
  let head: string | undefined;
  try {
    const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as { pull_request?: { base?: { sha?: unknown }; head?: { sha?: unknown } } };
    const b = payload.pull_request?.base?.sha;
    const h = payload.pull_request?.head?.sha;
    if (typeof b === 'string' && SHA.test(b)) base = b;
    if (typeof h === 'string' && SHA.test(h)) head = h;
  } catch {
    // No payload: unknown below.
  }
  if (base === undefined) return 'the event payload names no pull request base commit (pull_request.base.sha)';
  const diff = (from: string, range: string) =>
    git(['cat-file', '-e', `${from}^{commit}`], cwd) === undefined
      ? undefined
      : git(['diff', '--no-color', '--no-ext-diff', '--unified=0', '--relative', '--src-prefix=a/', '--dst-prefix=b/', range, '--'], cwd);
  const fromBase = diff(base, `${base}...HEAD`);
  if (fromBase !== undefined) return parseDiff(fromBase);
  if (head !== undefined) {
    const second = git(['rev-parse', '--verify', '-q', 'HEAD^2'], cwd)?.trim();
    if (second !== undefined && second.toLowerCase().startsWith(head.toLowerCase())) {
      const fromParent = diff('HEAD^1', 'HEAD^1...HEAD');
      if (fromParent !== undefined) return parseDiff(fromParent);
    }
  }
  return `the pull request's base commit ${base.slice(0, 12)} is not in the checkout: ${FETCH_DEPTH_ADVICE}`;
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

/** The command-line options the Action sets from an input, by the input's name. */
const INPUT_OPTIONS: Readonly<Record<string, string>> = {
  '--fail-on': 'fail-on',
  '--format': 'format',
  '--config': 'config',
  '--baseline': 'baseline',
  '--allow-plugins': 'allow-plugins',
  '--allow-empty': 'allow-empty',
};

/**
 * The CLI's error lines as the Action's own: without the `sidecar-lint: ` prefix (the annotation's
 * title says it), without the pointer to `--help` (the Action has no such option), and with the
 * options the Action sets named as its inputs (`--allow-empty` is the allow-empty input).
 */
export function actionErrorText(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .slice(0, 20)
    .map((line) =>
      line
        .replace(/^sidecar-lint: /, '')
        .replace(/\.? Run 'sidecar-lint --help' for usage\.$/, '.')
        .replace(/ \(pass --allow-empty to accept that\)$/, ' (check the paths input, or set the allow-empty input to true to accept that)')
        .replace(/(^|[\s'"(])(--[a-z-]+)(?=[\s'":=,;)]|$)/g, (whole, before: string, option: string) =>
          Object.hasOwn(INPUT_OPTIONS, option) ? `${before}input ${INPUT_OPTIONS[option]}` : whole,
        ),
    )
    .join('\n');
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
  const allowEmptyInput = getInput(env, 'allow-empty') || 'false';
  for (const [name, value] of [['allow-plugins', allowPluginsInput], ['allow-empty', allowEmptyInput]] as const) {
    if (value !== 'true' && value !== 'false') {
      io.stdout(`::error title=sidecar-lint::${escapeData(`Invalid input ${name}: "${value}"; expected true or false`)}\n`);
      return EXIT_FAILURE;
    }
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
      ...(allowEmptyInput === 'true' ? ['--allow-empty'] : []),
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
      const message = actionErrorText(errors) || 'sidecar-lint could not do its job';
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
