#!/usr/bin/env node
import { main } from '../dist/sidecar-lint.js';

await main();
