import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project folder (the one holding host.json), whether running from tools/ or dist/tools/. */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'host.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No host.json above ${from}`);
    dir = parent;
  }
  return dir;
}
