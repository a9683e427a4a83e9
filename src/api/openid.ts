import { issuerFor, serviceBaseUrl } from '../notify/issuer';
import { notificationSigner } from '../notify/signing';
import { services } from '../app/services';
import type { GraphHandler } from './error-boundary';

/** GET /.well-known/openid-configuration: where a bot finds the keys that sign notification tokens. */
export const openIdConfiguration: GraphHandler = async (request) => {
  const { config } = services();
  const issuer = issuerFor(config, serviceBaseUrl(config, request.url));
  const signer = await notificationSigner(config);
  return {
    status: 200,
    headers: { 'Cache-Control': 'public, max-age=3600' },
    jsonBody: {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: [signer.publicJwk.alg],
      token_endpoint_auth_signing_alg_values_supported: [signer.publicJwk.alg],
    },
  };
};

/** GET /.well-known/jwks.json: the public key(s) of the notification signer. */
export const jwks: GraphHandler = async () => {
  const signer = await notificationSigner(services().config);
  return { status: 200, headers: { 'Cache-Control': 'public, max-age=3600' }, jsonBody: { keys: [signer.publicJwk] } };
};
