import { LOG_LEVELS, type LogLevelName } from './host-config';

/** Levels as `@azure/functions` and the worker name them. */
export type WorkerLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';

const FROM_WORKER: Record<WorkerLogLevel, LogLevelName> = {
  trace: 'Trace',
  debug: 'Debug',
  information: 'Information',
  warning: 'Warning',
  error: 'Error',
  critical: 'Critical',
  none: 'None',
};

export interface HostLogger {
  log(level: WorkerLogLevel, message: string): void;
  enabled(level: WorkerLogLevel): boolean;
}

/** Writes lines at or above `minimum` (host.json logging.logLevel.default) to stdout / stderr. */
export function consoleLogger(minimum: LogLevelName): HostLogger {
  const floor = LOG_LEVELS.indexOf(minimum);
  const enabled = (level: WorkerLogLevel) => level !== 'none' && LOG_LEVELS.indexOf(FROM_WORKER[level]) >= floor;
  return {
    enabled,
    log(level, message) {
      if (!enabled(level)) return;
      const line = `[${new Date().toISOString()}] ${message}\n`;
      (level === 'error' || level === 'critical' || level === 'warning' ? process.stderr : process.stdout).write(line);
    },
  };
}
