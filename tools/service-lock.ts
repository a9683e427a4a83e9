import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * One `npm start` per data folder: two Azurites writing one folder corrupt it. The lock is a file
 * in the folder, created exclusively, holding the owner's PID and (once it is up) its URL. A lock
 * whose process is gone is stale and taken over.
 */
export const LOCK_FILE = 'npm-start.lock.json';

export interface LockOwner {
  readonly pid: number;
  readonly url?: string;
}

export interface ServiceLock {
  /** Records the service's address for the next `npm start` to name. */
  announce(url: string): void;
  release(): void;
}

export class DataFolderInUse extends Error {
  constructor(folder: string, owner: LockOwner) {
    super(
      `another npm start (PID ${owner.pid}${owner.url ? `, ${owner.url}` : ''}) is using the data folder ${folder}; ` +
        'stop it first, or start this one with --data <another folder> or --in-memory',
    );
  }
}

export function lockDataFolder(folder: string, pid: number = process.pid, alive: (pid: number) => boolean = isAlive): ServiceLock {
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, LOCK_FILE);
  // Written whole beside the lock, then put in place in one step, so a reader never sees half a file.
  const write = (owner: LockOwner, place: (from: string) => void) => {
    const draft = `${file}.${pid}`;
    writeFileSync(draft, JSON.stringify(owner));
    try {
      place(draft);
    } finally {
      rmSync(draft, { force: true });
    }
  };
  for (;;) {
    try {
      write({ pid }, (draft) => linkSync(draft, file)); // fails if the lock exists
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (owner && owner.pid !== pid && alive(owner.pid)) throw new DataFolderInUse(folder, owner);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  let held = true;
  const release = () => {
    if (held && readOwner(file)?.pid === pid) rmSync(file, { force: true });
    held = false;
  };
  process.once('exit', release);
  return {
    announce: (url) => {
      if (held) write({ pid, url }, (draft) => renameSync(draft, file));
    },
    release,
  };
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? { pid: owner.pid, ...(typeof owner.url === 'string' && { url: owner.url }) } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
