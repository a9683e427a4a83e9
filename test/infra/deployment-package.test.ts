import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../support/host-process';

/**
 * What azd deploys: `npm run package` (run by `npm run test:infra` before this file) leaves the
 * package in the folder azure.yaml names. The Functions host must find in it the same functions
 * the source tree registers, with production dependencies only.
 */
interface AzureYaml {
  name: string;
  services: Record<string, { project: string; language: string; host: string; dist?: string; remoteBuild?: boolean }>;
  infra?: { provider?: string; path?: string; module?: string };
}
const azureYaml = parse(readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8')) as AzureYaml;
const api = azureYaml.services['api'];
const packageDir = path.join(ROOT, api?.project ?? '.', api?.dist ?? '');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function registrations(app: string): unknown {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'dist/tools/host/cli.js'), '--describe', '--app', app], { encoding: 'utf8' });
  return JSON.parse(out);
}

describe('azure.yaml', () => {
  it("is what azd's v1.0 schema asks for: a lowercase name, one function service, Bicep in infra/", () => {
    // From azd's schemas/v1.0/azure.yaml.json: name matches ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$,
    // every service needs `host`; remoteBuild is a boolean that applies to function apps.
    expect(azureYaml.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(Object.keys(azureYaml.services)).toEqual(['api']);
    expect(api).toMatchObject({ project: '.', language: 'ts', host: 'function', remoteBuild: false });
    expect(azureYaml.infra).toEqual({ provider: 'bicep', path: 'infra', module: 'main' });
    expect(existsSync(path.join(ROOT, 'infra/main.bicep'))).toBe(true);
  });

  it('names the folder `npm run package` fills, and the Function App azd deploys it to', () => {
    expect(api?.dist).toBe('.deploy');
    expect(readFileSync(path.join(ROOT, 'infra/resources.bicep'), 'utf8')).toContain("'azd-service-name': 'api'");
  });
});

describe('the deployment package', () => {
  it('registers exactly the functions the source tree does', () => {
    expect(registrations(packageDir)).toEqual(registrations(ROOT));
  });

  it('holds the compiled app, host.json and production dependencies, and no dev-only code', () => {
    expect(readdirSync(packageDir).sort()).toEqual(['dist', 'host.json', 'node_modules', 'package-lock.json', 'package.json']);
    expect(readdirSync(path.join(packageDir, 'dist')).sort()).not.toContain('tools');
    expect(readdirSync(path.join(packageDir, 'dist')).sort()).not.toContain('test');
    for (const dependency of Object.keys(manifest.dependencies)) expect(existsSync(path.join(packageDir, 'node_modules', dependency)), dependency).toBe(true);
    for (const dependency of Object.keys(manifest.devDependencies)) expect(existsSync(path.join(packageDir, 'node_modules', dependency)), dependency).toBe(false);
  });
});
