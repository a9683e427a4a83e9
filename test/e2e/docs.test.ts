import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../tools/ports';
import { documentedBlocks, promisedOutput, type DocBlock, type Promised } from '../support/doc-blocks';
import { eventually } from '../support/eventually';
import { ROOT, runStartScript, startBotProcess, type HostProcess } from '../support/host-process';
import { isolatedSettings } from '../support/storage';

// README.md and docs/ as a user follows them: `npm start`, the sample bot of README, then each page's
// runnable blocks pasted into one shell, in order, in the project folder. Only the addresses change
// (free ports instead of 7071, 7443 and 7072). What a block's comments promise is in its output, and
// what a page shows the bot printing is what it printed. See test/support/doc-blocks.ts for markers.
const DOC_APP = '11111111-1111-1111-1111-111111111111';
const pages = [...new Set(documentedBlocks(ROOT).filter((b) => b.marker?.kind === 'run').map((b) => b.doc))];

let service: HostProcess;
let addresses: Map<string, string>;
beforeAll(async () => {
  // The project's own CA folder, as for a user: the pages say .local/ca/ca.pem.
  // The table and queue names of local.settings.example.json too: this run's Azurite is its own.
  const { CALLS_TABLE: _t, MEDIA_CLOCK_QUEUE: _m, NOTIFICATIONS_QUEUE: _n, ...storage } = isolatedSettings();
  service = await runStartScript({ ...storage, HTTPS_PORT: String(await freePort()), LOCAL_CA_DIR: undefined });
  addresses = new Map([
    ['127.0.0.1:7071', new URL(service.url).host],
    ['127.0.0.1:7443', new URL(service.httpsUrl as string).host],
  ]);
});
afterAll(async () => {
  await service?.stop('SIGINT');
});

const readdress = (text: string) => [...addresses].reduce((t, [from, to]) => t.replaceAll(from, to), text);

describe.each(pages)('%s, as written', (page) => {
  it('runs its blocks against a started service, and they print what the page shows', async () => {
    const blocks = documentedBlocks(ROOT).filter((b) => b.doc === page);
    const bot = await startBotProcess(['--app-id', DOC_APP, '--service', service.url], { NODE_EXTRA_CA_CERTS: undefined, LOCAL_CA_DIR: undefined });
    addresses.set('127.0.0.1:7072', new URL(bot.url).host);
    const files = blocks.flatMap((b) => (b.marker?.kind === 'file' ? [path.join(ROOT, b.marker.name)] : []));
    try {
      blocks.forEach((b) => b.marker?.kind === 'file' && writeFileSync(path.join(ROOT, b.marker.name), readdress(b.code)));
      const runs = blocks.filter((b) => b.marker?.kind === 'run');
      const outputs = await runInOneShell(runs.map((b) => readdress(b.code)));
      runs.forEach((block, i) => expectPromises(block, outputs[i] ?? ''));
      await expectBotOutput(blocks, bot);
    } finally {
      files.forEach((file) => rmSync(file, { force: true }));
      await bot.stop('SIGINT');
    }
  });
});

function expectPromises(block: DocBlock, output: string): void {
  const lines = output.split('\n').map((l) => l.trim());
  const holds: Record<Promised['where'], (text: string) => boolean> = {
    anywhere: (text) => output.includes(text),
    line: (text) => lines.includes(text),
    'line end': (text) => lines.some((l) => l === text || new RegExp(`\\D${text}$`).test(l)),
  };
  for (const { text, where } of promisedOutput(block.code)) {
    expect(holds[where](text), `${block.doc}:${block.line} promises ${text} (${where}); it printed:\n${output}`).toBe(true);
  }
}

/** Each "bot output" block lists what the bot printed for the calls the page made before it, in any order across calls. */
async function expectBotOutput(blocks: readonly DocBlock[], bot: HostProcess): Promise<void> {
  const shown = blocks.filter((b) => b.marker?.kind === 'bot output').flatMap((b) => b.code.split('\n').filter(Boolean));
  if (shown.length === 0) return;
  const patterns = shown.map((line) => new RegExp(`^${escape(readdress(line.replace(/^\[[\d:.]+\] /, ''))).replaceAll('…', '.*?')}$`));
  const printed = () => bot.output().split('\n').filter((l) => l.startsWith('[')).map((l) => l.replace(/^\[[\d:.]+\] /, ''));
  const compare = () => {
    const unmatched = [...printed()];
    const missing = patterns.filter((pattern) => {
      const at = unmatched.findIndex((line) => pattern.test(line));
      if (at === -1) return true;
      unmatched.splice(at, 1);
      return false;
    });
    return { missing: missing.map(String), extra: unmatched };
  };
  // Notifications arrive after the blocks end; wait for every line shown, then nothing else may be there.
  await eventually(() => expect(compare().missing).toEqual([]), 30_000).catch(() => undefined);
  // DOCS_TEST_VERBOSE=1 shows what the bot printed, to record a page's bot output from a real run.
  if (process.env['DOCS_TEST_VERBOSE']) console.log(bot.output());
  expect(compare()).toEqual({ missing: [], extra: [] });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One bash, as a user pastes blocks into one terminal: variables carry from block to block. */
async function runInOneShell(blocks: readonly string[]): Promise<string[]> {
  const script = ['set -e', ...blocks.flatMap((code, i) => [`printf '\\n@@block ${i}@@\\n'`, code])].join('\n');
  const { NODE_EXTRA_CA_CERTS: _ca, LOCAL_CA_DIR: _dir, ...env } = process.env;
  const shell = spawn('bash', ['-c', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  shell.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  shell.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => shell.once('exit', resolve));
  expect(code, `the page's blocks failed (exit ${code}):\n${stdout}\n${stderr}`).toBe(0);
  if (process.env['DOCS_TEST_VERBOSE']) console.log(stdout, stderr);
  return stdout.split(/^@@block \d+@@\n/m).slice(1);
}
