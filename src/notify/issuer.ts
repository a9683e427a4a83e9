import type { Config } from '../config';

/** The issuer notification tokens carry, which is also what the OpenID configuration announces. */
export function issuerFor(cfg: Config, baseUrl: string): string {
  return cfg.publicBaseUrl ?? baseUrl;
}
