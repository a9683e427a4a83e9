import { Cron } from 'croner';
import { invoke, type ContextConstructor, type InFlight } from './invocation';
import type { HostLogger } from './logger';
import type { RegisteredFunction } from './registry';

export interface TimerTriggerDeps {
  readonly InvocationContext: ContextConstructor;
  readonly logger: HostLogger;
  readonly inFlight: InFlight;
  /** IANA zone for the schedule; Azure uses UTC unless WEBSITE_TIME_ZONE says otherwise. */
  readonly timeZone: string;
}

/**
 * Runs a timer-triggered function on its NCRONTAB schedule (six fields, seconds first), as the
 * Functions host does: one invocation at a time (an occurrence that falls during a run is skipped),
 * `runOnStartup` honoured, and the handler receiving a Timer object.
 */
export class TimerSchedule {
  readonly #job: Cron;
  #last: Date | undefined;

  constructor(
    private readonly fn: RegisteredFunction,
    schedule: string,
    private readonly deps: TimerTriggerDeps,
  ) {
    const fields = schedule.trim().split(/\s+/);
    if (fields.length !== 6) {
      throw new Error(`Function '${fn.metadata.name}': schedule '${schedule}' must be an NCRONTAB expression with six fields ({second} {minute} {hour} {day} {month} {day-of-week}).`);
    }
    this.#job = new Cron(schedule, { paused: true, protect: true, timezone: deps.timeZone }, () => this.fire());
  }

  start(): void {
    this.#job.resume();
    if (this.fn.trigger['runOnStartup'] === true) void this.fire();
  }

  stop(): void {
    this.#job.stop();
  }

  /** One invocation; also what `runOnStartup` calls. */
  async fire(): Promise<void> {
    const now = new Date();
    const timer = {
      isPastDue: false,
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: (this.#last ?? now).toISOString(),
        next: (this.#job.nextRun() ?? now).toISOString(),
        lastUpdated: now.toISOString(),
      },
    };
    this.#last = now;
    const work = invoke(this.fn, timer, undefined, this.deps).catch((error: unknown) => {
      this.deps.logger.log('error', `[${this.fn.metadata.name}] timer invocation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
    await this.deps.inFlight.track(work);
  }
}
