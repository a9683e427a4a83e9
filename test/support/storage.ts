import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config';
import { MAX_BODY_BYTES } from '../../src/graph/body';
import { storageAccount, type StorageAccount } from '../../src/store/connection';
import { provisionStorage } from '../../src/store/provision';

/** App settings for a test file of its own: the run's Azurite, with a table and queues nobody else uses. */
export function isolatedSettings(): Record<string, string> {
  const suffix = randomBytes(4).toString('hex');
  const connection = inject('storageConnectionString');
  return {
    SERVICE_MODE: 'local',
    AzureWebJobsStorage: connection,
    CallsStorage: connection,
    CALLS_TABLE: `calls${suffix}`,
    MEDIA_CLOCK_QUEUE: `media-clock-${suffix}`,
    NOTIFICATIONS_QUEUE: `notifications-${suffix}`,
    SWEEP_SCHEDULE: '*/5 * * * * *',
    // As local.settings.example.json and the deployment set it (test/unit/infra.test.ts).
    FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(MAX_BODY_BYTES),
  };
}

/** Creates the table and queues for these settings, and returns the account and config to inspect them. */
export async function provisioned(settings: Record<string, string>): Promise<{ account: StorageAccount; config: Config }> {
  const config = loadConfig(settings);
  const account = storageAccount('CallsStorage', settings);
  await provisionStorage(account, config);
  return { account, config };
}
