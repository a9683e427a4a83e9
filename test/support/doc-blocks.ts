import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The fenced code blocks of README.md and docs/*.md, each with the marker on the line before it
 * that says what the docs tests do with it:
 *   <!-- doc-test: run -->                 a shell block run against a started service, in order
 *   <!-- doc-test: file <name> -->         written to <name> in the project folder before the run blocks
 *   <!-- doc-test: bot output -->          what the sample bot printed for the run blocks before it
 *   <!-- doc-test: illustrative: <why> --> shown, not run (needs Azure, an output, a fragment...)
 */
export type Marker = { readonly kind: 'run' } | { readonly kind: 'file'; readonly name: string } | { readonly kind: 'bot output' } | { readonly kind: 'illustrative'; readonly why: string };

export interface DocBlock {
  /** Relative to the project root, e.g. docs/faults.md. */
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  readonly marker: Marker | undefined;
}

const MARKER = /^<!--\s*doc-test:\s*(.*?)\s*-->$/;

export function parseMarker(text: string): Marker | undefined {
  if (text === 'run') return { kind: 'run' };
  if (text === 'bot output') return { kind: 'bot output' };
  const file = /^file\s+(\S+)$/.exec(text);
  if (file?.[1]) return { kind: 'file', name: file[1] };
  const illustrative = /^illustrative:\s*(\S.*)$/.exec(text);
  if (illustrative?.[1]) return { kind: 'illustrative', why: illustrative[1] };
  return undefined;
}

export function blocksOf(doc: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\S*)/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const close = lines.findIndex((l, j) => j > i && l.trimEnd() === `${indent}${fence}`);
    const end = close === -1 ? lines.length : close;
    let before = i - 1;
    while (before >= 0 && lines[before]?.trim() === '') before--;
    const markerText = MARKER.exec(lines[before]?.trim() ?? '')?.[1];
    const code = lines
      .slice(i + 1, end)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join('\n');
    blocks.push({ doc, line: i + 1, lang, code, marker: markerText === undefined ? undefined : parseMarker(markerText) });
    i = end;
  }
  return blocks;
}

/** README.md and every docs/*.md, in that order. */
export function documentedBlocks(root: string): DocBlock[] {
  const docs = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
  return docs.flatMap((doc) => blocksOf(doc, readFileSync(path.join(root, doc), 'utf8')));
}

/** A piece of output a run block's comments promise: a text somewhere in it, a whole line, or a line's end. */
export interface Promised {
  readonly text: string;
  readonly where: 'anywhere' | 'line' | 'line end';
}

/**
 * What a run block's comments promise its output holds: every `"name":value` pair written in a
 * `# …` comment (values elided with … are skipped); the HTTP status a `-w '%{http_code}'` line's
 * comment starts with; and a full-line comment of one word (`# running`) is an output line.
 */
export function promisedOutput(code: string): Promised[] {
  const promised: Promised[] = [];
  for (const line of code.split('\n')) {
    const comment = /(?:^|\s)#\s(.*)$/.exec(line)?.[1];
    if (!comment) continue;
    for (const pair of comment.matchAll(/"[^"]+":(?:"[^"…]*"|-?\d+(?:\.\d+)?|true|false)(?=[,}\]\s]|$)/g)) promised.push({ text: pair[0], where: 'anywhere' });
    const status = /http_code/.test(line) ? /^(\d{3})\b/.exec(comment)?.[1] : undefined;
    if (status) promised.push({ text: status, where: 'line end' }); // curl prints it after the body
    if (/^#\s/.test(line.trim()) && /^[\w.-]+$/.test(comment.trim())) promised.push({ text: comment.trim(), where: 'line' });
  }
  return promised;
}
