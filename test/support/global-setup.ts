import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePorts, startAzurite } from '../../tools/azurite';
import { ensureLocalCa } from '../../tools/https/local-ca';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
    localCaDir: string;
  }
}

export default async function setup(project: TestProject) {
  const azurite = await startAzurite({ ports: await freePorts() });
  project.provide('storageConnectionString', azurite.connectionString);
  // One local CA for the run, in a temporary folder: every host the tests start takes its
  // certificate from it, and every test process trusts it the way the start banner tells a user
  // to (the variable is read when a process starts, so it is set before the workers are forked).
  const caDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calls-test-ca-')), 'ca');
  const ca = await ensureLocalCa(caDir);
  process.env['LOCAL_CA_DIR'] = caDir;
  process.env['NODE_EXTRA_CA_CERTS'] = ca.certFile;
  project.provide('localCaDir', caDir);
  return async () => {
    await azurite.stop();
    fs.rmSync(path.dirname(caDir), { recursive: true, force: true });
  };
}
