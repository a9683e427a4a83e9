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

/**
 * The real app in the local host, in local mode, on its own table and queues. Prompts last a
 * minute unless `env` says otherwise, so nothing ends by itself while a test looks at it. `reuse`
 * starts another instance on an earlier one's settings (same storage).
 */
export async function startService(options: { env?: Record<string, string>; reuse?: Record<string, string>; port?: number } = {}): Promise<RunningService> {
  const settings = options.reuse ?? { ...isolatedSettings(), SERVICE_MODE: 'local', ESTABLISH_DELAY_MS: '0', PROMPT_DURATION_MS: '60000', ...options.env };
  const { account, config } = await provisioned(settings);
  const host = await startHostProcess({ env: settings, ...(options.port !== undefined && { port: options.port }) });
  return { host, client: new GraphClient(host.url, await token()), settings, table: account.table(config.tableName), account };
}
