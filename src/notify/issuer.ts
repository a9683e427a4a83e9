import { ConfigError, type Config } from '../config';

/**
 * This service's own base URL: the issuer of notification tokens, the OpenID configuration's
 * `issuer` and `jwks_uri`, and the root of Location headers. Deployed, it comes from configuration
 * only (PUBLIC_BASE_URL, else the WEBSITE_HOSTNAME that Azure sets), never from a request's Host
 * or target, which any client can forge. Locally, from the address the host listens on, which the
 * local host puts in every request URL.
 */
export function serviceBaseUrl(cfg: Config, requestUrl: string): string {
  if (cfg.publicBaseUrl) return cfg.publicBaseUrl;
  if (cfg.mode === 'deployed') {
    const hostname = cfg.env['WEBSITE_HOSTNAME']?.trim();
    if (hostname && /^[a-z0-9.-]+(:\d+)?$/i.test(hostname)) return `https://${hostname.toLowerCase()}`;
    throw new ConfigError('PUBLIC_BASE_URL is required in deployed mode (outside Azure App Service, where WEBSITE_HOSTNAME names the app).');
  }
  return new URL(requestUrl).origin;
}

/** The issuer notification tokens carry, which is also what the OpenID configuration announces. */
export function issuerFor(cfg: Config, baseUrl: string): string {
  return cfg.publicBaseUrl ?? baseUrl;
}
