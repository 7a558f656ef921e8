/**
 * Issue 16, "Install routes that exist": the README shows routes that work today before the
 * registry and tag routes, and the release machinery (.github/workflows/release.yml, CHANGELOG.md,
 * RELEASING.md) makes a release one step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(read('.github/workflows/release.yml')) as { on: { push: { tags: string[] } }; jobs: Record<string, Job> };
const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : [])).join('\n');

describe('.github/workflows/release.yml', () => {
  it('runs on a v* tag', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
  });

  it('tests the commit and checks the committed bundle before publishing', () => {
    const test = workflow.jobs.test!;
    expect(runs(test)).toContain('npm test');
    expect(runs(test)).toContain('npm run test:slow');
    expect(runs(test)).toContain('node scripts/build.mjs');
    expect(runs(test)).toMatch(/git diff --exit-code .*-- dist\/ action\//);
    // The tag is the package's version, with a CHANGELOG section.
    expect(runs(test)).toContain('"v${version}"');
    expect(runs(test)).toContain('CHANGELOG.md');
  });

  it('publishes with npm provenance, only after the tests', () => {
    const publish = workflow.jobs.publish!;
    expect(publish.needs).toBe('test');
    expect(publish.permissions?.['id-token']).toBe('write');
    expect(runs(publish)).toMatch(/npm publish --provenance/);
  });

  it('moves the floating major tag (v0) after publishing', () => {
    const move = workflow.jobs['move-major-tag']!;
    expect(move.needs).toBe('publish');
    expect(move.permissions?.contents).toBe('write');
    expect(runs(move)).toContain('major="${GITHUB_REF_NAME%%.*}"');
    expect(runs(move)).toContain('git push -f origin "refs/tags/${major}"');
  });
});

describe('CHANGELOG.md and RELEASING.md', () => {
  it('has a section for the package version and an Unreleased one', () => {
    const changelog = read('CHANGELOG.md');
    expect(changelog).toContain('## [Unreleased]');
    expect(changelog).toContain(`## [${pkg.version}]`);
  });

  it('says how to release in one step', () => {
    const releasing = read('RELEASING.md');
    expect(releasing).toContain('git push origin v');
    expect(releasing).toContain('release.yml');
  });
});

describe('README install routes', () => {
  const readme = read('README.md');
  const install = readme.slice(readme.indexOf('## Install\n'), readme.indexOf('\n## Usage\n'));

  it('shows the routes that work today first, the registry and tags as "once released"', () => {
    const today = install.indexOf('**Works today**');
    const later = install.indexOf('**Once released**');
    expect(today).toBeGreaterThan(0);
    expect(later).toBeGreaterThan(today);
    for (const route of ['git clone https://github.com/sidecar-lint/sidecar-lint', 'npm install --global ./sidecar-lint', 'npm pack', '@<commit-sha>']) {
      const at = install.indexOf(route);
      expect(at, route).toBeGreaterThan(today);
      expect(at, route).toBeLessThan(later);
    }
    expect(install.indexOf('npx sidecar-lint k8s/')).toBeGreaterThan(later);
  });

  it('gives the Action and pre-commit a commit sha, a tag only as "once released"', () => {
    for (const line of readme.split('\n')) {
      // Workflow and config snippets (indented YAML) pin a commit.
      if (/^\s+(- )?uses: sidecar-lint\/sidecar-lint@|^\s*rev: /.test(line)) expect(line, line).toMatch(/<commit-sha>/);
    }
  });
});
