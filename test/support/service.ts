import type { BotOptions } from '../../tools/bot/receiver';
import { testBot, type TestBot } from './bot';
import { forFile } from './for-file';
import { GraphClient, token } from './graph';
import { startHostProcess, type HostProcess } from './host-process';
import { isolatedSettings, provisioned } from './storage';

export interface RunningService {
  readonly host: HostProcess;
  readonly client: GraphClient;
  readonly settings: Record<string, string>;
  readonly table: ReturnType<Awaited<ReturnType<typeof provisioned>>['account']['table']>;
  readonly account: Awaited<ReturnType<typeof provisioned>>['account'];
}

export interface ServiceOptions {
  readonly env?: Record<string, string>;
  /** Run another instance on these settings (the same storage). */
  readonly reuse?: Record<string, string>;
  readonly port?: number;
  /** Deliver notifications; without it they stay in the outbox, where API tests read them. */
  readonly deliver?: boolean;
}

/**
 * The real app in the local host, in local mode, on its own table and queues. Prompts last a
 * minute unless `env` says otherwise, so nothing ends by itself while a test looks at it.
 */
export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  const delivery: Record<string, string> = options.deliver ? {} : { 'AzureWebJobs.notifications.Disabled': 'true' };
  const settings: Record<string, string> = options.reuse ?? { ...isolatedSettings(), ESTABLISH_DELAY_MS: '0', PROMPT_DURATION_MS: '60000', ...delivery, ...options.env };
  const { account, config } = await provisioned(settings);
  const host = await startHostProcess({ env: settings, ...(options.port !== undefined && { port: options.port }) });
  return { host, client: new GraphClient(host.url, await token()), settings, table: account.table(config.tableName), account };
}

export interface ServiceForFile extends RunningService {
  /** A real bot on loopback for this service, closed after the file (see bot.ts). */
  bot(options?: Partial<BotOptions>): Promise<TestBot>;
}

/** The service (and its bots) of the calling test file: started before its tests, stopped after them. */
export function serviceForFile(options: ServiceOptions = {}): ServiceForFile {
  return forFile(
    async () => {
      const svc = await startService(options);
      const bots: TestBot[] = [];
      return {
        ...svc,
        bots,
        async bot(botOptions: Partial<BotOptions> = {}) {
          const b = await testBot(svc.host.url, botOptions);
          bots.push(b);
          return b;
        },
      };
    },
    async ({ host, bots }) => {
      await host.stop();
      await Promise.all(bots.map((b) => b.close()));
    },
  );
}
