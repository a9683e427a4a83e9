import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../tools/ports';
import { eventually } from '../support/eventually';
import { APP, GraphClient, token } from '../support/graph';
import { runStartScript, startBotProcess, type HostProcess } from '../support/host-process';
import { isolatedSettings } from '../support/storage';

// The README's walk-through: `npm start`, then `npm run bot`, then calls from curl (http) or the JS
// client (https). The bot runs as a user runs it: its own process, without NODE_EXTRA_CA_CERTS.
describe('the sample bot (npm run bot)', () => {
  let service: HostProcess;
  const bots: HostProcess[] = [];

  beforeAll(async () => {
    service = await runStartScript({ ...isolatedSettings(), HTTPS_PORT: String(await freePort()) });
  });
  afterAll(async () => {
    await Promise.all(bots.map((bot) => bot.stop('SIGINT')));
    await service?.stop('SIGINT');
  });

  async function bot(serviceUrl: string): Promise<HostProcess> {
    const started = await startBotProcess(['--app-id', APP, '--service', serviceUrl], { NODE_EXTRA_CA_CERTS: undefined });
    bots.push(started);
    return started;
  }

  async function callThrough(baseUrl: string, callbackUri: string): Promise<void> {
    await new GraphClient(baseUrl, await token()).createCall({ callbackUri });
  }

  it.each([
    ['http', 'https'],
    ['https', 'http'],
  ] as const)('started with the service’s %s address, it accepts notifications of calls created over %s', async (botScheme, callScheme) => {
    const address = (scheme: 'http' | 'https') => (scheme === 'http' ? service.url : (service.httpsUrl as string));
    const receiver = await bot(address(botScheme));
    await callThrough(address(callScheme), receiver.url);
    await eventually(() => expect(receiver.output()).toMatch(/call updated: established/));
    expect(receiver.output()).not.toContain('rejected');
  });

  it('names the cause when the service is not there, instead of a bare "fetch failed"', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    await expect(bot(nowhere)).rejects.toThrow(/ECONNREFUSED: nothing listens there \(is npm start running, and is --service its address\?\)/);
  });
});
