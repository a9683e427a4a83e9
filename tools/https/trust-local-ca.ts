import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { Agent, setGlobalDispatcher } from 'undici';
import { CA_CERT_FILE } from './local-ca';
import { DEFAULT_CA_DIR } from './local-https';

/**
 * Makes this process's fetch trust the local CA (beside the system's roots), so a dev tool talks to
 * the service's https listener with no NODE_EXTRA_CA_CERTS. Returns the CA file, or undefined when
 * no local CA exists yet (npm start creates it).
 */
export function trustLocalCa(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = path.join(path.resolve(root, env['LOCAL_CA_DIR'] || DEFAULT_CA_DIR), CA_CERT_FILE);
  if (!existsSync(file)) return undefined;
  setGlobalDispatcher(new Agent({ connect: { ca: [...tls.rootCertificates, readFileSync(file, 'utf8')] } }));
  return file;
}
