import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/host-process';

/**
 * The rules docs/architecture.md states, checked on the source: a rule the code breaks fails here,
 * naming the file. Imports are read from the text (`import … from`, `export … from`); an
 * `import type` is erased by the compiler, so it never makes a cycle or a layer break at run time.
 */

interface SourceFile {
  /** Relative to the project root, with forward slashes: `src/notify/drain.ts`. */
  readonly file: string;
  readonly text: string;
  readonly lines: number;
}

interface Import {
  readonly from: string;
  /** A project file (resolved) or a package name. */
  readonly to: string;
  readonly typeOnly: boolean;
}

const LINE_LIMIT = 250;

/**
 * Files over the limit today, each to be split by concept: the list may only shrink (a file listed
 * here that is already under the limit fails the test, so the list stays true).
 */
const OVER_THE_LIMIT = new Set<string>([]);

function sourceFiles(...folders: string[]): SourceFile[] {
  const found: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
        found.push({ file: rel, text, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) });
      }
    }
  };
  for (const folder of folders) if (fs.existsSync(path.join(ROOT, folder))) walk(folder);
  return found;
}

function importsOf(source: SourceFile): Import[] {
  const found: Import[] = [];
  for (const m of source.text.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s+'([^']+)'/gm)) {
    const [, typeKeyword, names = '', specifier = ''] = m;
    // `import { type A, type B } from` is erased as a whole, like `import type { A, B } from`.
    const named = /^\{([^}]*)\}$/.exec(names.trim())?.[1]?.split(',').map((n) => n.trim()).filter(Boolean);
    const typeOnly = typeKeyword !== undefined || (named !== undefined && named.length > 0 && named.every((n) => n.startsWith('type ')));
    found.push({ from: source.file, to: specifier.startsWith('.') ? resolve(source.file, specifier) : specifier, typeOnly });
  }
  return found;
}

function resolve(from: string, specifier: string): string {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base]) if (fs.existsSync(path.join(ROOT, candidate))) return candidate;
  return base;
}

/** `src/notify/drain.ts` → `notify`; a file directly in src/ is its own folder (`config`). */
const folderOf = (file: string) => file.replace(/^src\//, '').replace(/\.ts$/, '').split('/')[0] ?? file;

/** Strongly connected components of more than one node (Tarjan): each is a cycle. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v) ?? 0, order.get(w) ?? 0));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) component.push(w);
      } while (w !== undefined && w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!order.has(v)) visit(v);
  return found;
}

const src = sourceFiles('src');
const runtimeImports = src.flatMap(importsOf).filter((i) => !i.typeOnly && i.to.startsWith('src/'));

function edgesBy(key: (file: string) => string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of runtimeImports) {
    const [a, b] = [key(from), key(to)];
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)?.add(b);
  }
  return edges;
}

/** Runtime imports from one src/ folder into others. */
const importsFrom = (folder: string) => runtimeImports.filter((i) => folderOf(i.from) === folder && folderOf(i.to) !== folder);

describe('the architecture (docs/architecture.md)', () => {
  it('has no import cycle between the folders of src/', () => {
    expect(cycles(edgesBy(folderOf))).toEqual([]);
  });

  it('has no import cycle between the files of src/', () => {
    expect(cycles(edgesBy((file) => file))).toEqual([]);
  });

  it('keeps the storage SDKs in src/store/', () => {
    const outside = [...src, ...sourceFiles('functions')]
      .flatMap(importsOf)
      .filter((i) => /^@azure\/(data-tables|storage-queue)$/.test(i.to) && !i.from.startsWith('src/store/'));
    expect(outside.map((i) => `${i.from} imports ${i.to}`)).toEqual([]);
  });

  it('reaches a table only through store/: no code outside it reads a store’s table', () => {
    const reaching = src.filter((f) => !f.file.startsWith('src/store/') && /\.table\b(?!\s*\()/.test(f.text)).map((f) => f.file);
    expect(reaching).toEqual([]);
  });

  it('keeps the domain pure: calls/ imports no other folder of the service, no SDK, no I/O', () => {
    const imports = src.filter((f) => f.file.startsWith('src/calls/')).flatMap(importsOf);
    expect(imports.filter((i) => !i.to.startsWith('src/calls/') && i.to !== 'zod').map((i) => `${i.from} imports ${i.to}`)).toEqual([]);
  });

  it('lets no layer call up: store/ below service/, service/ below notify/, the composition root above them', () => {
    const breaks = [
      ...importsFrom('store').filter((i) => ['service', 'notify', 'api', 'app'].includes(folderOf(i.to))),
      ...importsFrom('service').filter((i) => ['notify', 'api', 'app'].includes(folderOf(i.to))),
      ...importsFrom('notify').filter((i) => ['api', 'app'].includes(folderOf(i.to))),
      ...importsFrom('graph').filter((i) => !['graph', 'calls'].includes(folderOf(i.to))),
    ];
    expect(breaks.map((i) => `${i.from} imports ${i.to}`)).toEqual([]);
  });

  it(`keeps every file under ${LINE_LIMIT} lines`, () => {
    const files = sourceFiles('src', 'functions', 'tools', 'console/src', 'test');
    const over = files.filter((f) => f.lines >= LINE_LIMIT && !OVER_THE_LIMIT.has(f.file)).map((f) => `${f.file}: ${f.lines} lines`);
    expect(over).toEqual([]);
    const split = [...OVER_THE_LIMIT].filter((file) => (files.find((f) => f.file === file)?.lines ?? 0) < LINE_LIMIT);
    expect(split, 'files split since: take them off OVER_THE_LIMIT').toEqual([]);
  });
});
