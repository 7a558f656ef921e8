/**
 * The rooms of src/ and what each may import. The data path reads from the tree: input (files and
 * renders) → yaml (text → documents, values, positions) → model (objects, workloads) → run (engine,
 * suppressions, phases, threads) → format (reports); config builds what a run is given; app holds the
 * front ends (command line, Action, language server). The files at the root of src/ are the rule API
 * and shared types (rule.ts, types.ts, safe-text.ts, version.ts) and the bundle's entry (main.ts).
 *
 * Every module states its room's rule in its header; this test checks the rule and the header agree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

type Room = 'yaml' | 'model' | 'input' | 'config' | 'run' | 'format' | 'app' | 'rules';
const ROOMS: readonly Room[] = ['yaml', 'model', 'input', 'config', 'run', 'format', 'app', 'rules'];

/** What each room may import besides itself and the root modules (value imports; `types` also as types only). */
const MAY: Record<Room, { values: readonly Room[]; types?: readonly Room[] }> = {
  yaml: { values: [] },
  model: { values: ['yaml'] },
  input: { values: ['yaml', 'model'], types: ['run'] },
  config: { values: ['yaml', 'model', 'input', 'rules'] },
  run: { values: ['yaml', 'model', 'input', 'config'] },
  format: { values: ['config', 'rules'], types: ['model'] },
  app: { values: ['yaml', 'model', 'input', 'config', 'run', 'format', 'rules'] },
  rules: { values: ['model'] },
};

/** The sentence each module of a room carries in its header. */
export function roomSentence(room: Room): string {
  const may = MAY[room];
  const not = ROOMS.filter((r) => r !== room && !may.values.includes(r));
  const list = (rooms: readonly string[]) => rooms.map((r) => (r === 'rules' ? 'rules/' : r)).join(', ');
  const typesOnly = (may.types ?? []).length > 0 ? ` (types only from ${list(may.types ?? [])})` : '';
  return `Room ${room}: must not import ${list(not)}${typesOnly}.`;
}

function files(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
}

function roomOf(file: string): Room | 'root' | undefined {
  const parts = file.split('/');
  if (parts[0] === 'rules') return 'rules';
  if (parts[0] !== 'src') return undefined;
  if (parts.length === 2) return 'root';
  return parts[1] as Room;
}

interface Import { target: string; typeOnly: boolean; line: number }

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out: Import[] = [];
  const re = /^(?:import|export)\s+(type\s+)?(?:[^;'"]*?\s+from\s+)?'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[2] ?? m[3]!;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
    out.push({ target, typeOnly: m[1] !== undefined, line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

const SOURCES = [...files('src'), ...files('rules')];

describe('rooms of src/', () => {
  it('has exactly the rooms the table lists, and every module of src/ is in one of them or at the root', () => {
    const rooms = new Set(files('src').map(roomOf));
    expect([...rooms].sort()).toEqual(['app', 'config', 'format', 'input', 'model', 'root', 'run', 'yaml']);
  });

  it.each(SOURCES.filter((f) => roomOf(f) !== 'root'))('%s imports only what its room may', (file) => {
    const room = roomOf(file) as Room;
    const bad = importsOf(file).flatMap(({ target, typeOnly, line }) => {
      const to = roomOf(target);
      if (to === undefined || to === 'root' || to === room) return [];
      const may = MAY[room];
      if (may.values.includes(to) || (typeOnly && may.types?.includes(to))) return [];
      return [`${file}:${line} imports ${target} (room ${to})`];
    });
    expect(bad).toEqual([]);
  });

  it.each(files('src').filter((f) => roomOf(f) !== 'root'))('%s says its room rule in its header', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const header = /^\/\*\*[\s\S]*?\*\//.exec(text)?.[0] ?? '';
    expect(header.replace(/\n \* ?/g, ' ')).toContain(roomSentence(roomOf(file) as Room));
  });

  it('the root modules (the rule API and shared types) import no room but the model, and only its types', () => {
    const bad = files('src')
      .filter((f) => roomOf(f) === 'root' && f !== 'src/main.ts')
      .flatMap((file) => importsOf(file).filter((i) => i.target !== 'package.json' && roomOf(i.target) !== 'root' && !(roomOf(i.target) === 'model' && i.typeOnly)).map((i) => `${file}:${i.line} imports ${i.target}`));
    expect(bad).toEqual([]);
  });
});
