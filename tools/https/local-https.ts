import path from 'node:path';
import type { HttpsListener } from '../host/https';
import { ensureLocalCa, issueServerCertificate, type LocalCa } from './local-ca';

/** The HTTPS port of `npm start` and the local host when HTTPS_PORT is not set. */
export const DEFAULT_HTTPS_PORT = 7443;
/** Where the local CA lives unless LOCAL_CA_DIR says otherwise (gitignored, beside keys.json). */
export const DEFAULT_CA_DIR = '.local/ca';

export interface LocalHttps {
  readonly ca: LocalCa;
  readonly listener: HttpsListener;
  /** The one line that makes Node trust the CA. */
  readonly trustLine: string;
}

/** HTTPS_PORT (or --https-port): a port, 0 for a free one, `off` for no HTTPS at all. */
export function parseHttpsPort(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return DEFAULT_HTTPS_PORT;
  if (value.trim().toLowerCase() === 'off') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`HTTPS_PORT must be a port number or 'off', not '${value}'.`);
  return port;
}

/**
 * The local CA (created on first use in LOCAL_CA_DIR, default .local/ca under `root`) and a fresh
 * server certificate from it for localhost, 127.0.0.1 and ::1. Unless CALLBACK_CA_FILE is set
 * already, the app is told to trust the same CA for callbacks, so a bot can serve https with a
 * certificate from it.
 */
export async function localHttps(root: string, port: number, env: NodeJS.ProcessEnv = process.env): Promise<LocalHttps> {
  const dir = path.resolve(root, env['LOCAL_CA_DIR'] || DEFAULT_CA_DIR);
  const ca = await ensureLocalCa(dir);
  const { cert, key } = await issueServerCertificate(ca);
  env['CALLBACK_CA_FILE'] ||= ca.certFile;
  return { ca, listener: { port, cert, key }, trustLine: `NODE_EXTRA_CA_CERTS=${ca.certFile}` };
}
