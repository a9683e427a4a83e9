import path from 'node:path';
import { loadConfig, STORAGE_CONNECTION } from '../src/config';
import { storageAccount } from '../src/store/connection';
import { provisionStorage } from '../src/store/provision';
import { applySettings, readLocalSettings } from './host/local-settings';
import { projectRoot } from './project-root';

/**
 * `npm run provision`: creates the table and queues named by local.settings.json (or the
 * environment) in the account it points at. `npm start` does this itself; this is for running the
 * app under Azure Functions Core Tools (`func start`) against an Azurite you started.
 */
async function main(): Promise<void> {
  const settings = readLocalSettings(path.join(projectRoot(), 'local.settings.json'));
  if (settings) applySettings(settings.values);
  const config = loadConfig();
  const account = storageAccount(STORAGE_CONNECTION, process.env);
  await provisionStorage(account, config);
  console.log(`Created (if missing) table '${config.tableName}' and queues ${Object.values(config.queues).map((q) => `'${q}'`).join(', ')} in ${account.description}.`);
}

main().catch((error: unknown) => {
  console.error(`provision: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
