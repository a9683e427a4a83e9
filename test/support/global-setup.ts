import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePorts, startAzurite } from '../../tools/azurite';
import { ensureLocalCa } from '../../tools/https/local-ca';
import { projectRoot } from '../../tools/project-root';
import { staleBuild } from './build-freshness';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
    localCaDir: string;
  }
}

interface Run {
  readonly connectionString: string;
  readonly caDir: string;
  stop(): Promise<void>;
}

/**
 * The tiers that need storage share one Azurite and one local CA for the whole run: the CA reaches
 * the workers through NODE_EXTRA_CA_CERTS, read when a process starts, so there can be only one.
 */
const shared = globalThis as { callsTestRun?: Promise<Run>; callsTestRunUsers?: number };

/** These tiers run dist/ (the host loads it) while their helpers import src/: both must be the same code. */
function buildIfStale(): void {
  const root = projectRoot();
  const why = staleBuild(root);
  if (!why) return;
  console.log(`Building first: ${why}.`);
  const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'build'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  if (build.status !== 0) throw new Error(`npm run build failed; the tests would run an old dist/:\n${build.stdout}${build.stderr}`);
}

async function startRun(): Promise<Run> {
  buildIfStale();
  const azurite = await startAzurite({ ports: await freePorts() });
  // Every host the tests start takes its certificate from this CA, and every test process trusts
  // it the way the start banner tells a user to (set before the workers are forked).
  const caDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calls-test-ca-')), 'ca');
  const ca = await ensureLocalCa(caDir);
  process.env['LOCAL_CA_DIR'] = caDir;
  process.env['NODE_EXTRA_CA_CERTS'] = ca.certFile;
  return {
    connectionString: azurite.connectionString,
    caDir,
    stop: async () => {
      await azurite.stop();
      fs.rmSync(path.dirname(caDir), { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject) {
  shared.callsTestRun ??= startRun();
  shared.callsTestRunUsers = (shared.callsTestRunUsers ?? 0) + 1;
  const run = await shared.callsTestRun;
  project.provide('storageConnectionString', run.connectionString);
  project.provide('localCaDir', run.caDir);
  return async () => {
    shared.callsTestRunUsers = (shared.callsTestRunUsers ?? 1) - 1;
    if (shared.callsTestRunUsers > 0) return;
    shared.callsTestRun = undefined;
    await run.stop();
  };
}
