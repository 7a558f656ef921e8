/**
 * The command line: arguments → inputs → findings → formatted text. `run()` returns the exit code
 * (0 clean, 1 findings at or above --fail-on, 2 the tool could not do its job); it never exits.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { builtinRules } from '../rules/index.js';
import { discover } from './discover.js';
import { DEFAULT_SETTINGS, lintText, SYNTAX_RULES, type EnabledRule } from './engine.js';
import { FORMAT_NAMES, formatters } from './format/index.js';
import { addStats, compareFindings, emptyStats, SEVERITY_RANK, summarize, type Finding, type Severity } from './types.js';
import { VERSION } from './version.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether standard output is a terminal (for colour). */
  isTTY: boolean;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;

const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
type FailOn = (typeof FAIL_ON)[number];

const HELP = `Usage: sidecar-lint [options] <file|dir|glob|->...

Lints Kubernetes manifests for the sidecar pattern and secret hygiene.

Arguments:
  file, dir, glob        Files, directories (searched for *.yaml, *.yml, *.json; .gitignore,
                         node_modules and .git are skipped) and glob patterns
  -                      Read a manifest from standard input

Options:
  -f, --format <name>    Output format: ${FORMAT_NAMES.join(', ')} (default: stylish)
      --fail-on <level>  Exit 1 when a finding is at or above: error, warning, info, none
                         (default: warning)
      --stdin-filename <name>
                         File name to show for standard input (default: <stdin>)
      --color, --no-color
                         Force or disable colour (default: on for a terminal; NO_COLOR disables)
      --list-rules       List the rules with their default severity and exit
  -h, --help             Show this help and exit
  -v, --version          Show the version and exit

Exit codes: 0 no finding reaches --fail-on, 1 at least one does, 2 the tool could not do its job.
`;

class UsageError extends Error {}

interface CliOptions {
  format: string;
  failOn: FailOn;
  stdinFilename: string;
  color: boolean | undefined;
  listRules: boolean;
  help: boolean;
  version: boolean;
  paths: string[];
}

function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        'fail-on': { type: 'string' },
        'stdin-filename': { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'list-rules': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    const message = (e instanceof Error ? e.message.split('\n', 1)[0]! : String(e))
      .replace(/\. To specify a positional argument.*$/, '')
      .replace(/^Option '(--[\w-]+)' argument is ambiguous\.?$/, "Option '$1' needs a value (for a value starting with a dash, write $1=value)")
      .replace(/\.+$/, '');
    throw new UsageError(message);
  }
  const v = parsed.values;
  const format = v.format ?? 'stylish';
  if (!Object.hasOwn(formatters, format)) {
    throw new UsageError(`Unknown format '${format}'; expected one of ${FORMAT_NAMES.join(', ')}`);
  }
  const failOn = (v['fail-on'] ?? 'warning') as FailOn;
  if (!FAIL_ON.includes(failOn)) {
    throw new UsageError(`Invalid --fail-on '${String(v['fail-on'])}'; expected one of ${FAIL_ON.join(', ')}`);
  }
  return {
    format,
    failOn,
    stdinFilename: v['stdin-filename'] ?? '<stdin>',
    color: v['no-color'] ? false : v.color ? true : undefined,
    listRules: v['list-rules'] ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
    paths: parsed.positionals,
  };
}

function listRules(): string {
  const rows: [string, string, string][] = builtinRules.map((r) => [r.meta.id, r.meta.defaultSeverity, r.meta.description]);
  for (const [id, meta] of Object.entries(SYNTAX_RULES)) rows.push([id, meta.severity, meta.description]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return `${rows.map(([id, sev, desc]) => `${id.padEnd(w0)}  ${sev.padEnd(w1)}  ${desc}`).join('\n')}\n`;
}

function useColor(option: boolean | undefined, io: CliIO): boolean {
  if (option !== undefined) return option;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}

function reaches(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`sidecar-lint: ${e.message}. Run 'sidecar-lint --help' for usage.\n`);
      return EXIT_FAILURE;
    }
    throw e;
  }
  if (options.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (options.listRules) {
    io.stdout(listRules());
    return EXIT_OK;
  }
  if (options.paths.length === 0) {
    io.stderr(`sidecar-lint: no input; give files, directories, globs, or - for standard input. Run 'sidecar-lint --help' for usage.\n`);
    return EXIT_FAILURE;
  }

  const rules: EnabledRule[] = builtinRules.map((rule) => ({ rule, severity: rule.meta.defaultSeverity, options: {} }));
  const lintOptions = { rules, settings: DEFAULT_SETTINGS };
  const fileArgs = options.paths.filter((p) => p !== '-');
  const wantsStdin = fileArgs.length !== options.paths.length;
  const { inputs, errors } = await discover(fileArgs, io.cwd);
  if (errors.length > 0 || (!wantsStdin && inputs.length === 0)) {
    // Nothing is linted when a path argument is wrong: a partial report would look like a pass.
    if (errors.length === 0) errors.push(`${fileArgs.join(', ')}: no *.yaml, *.yml or *.json files found`);
    for (const e of errors) io.stderr(`sidecar-lint: ${e}\n`);
    return EXIT_FAILURE;
  }
  const problems: string[] = [];

  const findings: Finding[] = [];
  const stats = emptyStats();
  const lint = (text: string, file: string) => {
    const result = lintText(text, file, lintOptions);
    findings.push(...result.findings);
    addStats(stats, result.stats);
  };
  if (wantsStdin) lint(await io.readStdin(), options.stdinFilename);
  for (const input of inputs) {
    let text: string;
    try {
      text = await readFile(input.absolute, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push(`${input.display}: cannot be read (${code ?? 'unknown error'})`);
      continue;
    }
    lint(text, input.display);
  }
  findings.sort(compareFindings);
  const report = { findings, summary: summarize(findings, stats) };
  io.stdout(formatters[options.format]!(report, { color: useColor(options.color, io) }));
  for (const p of problems) io.stderr(`sidecar-lint: ${p}\n`);
  if (problems.length > 0) return EXIT_FAILURE;
  return findings.some((f) => reaches(f.severity, options.failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/** Standard process I/O for `run()`. */
export function processIO(): CliIO {
  // A reader that goes away (`sidecar-lint … | head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') process.exitCode = EXIT_FAILURE;
    });
  }
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
}
