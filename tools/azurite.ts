import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isPortFree, restartablePort, waitForPort } from './ports';
import { projectRoot } from './project-root';

/** Azurite's well-known development account (public, documented, not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
export const DEFAULT_AZURITE_PORTS = { blob: 10000, queue: 10001, table: 10002 } as const;

export interface AzuritePorts {
  readonly blob: number;
  readonly queue: number;
  readonly table: number;
}

export interface AzuriteOptions {
  /** Keep data in this folder; without it, data lives in memory and dies with Azurite. */
  readonly location?: string;
  readonly ports: AzuritePorts;
}

export interface RunningAzurite {
  readonly ports: AzuritePorts;
  readonly connectionString: string;
  stop(): Promise<void>;
}

export function azuriteConnectionString(ports: AzuritePorts): string {
  const endpoint = (port: number) => `http://127.0.0.1:${port}/${ACCOUNT}`;
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${ACCOUNT}`,
    `AccountKey=${ACCOUNT_KEY}`,
    `BlobEndpoint=${endpoint(ports.blob)}`,
    `QueueEndpoint=${endpoint(ports.queue)}`,
    `TableEndpoint=${endpoint(ports.table)}`,
  ].join(';');
}

/** The default ports when all three are free, else three free ones; `moved` says which it was. */
export async function choosePorts(): Promise<{ ports: AzuritePorts; moved: boolean }> {
  const free = await Promise.all(Object.values(DEFAULT_AZURITE_PORTS).map(isPortFree));
  if (free.every(Boolean)) return { ports: DEFAULT_AZURITE_PORTS, moved: false };
  return { ports: await freePorts(), moved: true };
}

export async function freePorts(): Promise<AzuritePorts> {
  const [blob = 0, queue = 0, table = 0] = await Promise.all([restartablePort(), restartablePort(), restartablePort()]);
  return { blob, queue, table };
}

/**
 * Starts Azurite from node_modules as a child process (blob, queue and table services on
 * 127.0.0.1) and resolves when it accepts connections. The child stops itself if this process dies.
 */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const cli = createRequire(__filename).resolve('azurite/dist/src/azurite.js');
  const { ports } = options;
  const args = [
    '--silent',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    ...['blob', 'queue', 'table'].flatMap((s) => [`--${s}Host`, '127.0.0.1', `--${s}Port`, String(ports[s as keyof AzuritePorts])]),
  ];
  if (options.location) {
    mkdirSync(options.location, { recursive: true });
    args.push('--location', options.location);
  } else {
    args.push('--inMemoryPersistence');
  }

  // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and Azurite
  // must not get that signal as well as our stop (a second signal kills it before it saves).
  const child = spawn(process.execPath, ['--require', exitWithParentPreload(), cli, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EXIT_WITH_PARENT_PID: String(process.pid) },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));

  try {
    await Promise.all([waitForPort(ports.queue, 20_000, () => alive), waitForPort(ports.table, 20_000, () => alive)]);
  } catch (error) {
    await stopChild(child, exited);
    throw new Error(`Azurite did not start: ${(error as Error).message}\n${output.trim()}`);
  }
  let stopping: Promise<void> | undefined;
  return { ports, connectionString: azuriteConnectionString(ports), stop: () => (stopping ??= stopChild(child, exited)) };
}

/** The preload that ties a child's life to this process (kept as plain JS in tools/, never compiled). */
export function exitWithParentPreload(): string {
  return path.join(projectRoot(), 'tools', 'exit-with-parent.cjs');
}

/**
 * Azurite keeps its data in memory and writes it to disk every 5 s and when it shuts down
 * gracefully. So it is stopped once, with SIGTERM, and waited for; SIGKILL only if it hangs.
 */
const GRACEFUL_STOP_MS = 30_000;

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), GRACEFUL_STOP_MS);
  await exited;
  clearTimeout(timer);
}
