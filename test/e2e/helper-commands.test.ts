import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../tools/ports';
import { APP } from '../support/graph';
import { ROOT } from '../support/host-process';

// A running `npm start` serves dist/. The helper commands a user runs beside it build elsewhere
// (.local/build), so the files the service serves never disappear under it.
const SERVED = ['dist/tools/start.js', 'dist/console/console.js', 'dist/src/app/services.js'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function servedFiles(): string[] {
  return SERVED.map((file) => {
    const stat = statSync(path.join(ROOT, file));
    return `${file} ${stat.ino} ${stat.mtimeMs}`;
  });
}

describe('helper commands beside a running service', () => {
  it('npm run token prints a token and leaves dist/ as it was', () => {
    const before = servedFiles();
    const run = spawnSync(npm, ['run', '-s', 'token', '--', '--app-id', APP], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(decodeJwt(run.stdout.trim().split('\n').at(-1) ?? '').appid).toBe(APP);
    expect(servedFiles()).toEqual(before);
  });

  it('npm run bot starts and leaves dist/ as it was', async () => {
    const before = servedFiles();
    const bot = spawn(npm, ['run', '-s', 'bot', '--', '--app-id', APP, '--port', String(await freePort()), '--service', `http://127.0.0.1:${await freePort()}`], { cwd: ROOT });
    let output = '';
    const exited = new Promise<number | null>((resolve) => bot.once('exit', resolve));
    bot.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    bot.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Nothing listens at that port: the bot reaches the point of reading the service's keys, says so, and exits.
    expect(await exited).toBe(1);
    expect(output).toContain('nothing listens there');
    expect(servedFiles()).toEqual(before);
  });
});
