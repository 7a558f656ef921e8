// The GitHub Action's entry (action.yml). The code is in the committed bundle dist/sidecar-lint.js,
// built from src/action.ts by `npm run build`; nothing is installed or fetched at run time.
import { actionMain } from '../dist/sidecar-lint.js';

await actionMain();
