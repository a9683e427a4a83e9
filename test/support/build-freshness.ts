import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What `npm run build` compiles into dist/: the api, integration, e2e and sdk tiers run that build. */
export const BUILD_SOURCES = ['functions', 'src', 'tools', 'console'];

/**
 * Why dist/ does not hold the sources as they are, or undefined when it does: dist/ is missing, or a
 * source file changed after the oldest file of the last build was written.
 */
export function staleBuild(root: string): string | undefined {
  const dist = path.join(root, 'dist');
  if (!existsSync(dist)) return 'there is no dist/';
  const built = Math.min(...files(dist).map((f) => statSync(f).mtimeMs));
  const newer = BUILD_SOURCES.flatMap((dir) => files(path.join(root, dir))).find((f) => statSync(f).mtimeMs > built);
  return newer ? `${path.relative(root, newer)} changed after dist/ was built` : undefined;
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
