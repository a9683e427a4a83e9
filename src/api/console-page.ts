import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GraphError } from '../graph/errors';
import type { GraphHandler } from './error-boundary';

/**
 * The console's page and its assets, as `npm run build` leaves them in dist/console (the page's
 * sources are in console/; tools/build-console.ts bundles them with Preact, so the page needs no
 * network). Served by the app itself, local mode only (console-access.ts).
 */
const CONSOLE_DIR = path.resolve(__dirname, '../../console');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
};

/** The page loads only its own files and talks only to this service; the recordings play from blob: URLs. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

async function serve(file: string) {
  let body: Buffer;
  try {
    body = await readFile(path.join(CONSOLE_DIR, file));
  } catch {
    throw GraphError.itemNotFound(`The console has no file '${file}'. Was it built? (npm run build)`);
  }
  return {
    status: 200,
    headers: {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    },
    body,
  };
}

/** GET /console */
export const consolePage: GraphHandler = async () => serve('index.html');

/** GET /console/{asset}: a file of the built page (a plain name: no folders, no dots in front). */
export const consoleAsset: GraphHandler = async (request) => {
  const asset = request.params['asset'] ?? '';
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(asset) || !TYPES[path.extname(asset)]) throw GraphError.itemNotFound(`The console has no file '${asset}'.`);
  return serve(asset);
};
