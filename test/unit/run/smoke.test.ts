import { describe, expect, it } from 'vitest';
import { lint, positions } from '../../support/lint.js';

describe('engine smoke', () => {
  it('reports a credential key in a ConfigMap at its entry', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DB_PASSWORD: hunter2\n';
    expect(positions(lint(text))).toEqual(['configmap-sensitive-data@6:3']);
  });
});
