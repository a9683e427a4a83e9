import https from 'node:https';
import { requestListener, serverLimits, serverOptions, withHeaderLimits, type HttpTriggerDeps } from './http-trigger';

/** The certificate and port of the host's HTTPS listener (see tools/https/local-ca.ts). */
export interface HttpsListener {
  /** 0 picks a free port. */
  readonly port: number;
  /** PEM chain: the server certificate first. */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
}

/**
 * The same routes over TLS. Bots and Microsoft's Graph SDKs assume https (the JS client attaches
 * the token to https URLs only), so the host serves both, as Core Tools does with --useHttps.
 */
export function createHttpsServer(deps: HttpTriggerDeps, listener: HttpsListener): https.Server {
  const server = https.createServer({ cert: listener.cert, key: listener.key, ...serverOptions(serverLimits(deps)) }, requestListener(deps));
  return withHeaderLimits(server);
}
