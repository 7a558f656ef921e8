// Measuring commands for the bench scripts (scripts/bench.mjs, scripts/bench-hostile.mjs): wall
// time, CPU time and peak RSS of a child process, in rounds. Not a test: it judges nothing.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Helpers that keep their files in `tmp` (the caller's temporary directory) and, by default, time
 * `runs` rounds. `outputs` holds each command's stdout under its `key`.
 */
export function measurer(tmp, runs) {
  // Peak RSS of a child: a preloaded module records process.resourceUsage().maxRSS at exit.
  const rssHook = path.join(tmp, 'rss.mjs');
  writeFileSync(
    rssHook,
    `import { writeFileSync } from 'node:fs';
process.on('exit', () => { if (process.env.BENCH_RSS_FILE) { const u = process.resourceUsage(); writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ rss: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 })); } });
`,
  );

  const outputs = new Map();

  /**
   * One run of a command: its wall time and, with `rss`, its peak RSS (recorded by a preloaded
   * module, which costs a few milliseconds of start-up: the start-up figures are timed without it).
   * Its stdout is kept under `spec.key`; `spec.input` is written to its standard input.
   */
  function runOnce(spec, rss = true) {
    const rssFile = path.join(tmp, `rss-${spec.name.replace(/\W+/g, '-')}`);
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [...(spec.nodeFlags ?? []), ...(rss ? ['--import', rssHook] : []), ...spec.args], {
      env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: '1', ...spec.env },
      maxBuffer: 1 << 30,
      input: spec.input,
      // Only an output that is compared is kept: a large one (200,000 findings: 132 MB of JSON) held
      // here would raise this process's RSS, which every later child inherits into its peak RSS
      // (Linux keeps the peak across fork and exec), masking their own.
      stdio: [spec.input === undefined ? 'ignore' : 'pipe', spec.key ? 'pipe' : 'ignore', 'pipe'],
    });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0 && r.status !== 1) {
      console.error(`bench: ${spec.name}: ${spec.args.join(' ')} exited ${r.status ?? r.signal}: ${String(r.stderr).slice(0, 500)}`);
      process.exit(2);
    }
    if (spec.key) outputs.set(spec.key, r.stdout);
    const usage = rss ? JSON.parse(readFileSync(rssFile, 'utf8')) : { rss: 0, cpu: 0 };
    return { wall, rss: usage.rss / 1024, cpu: usage.cpu };
  }

  /**
   * Runs every command once to warm the file cache, then `rounds` rounds of all of them in turn, so
   * that a machine that gets busier or quieter during the bench weighs on every command alike.
   * Returns, per command, the median wall time, the median CPU time (user + system, seconds; 0 when
   * `bare`), the highest peak RSS and each round's wall time and CPU time (in round order). With
   * `bare`, the timed rounds run the command exactly as given (no RSS hook) and the peak RSS comes
   * from three more runs.
   */
  function measureAll(specs, rounds = runs, bare = false) {
    for (const spec of specs) runOnce(spec);
    const samples = specs.map(() => []);
    for (let round = 0; round < rounds; round++) specs.forEach((spec, i) => samples[i].push(runOnce(spec, !bare)));
    return specs.map((spec, i) => {
      const walls = samples[i].map((x) => x.wall);
      const sorted = [...walls].sort((a, b) => a - b);
      const rssRuns = bare ? [0, 1, 2].map(() => runOnce(spec)) : samples[i];
      const cpuRounds = samples[i].map((x) => x.cpu);
      const cpus = [...cpuRounds].sort((a, b) => a - b);
      return { wall: sorted[Math.floor(sorted.length / 2)], cpu: cpus[Math.floor(cpus.length / 2)], rss: Math.max(...rssRuns.map((x) => x.rss)), walls, cpuRounds };
    });
  }

  return { measureAll, outputs };
}
