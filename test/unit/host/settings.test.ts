import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimeSpan, readHostConfig } from '../../../tools/host/host-config';
import { applySettings, readLocalSettings, resolveBindingExpression } from '../../../tools/host/local-settings';

function folderWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'host-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

describe('host.json', () => {
  it('reads TimeSpans the .NET way', () => {
    expect(parseTimeSpan('00:00:05')).toBe(5000);
    expect(parseTimeSpan('00:00:00.500')).toBe(500);
    expect(parseTimeSpan('01:02:03')).toBe(3_723_000);
    expect(parseTimeSpan('1.00:00:00')).toBe(86_400_000);
    expect(() => parseTimeSpan('5s')).toThrow(/not a TimeSpan/);
  });

  it('applies the Functions host defaults', () => {
    const config = readHostConfig(folderWith({ 'host.json': { version: '2.0' } }));
    expect(config).toEqual({
      routePrefix: 'api',
      queues: { batchSize: 16, newBatchThreshold: 8, maxDequeueCount: 5, visibilityTimeoutMs: 0, maxPollingIntervalMs: 60_000, messageEncoding: 'base64' },
      logLevel: 'Information',
    });
  });

  it("reads this project's host.json: Graph's own paths, prompt polling", () => {
    const config = readHostConfig(path.resolve(__dirname, '../../..'));
    expect(config.routePrefix).toBe('');
    expect(config.queues.maxPollingIntervalMs).toBeLessThanOrEqual(1000);
    expect(config.queues.messageEncoding).toBe('base64');
  });

  it('lets AzureFunctionsJobHost__ app settings override host.json, as on Azure', () => {
    const dir = folderWith({ 'host.json': { version: '2.0', extensions: { queues: { batchSize: 4 } } } });
    const config = readHostConfig(dir, {
      AzureFunctionsJobHost__extensions__queues__batchSize: '8',
      AzureFunctionsJobHost__extensions__http__routePrefix: 'x',
      AzureFunctionsJobHost__logging__logLevel__default: 'Warning',
    });
    expect(config.queues.batchSize).toBe(8);
    expect(config.routePrefix).toBe('x');
    expect(config.logLevel).toBe('Warning');
  });

  it('names the bad field of an invalid host.json', () => {
    const dir = folderWith({ 'host.json': { version: '2.0', extensions: { queues: { batchSize: 64 } } } });
    expect(() => readHostConfig(dir)).toThrow(/extensions\.queues\.batchSize/);
    expect(() => readHostConfig(folderWith({ 'host.json': '{ nope' }))).toThrow(/Cannot read/);
  });
});

describe('local.settings.json', () => {
  it('turns Values into environment variables without overriding what is already set', () => {
    const dir = folderWith({ 'local.settings.json': { IsEncrypted: false, Values: { A: 'from-file', B: 'from-file', N: 3 }, Host: { LocalHttpPort: 7072 } } });
    const settings = readLocalSettings(path.join(dir, 'local.settings.json'));
    expect(settings?.localHttpPort).toBe(7072);
    const env: NodeJS.ProcessEnv = { B: 'from-env' };
    applySettings(settings?.values ?? {}, env);
    expect(env).toEqual({ A: 'from-file', B: 'from-env', N: '3' });
  });

  it('is optional, and refuses encrypted files', () => {
    expect(readLocalSettings('/nonexistent/local.settings.json')).toBeUndefined();
    const dir = folderWith({ 'local.settings.json': { IsEncrypted: true, Values: {} } });
    expect(() => readLocalSettings(path.join(dir, 'local.settings.json'))).toThrow(/encrypted/);
  });

  it('resolves %Setting% binding expressions and names a missing setting', () => {
    expect(resolveBindingExpression('%Q%-x', { Q: 'media-clock' })).toBe('media-clock-x');
    expect(resolveBindingExpression('plain', {})).toBe('plain');
    expect(() => resolveBindingExpression('%MISSING%', {})).toThrow(/'MISSING'/);
  });
});
