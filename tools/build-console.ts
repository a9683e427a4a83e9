import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from './project-root';

/**
 * Part of `npm run build`: bundles the console's page (console/src, Preact + htm from
 * node_modules) into dist/console with its HTML and CSS, so the app serves it with no network.
 */
async function main(): Promise<void> {
  const root = projectRoot();
  const source = path.join(root, 'console');
  const out = path.join(root, 'dist/console');
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [path.join(source, 'src/main.ts')],
    outfile: path.join(out, 'console.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'eof',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'console.css']) copyFileSync(path.join(source, file), path.join(out, file));
}

main().catch((error: unknown) => {
  console.error(`build-console: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
