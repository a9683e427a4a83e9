import fs from 'node:fs';
import tls from 'node:tls';
import { Agent, type Dispatcher } from 'undici';
import { ConfigError, type Config } from '../config';
import { publicOnly } from './public-callbacks';

/** How notification POSTs connect, as fields of a `Post` (see deliver.ts). */
export interface CallbackTransport {
  readonly dispatcher?: Dispatcher;
  readonly localDispatcher?: Dispatcher;
}

const trusting = new Map<string, Agent>();

/**
 * Deployed: only to public addresses, trusting the system's CAs (NODE_EXTRA_CA_CERTS adds more).
 * Local: a bot on https with a certificate from the local CA (or any CA in CALLBACK_CA_FILE) is
 * trusted too, so a bot can run on https as it will in production.
 */
export function callbackTransport(cfg: Config): CallbackTransport {
  if (cfg.mode === 'deployed') return { dispatcher: publicOnly };
  const file = cfg.callbackCaFile;
  if (!file) return {};
  let agent = trusting.get(file);
  if (!agent) {
    agent = new Agent({ connect: { ca: [...tls.rootCertificates, ...extraCas(cfg), readCa(file)] } });
    trusting.set(file, agent);
  }
  return { localDispatcher: agent };
}

function readCa(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`CALLBACK_CA_FILE '${file}' cannot be read: ${(error as Error).message}`);
  }
}

/** A `ca` list replaces Node's store, so CAs the process was told to trust at start are kept too. */
function extraCas(cfg: Config): string[] {
  const file = cfg.env['NODE_EXTRA_CA_CERTS'];
  if (!file) return [];
  try {
    return [fs.readFileSync(file, 'utf8')];
  } catch {
    return []; // Node itself only warns about an unreadable one
  }
}
