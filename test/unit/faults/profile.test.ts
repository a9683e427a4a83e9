import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config';
import { between, chance, draw } from '../../../src/faults/random';

describe('seeded draws', () => {
  it('are the same for the same seed and key, and differ between keys and seeds', () => {
    expect(draw(42, 'duplicate', 3, 0)).toBe(draw(42, 'duplicate', 3, 0));
    expect(draw(42, 'duplicate', 3, 0)).not.toBe(draw(42, 'duplicate', 3, 1));
    expect(draw(42, 'duplicate', 3, 0)).not.toBe(draw(43, 'duplicate', 3, 0));
  });

  it('hit a rate over many keys, also between neighbouring keys', () => {
    const hits = Array.from({ length: 2000 }, (_, i) => chance(0.3, 7, 'drop', i, 0)).filter(Boolean).length;
    expect(hits).toBeGreaterThan(500);
    expect(hits).toBeLessThan(700);
    expect(Array.from({ length: 100 }, (_, i) => chance(0, 7, 'drop', i)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, (_, i) => chance(1, 7, 'drop', i)).every(Boolean)).toBe(true);
  });

  it('draw whole numbers within a range, ends included', () => {
    const values = new Set(Array.from({ length: 500 }, (_, i) => between(3, 6, 1, 'delay', i)));
    expect([...values].sort()).toEqual([3, 4, 5, 6]);
  });
});

describe('the FAULT_PROFILE setting', () => {
  const profile = JSON.stringify({ notifications: { duplicate: { rate: 0.5 } } });

  it('is read in local mode, with seed 1 when it names none', () => {
    expect(loadConfig({ SERVICE_MODE: 'local', FAULT_PROFILE: profile }).faultProfile).toEqual({ seed: 1, notifications: { duplicate: { rate: 0.5 } } });
    expect(loadConfig({ SERVICE_MODE: 'local' }).faultProfile).toBeUndefined();
  });

  it('names what is wrong with it', () => {
    expect(() => loadConfig({ SERVICE_MODE: 'local', FAULT_PROFILE: '{' })).toThrow(/FAULT_PROFILE is not valid JSON/);
    expect(() => loadConfig({ SERVICE_MODE: 'local', FAULT_PROFILE: '{"api":{"throttle":{"next":0}}}' })).toThrow(/FAULT_PROFILE\.api\.throttle\.next must be at least 1/);
  });

  it('is refused when deployed: a deployment never injects faults', () => {
    const deployed = { SERVICE_MODE: 'deployed', NOTIFICATION_SIGNING_KEY: '{}', ENTRA_ALLOWED_TENANTS: '00000000-0000-4000-8000-000000000001', ENTRA_AUDIENCES: 'api://calls' };
    expect(() => loadConfig(deployed)).not.toThrow();
    expect(() => loadConfig({ ...deployed, FAULT_PROFILE: profile })).toThrow(ConfigError);
    expect(() => loadConfig({ ...deployed, FAULT_PROFILE: profile })).toThrow(/FAULT_PROFILE is only allowed when SERVICE_MODE is local/);
  });
});
