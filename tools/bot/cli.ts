import { parseArgs } from 'node:util';
import { localHttps } from '../https/local-https';
import { trustLocalCa } from '../https/trust-local-ca';
import { projectRoot } from '../project-root';
import { describeNotification } from './describe';
import { startBot } from './receiver';

/**
 * `npm run bot -- --app-id <guid> [--port 7072] [--service http://127.0.0.1:7071] [--https]`: a
 * sample bot endpoint that validates each notification's token against the service's keys, prints
 * it, and answers 202. Give its URL (printed at start) as a call's callbackUri. With --https it
 * serves a certificate from the local CA, which the service trusts for callbacks. Use the same
 * service; calls created over its http or its https address both validate (tools/bot/issuers.ts),
 * and the bot trusts the local CA by itself.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'app-id': { type: 'string' },
      port: { type: 'string', default: '7072' },
      service: { type: 'string', default: 'http://127.0.0.1:7071' },
      https: { type: 'boolean', default: false },
    },
  });
  const appId = values['app-id']?.toLowerCase();
  if (!appId) throw new Error('usage: npm run bot -- --app-id <guid> [--port 7072] [--service http://127.0.0.1:7071] [--https]');
  trustLocalCa(projectRoot());
  const tls = values.https ? (await localHttps(projectRoot(), 0)).listener : undefined;
  const bot = await startBot({
    ...(tls && { tls }),
    serviceUrl: values.service,
    appId,
    port: Number(values.port),
    onNotification: (n) => console.log(describeNotification(n)),
    onRejected: (reason) => console.log(`[${new Date().toISOString().slice(11, 23)}] rejected a POST: ${reason}`),
  });
  console.log(`Bot for app ${appId} listening; callbackUri: ${bot.callbackUri}`);
  console.log(`Tokens are checked against the keys of ${values.service}/.well-known/openid-configuration (issuer: its http or https address)\n`);
  process.on('SIGINT', () => void bot.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void bot.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(`bot: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
