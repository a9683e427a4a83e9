import { loadConfig, STORAGE_CONNECTION } from '../src/config';
import { storageAccount } from '../src/store/connection';
import { provisionStorage } from '../src/store/provision';
import { applyProjectSettings } from './project-settings';

/**
 * `npm run provision`: creates the table and queues named by the project settings (see
 * project-settings.ts) in the account they point at. `npm start` does this itself; this is for running the
 * app under Azure Functions Core Tools (`func start`) against an Azurite you started.
 */
async function main(): Promise<void> {
  applyProjectSettings();
  const config = loadConfig();
  const account = storageAccount(STORAGE_CONNECTION, process.env);
  await provisionStorage(account, config);
  console.log(`Created (if missing) table '${config.tableName}' and queues ${Object.values(config.queues).map((q) => `'${q}'`).join(', ')} in ${account.description}.`);
}

main().catch((error: unknown) => {
  console.error(`provision: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
