import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** Where a browser came from, for the one line a test prints when it starts one. */
export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';

export interface FoundChromium {
  readonly executablePath: string;
  readonly source: ChromiumSource;
  /** Flags the browser needs to run where it was found (the packaged one needs its own). */
  readonly args: readonly string[];
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

const SYSTEM_PATHS: Partial<Record<NodeJS.Platform, readonly string[]>> = {
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  win32: [
    `${process.env.PROGRAMFILES ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'}\\Google\\Chrome\\Application\\chrome.exe`,
    `${process.env.LOCALAPPDATA ?? ''}\\Chromium\\Application\\chrome.exe`,
  ],
};

const RELAXED_SECURITY = ['--disable-web-security', '--allow-running-insecure-content'];

/** The fix a developer needs when no browser is found: one line, no silent skip. */
export const NO_BROWSER =
  'no Chromium found: set CHROMIUM_PATH to a Chromium or Chrome executable (on Linux x64/arm64, npm install provides one through @sparticuz/chromium)';

/**
 * The browser the console's tests drive, in this order: an explicit CHROMIUM_PATH, a Chromium or
 * Chrome installed on the system, then on Linux the headless Chromium that `npm install` brings
 * (@sparticuz/chromium extracts it to the temporary folder on first use). `env` and `platform` are
 * parameters so the order itself is testable.
 */
export async function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<FoundChromium> {
  const explicit = env.CHROMIUM_PATH?.trim();
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} is not an executable file`);
    return { executablePath: explicit, source: 'CHROMIUM_PATH', args: [] };
  }
  const system = findSystemChromium(env, platform);
  if (system) return { executablePath: system, source: 'system', args: [] };
  if (platform === 'linux') {
    const packaged = await packagedChromium();
    if (packaged) return packaged;
  }
  throw new Error(NO_BROWSER);
}

export function findSystemChromium(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const suffix = platform === 'win32' ? '.exe' : '';
  for (const name of SYSTEM_NAMES) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name + suffix);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return (SYSTEM_PATHS[platform] ?? []).find(isExecutable);
}

async function packagedChromium(): Promise<FoundChromium | undefined> {
  let packaged: typeof import('@sparticuz/chromium').default;
  try {
    packaged = (await import('@sparticuz/chromium')).default;
  } catch {
    return undefined;
  }
  const executablePath = await packaged.executablePath();
  // Its flags are made for serverless scraping; the console is tested as a user's browser sees it.
  const args = packaged.args.filter((flag) => !RELAXED_SECURITY.includes(flag));
  return { executablePath, source: '@sparticuz/chromium', args };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
