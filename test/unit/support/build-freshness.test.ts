import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staleBuild } from '../../support/build-freshness';

describe('whether dist/ holds the sources as they are', () => {
  let root: string;
  const write = (file: string, at: number) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
    utimesSync(path.join(root, file), at, at);
  };
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'freshness-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('says so when there is no build', () => {
    write('src/a.ts', 1000);
    expect(staleBuild(root)).toBe('there is no dist/');
  });

  it('is fresh when every source is older than the build', () => {
    write('src/a.ts', 1000);
    write('tools/b.ts', 1000);
    write('dist/src/a.js', 2000);
    write('dist/tools/b.js', 2001);
    expect(staleBuild(root)).toBeUndefined();
  });

  it('names a source changed after the build, in any source folder', () => {
    write('dist/src/a.js', 2000);
    write('dist/console/console.js', 2000);
    write('console/src/main.ts', 3000);
    expect(staleBuild(root)).toBe(`${path.join('console', 'src', 'main.ts')} changed after dist/ was built`);
  });

  it('measures from the oldest file of the build', () => {
    write('dist/src/a.js', 2000);
    write('dist/src/b.js', 4000);
    write('src/a.ts', 3000);
    expect(staleBuild(root)).toBe(`${path.join('src', 'a.ts')} changed after dist/ was built`);
  });
});
