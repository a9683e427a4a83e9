import type { TestProject } from 'vitest/node';
import { freePorts, startAzurite } from '../../tools/azurite';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
  }
}

export default async function setup(project: TestProject) {
  const azurite = await startAzurite({ ports: await freePorts() });
  project.provide('storageConnectionString', azurite.connectionString);
  return () => azurite.stop();
}
