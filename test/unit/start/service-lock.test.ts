import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFolderInUse, LOCK_FILE, lockDataFolder } from '../../../tools/service-lock';

describe('the data folder lock of npm start', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'service-lock-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const everyoneAlive = () => true;
  const lockFile = () => path.join(folder, LOCK_FILE);

  it('refuses a second owner while the first is alive, naming its PID and URL', () => {
    const first = lockDataFolder(folder, 1001, everyoneAlive);
    first.announce('http://127.0.0.1:7071');
    expect(() => lockDataFolder(folder, 1002, everyoneAlive)).toThrow(DataFolderInUse);
    expect(() => lockDataFolder(folder, 1002, everyoneAlive)).toThrow(
      `another npm start (PID 1001, http://127.0.0.1:7071) is using the data folder ${folder}; stop it first, or start this one with --data <another folder> or --in-memory`,
    );
  });

  it('is free again once released, and leaves no file behind', () => {
    lockDataFolder(folder, 1001, everyoneAlive).release();
    expect(existsSync(lockFile())).toBe(false);
    expect(() => lockDataFolder(folder, 1002, everyoneAlive)).not.toThrow();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toEqual({ pid: 1002 });
  });

  it('takes over a lock whose process is gone', () => {
    lockDataFolder(folder, 1001, everyoneAlive);
    const lock = lockDataFolder(folder, 1002, (pid) => pid !== 1001);
    lock.announce('http://127.0.0.1:7171');
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toEqual({ pid: 1002, url: 'http://127.0.0.1:7171' });
  });

  it('takes over a lock file it cannot read', () => {
    writeFileSync(lockFile(), '{"pi');
    expect(() => lockDataFolder(folder, 1002, everyoneAlive)).not.toThrow();
  });

  it('does not remove a lock another process took over after it', () => {
    const first = lockDataFolder(folder, 1001, everyoneAlive);
    lockDataFolder(folder, 1002, (pid) => pid !== 1001);
    first.release();
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toEqual({ pid: 1002 });
  });
});
