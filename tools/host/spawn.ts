import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { exitWithParentPreload } from '../azurite';
import { restartablePort } from '../ports';
import { projectRoot } from '../project-root';

/** The local host (or `npm start`'s script) as a child process, for tests and the benchmark. */
export interface HostProcess {
  readonly url: string;
  readonly port: number;
  /** The HTTPS listener's base URL, unless HTTPS was turned off. */
  readonly httpsUrl?: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends the signal and resolves with the exit code (null when a signal ended it). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnOptions {
  readonly appRoot?: string;
  readonly env?: Record<string, string>;
  readonly args?: readonly string[];
  readonly port?: number;
}

/** Starts the compiled local host CLI and resolves once it listens. It dies with this process. */
export async function startHostProcess(options: SpawnOptions = {}): Promise<HostProcess> {
  const root = projectRoot();
  const port = options.port ?? (await restartablePort());
  // A free HTTPS port too, unless the caller chose: 7443 may be taken by `npm start` or a parallel test.
  const httpsPort = options.args?.includes('--https-port') ? [] : ['--https-port', String(await restartablePort())];
  const args = ['--app', options.appRoot ?? root, '--port', String(port), ...httpsPort, ...(options.args ?? [])];
  return spawnUntil(path.join(root, 'dist/tools/host/cli.js'), args, options.env ?? {}, /Host listening on (http:\/\/\S+)/, port);
}

/** Starts `dist/tools/start.js` (what `npm start` runs) and resolves at its ready line. */
export async function runStartScript(env: Record<string, string | undefined>, args: readonly string[] = []): Promise<HostProcess> {
  const port = Number(env['PORT'] ?? (await restartablePort()));
  const httpsPort = env['HTTPS_PORT'] ?? String(await restartablePort());
  return spawnUntil(path.join(projectRoot(), 'dist/tools/start.js'), args, { ...env, PORT: String(port), HTTPS_PORT: httpsPort }, /Service ready at (http:\/\/\S+)/, port);
}

/** Starts the sample bot (`npm run bot`'s script) and resolves once it prints its callbackUri (the `url`). */
export async function startBotProcess(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<HostProcess> {
  const port = await restartablePort();
  return spawnUntil(path.join(projectRoot(), 'dist/tools/bot/cli.js'), ['--port', String(port), ...args], env, /callbackUri: (\S+)/, port);
}

/** An `undefined` in env removes that variable from the child's environment. */
async function spawnUntil(script: string, args: readonly string[], env: Record<string, string | undefined>, ready: RegExp, port: number): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--require', exitWithParentPreload(), script, ...args], {
    cwd: projectRoot(),
    env: { ...process.env, ...env, EXIT_WITH_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = ready.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`${path.basename(script)} exited with ${code} before it was ready:\n${output}`)));
    setTimeout(() => reject(new Error(`${path.basename(script)} was not ready after 30 s:\n${output}`)), 30_000).unref();
  });
  const httpsUrl = / and (https:\/\/[^\s)]+)|HTTPS {2,}(https:\/\/\S+)/.exec(output);
  return {
    url,
    port,
    ...(httpsUrl && { httpsUrl: httpsUrl[1] ?? httpsUrl[2] }),
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
