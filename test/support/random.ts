/**
 * Seeded randomness for generated-input tests: the same inputs on every run and machine, so that a
 * failure reproduces (no Math.random).
 */

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One to seven lines, each indented by 0-6 spaces and made of one to five pieces drawn from
 * `pieces`, joined by line feeds (no line break after the last: the caller adds one, or not).
 */
export function randomLines(next: () => number, pieces: readonly string[]): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * 7);
  for (let k = 0; k < count; k++) {
    let line = ' '.repeat(pick([0, 0, 1, 2, 2, 3, 4, 6]));
    const length = 1 + Math.floor(next() * 5);
    for (let j = 0; j < length; j++) line += pick(pieces);
    lines.push(line);
  }
  return lines.join('\n');
}
