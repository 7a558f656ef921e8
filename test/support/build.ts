/** Builds dist/ once before the suites that spawn the real CLI (the `slow` project and the corpus suites; never for `npm test`). */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
