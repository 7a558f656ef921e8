/** `displayPaths` (a walk's files, a directory's display path worked out once) gives what `displayPath` gives. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayPath, displayPaths } from '../../../src/input/discover.js';

const CWD = '/work/repo';
const FILES = [
  '/work/repo/a.yaml',
  '/work/repo/deploy/app.yaml',
  '/work/repo/deploy/app.yml',
  '/work/repo/.github/workflows/ci.yaml',
  '/work/repo/deploy/.hidden/x.yaml',
  '/work/repo/weird\u0007dir/b\u202e.yaml',
  '/work/other/c.yaml',
  '/tmp/outside/d.json',
  '/work/repo',
  '/work/repo/',
  '/x.yaml',
  '/',
  '/work/repository/e.yaml',
  '/work/repo/x/..',
  '/work/repo/x/.',
  '/work/repo/./y.yaml',
  '/work/repo/z/../y.yaml',
  '/work//repo/w.yaml',
  `/work/repo/${Array.from({ length: 40 }, (_, i) => `d${i}`).join('/')}/deep.yaml`,
  `/work/repo/${Array.from({ length: 40 }, (_, i) => `d${i}`).join('/')}/d40/deeper.yaml`,
];

describe('displayPaths', () => {
  it.each([CWD, '/work', '/', '/work/repo/deploy', '/tmp'])('gives displayPath for every file (cwd %s)', (cwd) => {
    const display = displayPaths(cwd);
    for (const file of [...FILES, ...FILES]) expect([file, display(file)]).toEqual([file, displayPath(file, cwd)]);
  });

  it('shows a file in a walked directory relative to the working directory', () => {
    expect(displayPaths(CWD)(path.join(CWD, 'deploy', 'app.yaml'))).toBe('deploy/app.yaml');
    expect(displayPaths('/work/repo/deploy')('/work/repo/a.yaml')).toBe('../a.yaml');
  });
});
