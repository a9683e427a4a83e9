import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/host-process';

interface Binding {
  type: string;
  direction: string;
  route?: string;
  methods?: string[];
  authLevel?: string;
  queueName?: string;
  connection?: string;
  schedule?: string;
}

/**
 * What the Azure Functions host reads from the app: loaded from package.json#main through the same
 * captured registrations the local host serves. A change here is a change to the deployed app's
 * public surface, so this list changes only on purpose.
 */
function registrations() {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'dist/tools/host/cli.js'), '--describe', '--app', ROOT], { encoding: 'utf8' });
  const functions = JSON.parse(out) as { name: string; bindings: Record<string, Binding> }[];
  return functions.map(({ name, bindings }) => {
    const trigger = Object.values(bindings).find((b) => /trigger$/i.test(b.type));
    const { type, route, methods, authLevel, queueName, connection, schedule } = trigger ?? ({} as Binding);
    return { name, type, route, methods, authLevel, queueName, connection, schedule };
  });
}

describe('function registrations', () => {
  it('are exactly the functions, triggers, routes and queues the service exposes', () => {
    expect(registrations()).toEqual([
      { name: 'health', type: 'httpTrigger', route: 'health', methods: ['GET'], authLevel: 'anonymous' },
    ]);
  });

  it('load from the compiled main that package.json names', async () => {
    const pkg = (await import(path.join(ROOT, 'package.json'), { with: { type: 'json' } })).default as { main: string };
    expect(pkg.main).toBe('dist/functions/*.js');
  });
});
