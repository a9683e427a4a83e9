import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../project-root';

/**
 * `npm run package` (azd runs it after `npm run build`): the deployment package in `.deploy/`, the
 * folder azure.yaml names as the service's `dist`. It holds what the Azure Functions host loads and
 * nothing else: host.json, package.json and its lock, the compiled app (`dist/` without the dev-only
 * tools and tests) and the production dependencies, installed from the lock file. The build is local
 * (azure.yaml `remoteBuild: false`), so Azure runs exactly the JavaScript that CI tested.
 */

const ROOT = projectRoot();
export const PACKAGE_DIR = path.join(ROOT, '.deploy');

/** Compiled folders that are not part of the app (the same ones .funcignore keeps out). */
const DEV_ONLY = ['dist/tools', 'dist/test', 'dist/infra'];

function main(): void {
  if (!existsSync(path.join(ROOT, 'dist/functions'))) throw new Error("dist/functions is missing: run 'npm run build' first");
  rmSync(PACKAGE_DIR, { recursive: true, force: true });
  mkdirSync(PACKAGE_DIR);
  for (const file of ['host.json', 'package.json', 'package-lock.json']) cpSync(path.join(ROOT, file), path.join(PACKAGE_DIR, file));
  const devOnly = new Set(DEV_ONLY.map((dir) => path.join(ROOT, dir)));
  cpSync(path.join(ROOT, 'dist'), path.join(PACKAGE_DIR, 'dist'), { recursive: true, filter: (source) => !devOnly.has(source) });
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PACKAGE_DIR, stdio: 'inherit' });
  console.log(`package: ${path.relative(ROOT, PACKAGE_DIR)}/ holds the app and its production dependencies`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
