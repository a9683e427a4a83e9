import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../project-root';

/**
 * `npm run infra:check`: restores the pinned Bicep CLI from NuGet (tools/deploy/bicep-cli.csproj),
 * lints every template in infra/ and compiles infra/main.bicep to ARM JSON at dist/infra/main.json,
 * which test/infra/ reads. Any warning or error fails the run: warnings are fixed, or suppressed
 * in the template with a comment saying why (`#disable-next-line <rule> // why`).
 */

const ROOT = projectRoot();
const PROJECT = path.join(ROOT, 'tools/deploy/bicep-cli.csproj');
const PACKAGE = 'Azure.Bicep.CommandLine.linux-x64';
export const ARM_TEMPLATE = path.join(ROOT, 'dist/infra/main.json');

function pinnedVersion(): string {
  const match = new RegExp(`Include="${PACKAGE.replaceAll('.', '\\.')}" Version="\\[([^\\]]+)\\]"`).exec(readFileSync(PROJECT, 'utf8'));
  if (!match?.[1]) throw new Error(`${PROJECT} pins no version of ${PACKAGE}`);
  return match[1];
}

/** Restores the package (a no-op once it is in the NuGet cache) and returns the compiler's path. */
function restoreBicep(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the Bicep CLI is restored for linux-x64 only; on ${process.platform}-${process.arch} run your own 'bicep lint' and 'bicep build'`);
  }
  execFileSync('dotnet', ['restore', PROJECT, '--nologo', '--verbosity', 'quiet'], { stdio: 'inherit' });
  const listed = execFileSync('dotnet', ['nuget', 'locals', 'global-packages', '--list'], { encoding: 'utf8' });
  const folder = /global-packages:\s*(.+)/.exec(listed)?.[1]?.trim();
  if (!folder) throw new Error(`cannot find the NuGet packages folder in: ${listed}`);
  const binary = path.join(folder, PACKAGE.toLowerCase(), pinnedVersion(), 'tools', 'bicep');
  if (!existsSync(binary)) throw new Error(`${binary} is missing after the restore`);
  return binary;
}

/** Runs the compiler; its diagnostics (file(line,col) : Level rule: text) go to stdout or stderr. */
function run(bicep: string, args: string[]): string[] {
  const result = spawnSync(bicep, args, { encoding: 'utf8', cwd: ROOT });
  const output = `${result.stdout}\n${result.stderr}`.split('\n').map((line) => line.trim()).filter(Boolean);
  if (result.status !== 0 && output.length === 0) output.push(`bicep ${args.join(' ')} exited with ${result.status}`);
  return output;
}

function main(): void {
  const bicep = restoreBicep();
  console.log(run(bicep, ['--version']).join(' '));
  const templates = readdirSync(path.join(ROOT, 'infra'))
    .filter((name) => name.endsWith('.bicep'))
    .map((name) => path.join(ROOT, 'infra', name));
  const diagnostics = new Set<string>();
  for (const file of templates) for (const line of run(bicep, ['lint', file])) diagnostics.add(line);
  mkdirSync(path.dirname(ARM_TEMPLATE), { recursive: true });
  for (const line of run(bicep, ['build', path.join(ROOT, 'infra/main.bicep'), '--outfile', ARM_TEMPLATE])) diagnostics.add(line);
  if (diagnostics.size > 0) {
    console.error([...diagnostics].join('\n'));
    console.error(`infra: ${diagnostics.size} diagnostic(s); the templates must lint and build clean`);
    process.exit(1);
  }
  console.log(`infra: ${templates.map((f) => path.relative(ROOT, f)).join(', ')} lint clean; compiled to ${path.relative(ROOT, ARM_TEMPLATE)}`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`infra: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
