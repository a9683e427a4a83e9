import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CALL_ROLES } from '../../src/auth/roles';
import { loadConfig, SETTING_NAMES, STORAGE_CONNECTION } from '../../src/config';
import { STORAGE_DATA_ROLES } from '../../src/store/connection';
import { ROOT } from '../support/host-process';

/**
 * No Bicep compiler here, so these read the templates as text and check what must agree between
 * infra/ and the code: every setting the app reads, the names of its table and queues, the
 * identity-based connections, the roles, and the security switches.
 */
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const resources = read('infra/resources.bicep');
const main = read('infra/main.bicep');

function variables(bicep: string): Record<string, string> {
  return Object.fromEntries([...bicep.matchAll(/^var (\w+) = '([^']*)'$/gm)].map((m) => [m[1], m[2]]));
}

/** The text between the braces that open at `from`. */
function braced(bicep: string, from: number): string {
  let depth = 0;
  for (let i = from; i < bicep.length; i++) {
    if (bicep[i] === '{') depth++;
    if (bicep[i] === '}' && --depth === 0) return bicep.slice(from + 1, i);
  }
  throw new Error('unbalanced braces');
}

/** A resource's whole declaration body, by its symbolic name. */
function resourceBody(bicep: string, symbol: string): string {
  const start = bicep.indexOf(`resource ${symbol} `);
  if (start < 0) throw new Error(`no resource ${symbol}`);
  return braced(bicep, bicep.indexOf('{', start));
}

/** The body of a resource's own `properties: { ... }`. */
function propertiesOf(bicep: string, symbol: string): string {
  const body = resourceBody(bicep, symbol);
  const at = body.indexOf('properties: {');
  if (at < 0) throw new Error(`resource ${symbol} has no properties`);
  return braced(body, at + 'properties: '.length);
}

/** App settings as name → value; string literals unquoted, variables resolved, other expressions kept. */
function appSettings(): Record<string, string> {
  const vars = variables(resources);
  const entries = [...propertiesOf(resources, 'appSettings').matchAll(/^\s+(\w+): (.+)$/gm)].map(([, name, raw]) => {
    const value = (raw ?? '').trim();
    const literal = /^'(.*)'$/.exec(value);
    return [name, literal ? (literal[1] as string) : (vars[value] ?? value)];
  });
  return Object.fromEntries(entries);
}

/** docs/configuration.md rows: setting → its default column. */
function documentedDefaults(): Record<string, string> {
  const rows = [...read('docs/configuration.md').matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)];
  return Object.fromEntries(rows.map((m) => [m[1], (m[2] ?? '').trim()]));
}

const settings = appSettings();

describe('infra/ and the code agree', () => {
  it('provides every setting the app reads, or the setting has a documented default', () => {
    const documented = documentedDefaults();
    for (const name of SETTING_NAMES) {
      const fallback = documented[name];
      expect(fallback, `${name} is not in docs/configuration.md`).toBeDefined();
      const needsValue = fallback === '—' || /required/.test(fallback ?? '');
      if (needsValue) expect(settings, `${name} has no default, so infra must set it`).toHaveProperty(name);
    }
  });

  it('sets only settings that something reads', () => {
    const platform = ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'];
    const connections = ['AzureWebJobsStorage', STORAGE_CONNECTION].flatMap((c) => ['accountName', 'credential', 'clientId'].map((p) => `${c}__${p}`));
    const bindingExpressions = bindingSettings();
    for (const name of Object.keys(settings)) {
      expect([...SETTING_NAMES, ...platform, ...connections, ...bindingExpressions], `${name} is read by nothing`).toContain(name);
    }
  });

  it('sets every %setting% the function bindings name', () => {
    for (const name of bindingSettings()) expect(settings).toHaveProperty(name);
  });

  it('connects the host and the app to storage by managed identity, never by key', () => {
    for (const connection of ['AzureWebJobsStorage', STORAGE_CONNECTION]) {
      expect(settings[`${connection}__accountName`]).toBe('storage.name');
      expect(settings[`${connection}__credential`]).toBe('managedidentity');
      expect(settings[`${connection}__clientId`]).toBe('identity.properties.clientId');
      expect(settings).not.toHaveProperty(connection);
    }
    for (const bicep of [resources, main]) expect(bicep).not.toMatch(/AccountKey|listKeys\(|DefaultEndpointsProtocol/);
    expect(settings['SERVICE_MODE']).toBe('deployed');
    expect(settings['NOTIFICATION_SIGNING_KEY']).toMatch(/^@Microsoft\.KeyVault\(SecretUri=\$\{signingKey\.properties\.secretUri\}\)$/);
  });

  it('creates the table and queues the app uses, named as the app names them by default', () => {
    const defaults = loadConfig({ SERVICE_MODE: 'local' });
    const vars = variables(resources);
    expect(settings['CALLS_TABLE']).toBe(defaults.tableName);
    expect(settings['MEDIA_CLOCK_QUEUE']).toBe(defaults.queues.mediaClock);
    expect(settings['NOTIFICATIONS_QUEUE']).toBe(defaults.queues.notifications);
    expect(resourceBody(resources, 'callsTable')).toMatch(/^\s+name: tableName$/m);
    expect(resources).toMatch(/queueNames = \[\s+mediaClockQueue\s+'\$\{mediaClockQueue\}-poison'\s+notificationsQueue\s+'\$\{notificationsQueue\}-poison'\s+\/\/[^\n]*\s+'\$\{notificationsQueue\}-slow'\s+'\$\{notificationsQueue\}-slow-poison'\s+\]/);
    expect(defaults.queues.slowLane).toBe(`${defaults.queues.notifications}-slow`);
    expect(vars['tableName']).toBe(defaults.tableName);
    // The local example settings agree too.
    const example = JSON.parse(read('local.settings.example.json')) as { Values: Record<string, string> };
    expect([example.Values['CALLS_TABLE'], example.Values['MEDIA_CLOCK_QUEUE'], example.Values['NOTIFICATIONS_QUEUE']]).toEqual([
      defaults.tableName,
      defaults.queues.mediaClock,
      defaults.queues.notifications,
    ]);
  });

  it('grants the identity exactly the storage roles the app and host need, plus Key Vault and monitoring', () => {
    const roleIds = Object.fromEntries([...resources.matchAll(/^\s+(\w+): '([0-9a-f-]{36})'/gm)].map((m) => [m[1], m[2]]));
    const storageRoles = /var storageRoles = \[([^\]]+)\]/.exec(resources)?.[1]?.match(/roles\.(\w+)/g)?.map((r) => roleIds[r.slice(6)]);
    expect(new Set(storageRoles)).toEqual(new Set(Object.values(STORAGE_DATA_ROLES)));
    expect(roleIds['keyVaultSecretsUser']).toBe('4633458b-17de-408a-b874-0445c86b69e6');
    expect(resources).toContain('scope: vault');
    expect(resources).toContain('scope: insights');
    // Every assignment goes to the one identity.
    const principals = [...resources.matchAll(/principalId: (.+)/g)].map((m) => m[1]);
    expect(new Set(principals)).toEqual(new Set(['identity.properties.principalId']));
  });

  it('switches on HTTPS only, TLS 1.2 and no shared keys, on Flex Consumption with Node 20', () => {
    expect(propertiesOf(resources, 'functionApp')).toContain('httpsOnly: true');
    expect(resources).toContain("minTlsVersion: '1.2'");
    expect(propertiesOf(resources, 'storage')).toMatch(/minimumTlsVersion: 'TLS1_2'[\s\S]*allowSharedKeyAccess: false/);
    expect(resources).toMatch(/tier: 'FlexConsumption'\s+name: 'FC1'/);
    expect(resources).toMatch(/runtime: \{\s+name: 'node'\s+version: '20'\s+\}/);
    expect(propertiesOf(resources, 'insights')).toContain('DisableLocalAuth: true');
  });

  it('wires main.bicep, its parameter file and azure.yaml together', () => {
    const params = (bicep: string) => [...bicep.matchAll(/^param (\w+)/gm)].map((m) => m[1]);
    const passed = /params: \{([^}]+)\}/.exec(main)?.[1] ?? '';
    for (const name of params(resources)) expect(passed).toContain(`${name}:`);
    const file = JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, unknown> };
    expect(Object.keys(file.parameters).sort()).toEqual(params(main).sort());
    expect(read('azure.yaml')).toMatch(/services:\s+api:\s+project: \.\s+language: ts\s+host: function/);
    expect(resources).toContain("'azd-service-name': 'api'");
  });
});

/** The %Name% settings that function bindings refer to, from the registrations the host loads. */
function bindingSettings(): string[] {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'dist/tools/host/cli.js'), '--describe', '--app', ROOT], { encoding: 'utf8' });
  return [...new Set([...out.matchAll(/%(\w+)%/g)].map((m) => m[1] as string))];
}

describe('the Entra app roles for the service API registration', () => {
  it('are exactly the roles the routes check, application-only', () => {
    const roles = JSON.parse(read('infra/app-roles.json')) as { value: string; allowedMemberTypes: string[]; id: string }[];
    expect(roles.map((r) => r.value).sort()).toEqual([...ALL_CALL_ROLES].sort());
    for (const role of roles) {
      expect(role.allowedMemberTypes).toEqual(['Application']);
      expect(role.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(roles.map((r) => r.id)).size).toBe(roles.length);
  });
});
