import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { findChromium } from './chromium';

export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Quiet on the network: no background updates, sync or QUIC, so the only traffic is the page's. */
const QUIET = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A headless Chromium (see ./chromium.ts for which one) with a fresh profile; the profile folder is
 * removed whether the launch, the test or the close fails.
 */
export async function startBrowser(): Promise<TestBrowser> {
  const found = await findChromium();
  const profile = mkdtempSync(path.join(os.tmpdir(), 'console-chromium-'));
  const removeProfile = () => rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: found.executablePath,
      headless: true,
      args: [...new Set([...found.args, ...QUIET])],
      viewport: { width: 1400, height: 1000 },
    });
  } catch (error) {
    removeProfile();
    throw error;
  }
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        removeProfile();
      }
    },
  };
}
