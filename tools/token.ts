import path from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_CALL_ROLES } from '../src/auth/roles';
import { DEFAULT_LOCAL_TENANT, mintLocalToken } from '../src/auth/tokens';
import { loadConfig } from '../src/config';
import { parseGuid } from '../src/graph/ids';
import { projectRoot } from './project-root';
import { applyProjectSettings } from './project-settings';

/**
 * `npm run token -- --app-id <guid> [--tenant-id <guid>] [--roles a,b] [--expires-in <s>] [--delegated]`
 * prints an access token that the local service accepts, as the last line of its output.
 */
const USAGE = 'usage: npm run token -- --app-id <guid> [--tenant-id <guid>] [--roles Calls.Initiate.All,...] [--expires-in <seconds>] [--delegated]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'app-id': { type: 'string' },
      'tenant-id': { type: 'string', default: DEFAULT_LOCAL_TENANT },
      roles: { type: 'string' },
      'expires-in': { type: 'string', default: '3600' },
      delegated: { type: 'boolean', default: false },
    },
  });
  const appId = parseGuid(values['app-id'] ?? '');
  const tenantId = parseGuid(values['tenant-id']);
  const expiresInSeconds = Number(values['expires-in']);
  if (!appId || !tenantId || !Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0) throw new Error(USAGE);

  const root = projectRoot();
  applyProjectSettings(root);
  const keysFile = path.resolve(root, loadConfig().localKeysFile);
  const roles = values.roles === undefined ? ALL_CALL_ROLES : values.roles.split(',').map((r) => r.trim()).filter(Boolean);
  const token = await mintLocalToken(keysFile, { appId, tenantId, roles, delegated: values.delegated, expiresInSeconds });
  process.stderr.write(`app ${appId}, tenant ${tenantId}, roles ${roles.join(' ') || '(none)'}, valid ${expiresInSeconds} s\n`);
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(`token: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
