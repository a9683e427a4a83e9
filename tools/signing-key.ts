import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';

/**
 * `npm run signing-key`: prints a new private JWK (ES256) for NOTIFICATION_SIGNING_KEY, as the last
 * line of output. Keep it secret: it goes into Key Vault through the deployment (see docs/deploy.md).
 */
async function main(): Promise<void> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' };
  process.stdout.write(`${JSON.stringify(jwk)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
