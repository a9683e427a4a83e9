import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CALL_ROLES } from '../../src/auth/roles';
import { SETTING_NAMES } from '../../src/config';
import { MAX_BODY_BYTES } from '../../src/graph/body';
import { ROOT } from '../support/host-process';

/**
 * What needs no compiler. The deployment itself (the ARM JSON Bicep compiles, the package azd
 * deploys) is checked by `npm run test:infra` (test/infra/).
 */
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('the settings and roles an operator configures', () => {
  it('documents every setting the app reads in docs/configuration.md', () => {
    const documented = new Set([...read('docs/configuration.md').matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]));
    for (const name of SETTING_NAMES) expect(documented, `${name} is not in docs/configuration.md`).toContain(name);
  });

  it('has the local host refuse a body over the app’s own limit before reading it, as Azure’s is set to', () => {
    const example = JSON.parse(read('local.settings.example.json')) as { Values: Record<string, string> };
    expect(example.Values['FUNCTIONS_REQUEST_BODY_SIZE_LIMIT']).toBe(String(MAX_BODY_BYTES));
  });

  it('defines the Entra app roles the routes check, application-only', () => {
    const roles = JSON.parse(read('infra/app-roles.json')) as { value: string; allowedMemberTypes: string[]; id: string }[];
    expect(roles.map((r) => r.value).sort()).toEqual([...ALL_CALL_ROLES].sort());
    for (const role of roles) {
      expect(role.allowedMemberTypes).toEqual(['Application']);
      expect(role.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(roles.map((r) => r.id)).size).toBe(roles.length);
  });
});
