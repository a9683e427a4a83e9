import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../tools/project-root';
import { blocksOf, documentedBlocks, promisedOutput } from '../../support/doc-blocks';

const blocks = documentedBlocks(projectRoot());
const where = (b: { doc: string; line: number }) => `${b.doc}:${b.line}`;

describe('the code blocks of README.md and docs/', () => {
  it('each say whether a test runs them or why not', () => {
    expect(blocks.filter((b) => !b.marker).map(where)).toEqual([]);
  });

  it('run in a shell when they are run, and are JavaScript when they are files', () => {
    expect(blocks.filter((b) => b.marker?.kind === 'run' && b.lang !== 'sh').map(where)).toEqual([]);
    expect(blocks.filter((b) => b.marker?.kind === 'file' && b.lang !== 'js').map(where)).toEqual([]);
  });

  it('show bot output only after a block that is run', () => {
    const orphans = blocks.filter((b, i) => b.marker?.kind === 'bot output' && !blocks.slice(0, i).some((a) => a.doc === b.doc && a.marker?.kind === 'run'));
    expect(orphans.map(where)).toEqual([]);
  });

  it('are run on every page that walks a user through commands', () => {
    const run = new Set(blocks.filter((b) => b.marker?.kind === 'run').map((b) => b.doc));
    expect([...run].sort()).toEqual(['README.md', 'docs/clients.md', 'docs/emulator.md', 'docs/faults.md']);
  });
});

describe('reading a page', () => {
  it('finds fenced blocks, their language and the marker above them', () => {
    const page = ['Intro', '<!-- doc-test: run -->', '', '```sh', 'curl x', '```', '```', 'plain', '```', '<!-- doc-test: illustrative: needs Azure -->', '```json', '{}', '```'].join('\n');
    expect(blocksOf('p.md', page)).toEqual([
      { doc: 'p.md', line: 4, lang: 'sh', code: 'curl x', marker: { kind: 'run' } },
      { doc: 'p.md', line: 7, lang: '', code: 'plain', marker: undefined },
      { doc: 'p.md', line: 11, lang: 'json', code: '{}', marker: { kind: 'illustrative', why: 'needs Azure' } },
    ]);
  });

  it('refuses a marker it does not know, and an illustrative one without a reason', () => {
    expect(blocksOf('p.md', '<!-- doc-test: runs -->\n```sh\nx\n```')[0]?.marker).toBeUndefined();
    expect(blocksOf('p.md', '<!-- doc-test: illustrative: -->\n```sh\nx\n```')[0]?.marker).toBeUndefined();
  });

  it('reads what the comments of a block promise its output holds', () => {
    const code = [
      `curl -s $G/$CALL/playPrompt -d '{}'`,
      `# {..."@odata.type":"#microsoft.graph.playPromptOperation","status":"notStarted","id":"…",...}`,
      `curl -s -w '%{http_code}\\n' -X POST $G/$CALL/keepAlive     # 200`,
      `# running`,
      `echo hi   # not a promise`,
    ].join('\n');
    expect(promisedOutput(code)).toEqual([
      { text: '"@odata.type":"#microsoft.graph.playPromptOperation"', where: 'anywhere' },
      { text: '"status":"notStarted"', where: 'anywhere' },
      { text: '200', where: 'line end' },
      { text: 'running', where: 'line' },
    ]);
  });
});
