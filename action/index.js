// The GitHub Action's entry (action.yml). The code is in the committed bundle dist/sidecar-lint.cjs,
// built from src/action.ts by `npm run build`; nothing is installed or fetched at run time.
import { createRequire } from 'node:module';

const { actionMain } = createRequire(import.meta.url)('../dist/sidecar-lint.cjs');

await actionMain();
