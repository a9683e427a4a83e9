import type { Config } from '../config';
import type { StorageAccount } from './connection';

/**
 * Creates the table and queues the app uses, if they are missing. Run by `npm start` and the tests;
 * in Azure the infrastructure template creates them and the app never needs this permission.
 */
export async function provisionStorage(account: StorageAccount, cfg: Config): Promise<void> {
  await Promise.all([
    account.tableService().createTable(cfg.tableName),
    ...Object.values(cfg.queues).map((name) => account.queue(name).createIfNotExists()),
  ]);
}
