import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium, NO_BROWSER } from '../../support/chromium';

const root = mkdtempSync(path.join(os.tmpdir(), 'chromium-discovery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function executable(relative: string): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

describe('the browser the console tests drive', () => {
  const systemDir = path.dirname(executable('system/bin/chromium'));

  it('is CHROMIUM_PATH first, even with a system browser on PATH', async () => {
    const explicit = executable('explicit/chrome');
    const found = await findChromium({ CHROMIUM_PATH: explicit, PATH: systemDir }, 'linux');
    expect(found).toEqual({ executablePath: explicit, source: 'CHROMIUM_PATH', args: [] });
  });

  it('refuses a CHROMIUM_PATH that is not an executable file, naming it', async () => {
    await expect(findChromium({ CHROMIUM_PATH: root, PATH: systemDir }, 'linux')).rejects.toThrow(`CHROMIUM_PATH=${root} is not an executable file`);
  });

  it('is then a Chromium or Chrome on PATH', async () => {
    const chrome = executable('chrome-only/google-chrome');
    expect(await findChromium({ PATH: path.dirname(chrome) }, 'linux')).toMatchObject({ executablePath: chrome, source: 'system' });
    expect(await findChromium({ PATH: systemDir }, 'linux')).toMatchObject({ executablePath: path.join(systemDir, 'chromium'), source: 'system' });
  });

  it('is then, on Linux, the Chromium that npm install brought, with the flags it needs', async () => {
    const found = await findChromium({ PATH: path.join(root, 'empty') }, 'linux');
    expect(found.source).toBe('@sparticuz/chromium');
    expect(path.isAbsolute(found.executablePath)).toBe(true);
    expect(found.args).toContain('--no-zygote');
    expect(found.args).not.toContain('--disable-web-security');
  });

  it('fails with one line saying what to set where nothing is found', async () => {
    await expect(findChromium({ PATH: path.join(root, 'empty') }, 'aix')).rejects.toThrow(NO_BROWSER);
    expect(NO_BROWSER).toContain('CHROMIUM_PATH');
    expect(NO_BROWSER).not.toContain('\n');
  });
});
