import type { Call, CallChange, CallEvent, Operation, OperationPatch, OperationSnapshot, QueuedOperation } from './model';
import { cancelledOutcome, type Outcome } from './results';
import { runningEnd, listenStart, type MediaTiming } from './timing';

/** What a decision needs from outside: the time, the timing settings, fresh ids. */
export interface DomainContext {
  readonly now: number;
  readonly timing: MediaTiming;
  readonly newId: () => string;
  /** Where a finished recording can be fetched, and the bearer token that fetches it. */
  readonly recording: (call: Call, operationId: string) => { readonly location: string; readonly accessToken: string };
}

/**
 * One decision in progress: the call after the change, and the operation rows and events it
 * produces. Every row written gets the new call version as its etag.
 *
 * A decision starts from the call as it is now: if the running operation's end has passed but the
 * media clock has not fired yet (it runs in whole seconds and polls), that end happens first, as
 * it would have. So a key pressed after a recording's max duration does not stop it, and a cancel
 * just after a prompt finished does not call it cancelled.
 */
export class CallDraft {
  #call: Call;
  readonly #created: Operation[] = [];
  readonly #patches = new Map<string, OperationPatch>();
  readonly #events: CallEvent[] = [];
  #touched = false;

  constructor(
    before: Call,
    readonly ctx: DomainContext,
  ) {
    this.#call = { ...before, version: before.version + 1 };
    this.#settleOverdueRunning();
  }

  get call(): Call {
    return this.#call;
  }

  /** Whether the decision changed anything so far. */
  get touched(): boolean {
    return this.#touched;
  }

  set(fields: Partial<Call>): void {
    this.#touched = true;
    this.#call = { ...this.#call, ...fields };
  }

  event(event: CallEvent): void {
    this.#touched = true;
    this.#events.push(event);
  }

  #settleOverdueRunning(): void {
    const call = this.#call;
    const [first] = call.mediaQueue;
    if (call.state !== 'established' || !first || !call.running) return;
    const end = runningEnd(first, call.running, this.ctx.timing);
    if (!end || end.at > this.ctx.now) return;
    const recording = end.recordedMs !== undefined && end.outcome.status === 'completed' ? { ...this.ctx.recording(call, first.id), recordedMs: end.recordedMs } : undefined;
    this.finishRunning(end.outcome, recording);
  }

  createOperation(fields: Omit<Operation, 'callId' | 'owner' | 'version' | 'createdAt'>): Operation {
    this.#touched = true;
    const op: Operation = { ...fields, callId: this.#call.id, owner: this.#call.owner, version: this.#call.version, createdAt: this.ctx.now };
    this.#created.push(op);
    return op;
  }

  /** The current state of an operation created in this draft. */
  created(id: string): Operation | undefined {
    return this.#created.find((op) => op.id === id);
  }

  /** Changes an operation, whether it was created in this draft or exists already. */
  updateOperation(id: string, fields: Omit<OperationPatch, 'id' | 'version'>): void {
    this.#touched = true;
    const version = this.#call.version;
    const i = this.#created.findIndex((op) => op.id === id);
    if (i >= 0) {
      this.#created[i] = { ...(this.#created[i] as Operation), ...fields, version };
      return;
    }
    this.#patches.set(id, { ...this.#patches.get(id), ...fields, id, version });
  }

  /** Ends a queued operation with an outcome and tells the bot. It must already be out of the queue. */
  endOperation(entry: QueuedOperation, outcome: Outcome, recording?: { location: string; accessToken: string; recordedMs: number }): void {
    const isRecord = entry.type === 'recordResponse';
    const fields = {
      status: outcome.status,
      resultInfo: outcome.resultInfo,
      completionReason: outcome.completionReason,
      endedAt: this.ctx.now,
      ...(isRecord && {
        recordingLocation: recording?.location ?? '',
        recordingAccessToken: recording?.accessToken ?? '',
        recordedMs: recording?.recordedMs ?? 0,
      }),
    };
    this.updateOperation(entry.id, fields);
    // A looping playPrompt that is cancelled still reports it; only its completion never comes.
    const snapshot: OperationSnapshot = {
      id: entry.id,
      type: entry.type,
      clientContext: entry.clientContext,
      version: this.#call.version,
      status: fields.status,
      resultInfo: fields.resultInfo,
      completionReason: fields.completionReason,
      ...(isRecord && { recordingLocation: fields.recordingLocation, recordingAccessToken: fields.recordingAccessToken }),
    };
    this.event({ kind: 'operation', operation: snapshot });
  }

  /** Cancels the given queue entries (already removed from the queue), running one first. */
  cancel(entries: readonly QueuedOperation[]): void {
    for (const entry of entries) this.endOperation(entry, cancelledOutcome(entry.type));
  }

  /**
   * Starts the first operation of the media queue if the call is established and nothing runs yet, and sets
   * the call's timer to its expected end. Called after every change to the queue.
   */
  startNext(): void {
    const call = this.#call;
    const [first] = call.mediaQueue;
    if (!first) {
      // The queue ran empty: nothing runs, nothing to wake up for.
      if (call.running) this.set({ running: undefined, timer: undefined });
      return;
    }
    if (call.state !== 'established' || call.running?.operationId === first.id) return;
    const now = this.ctx.now;
    const progress = {
      operationId: first.id,
      startedAt: now,
      ...(first.type === 'recordResponse' && { listenFrom: listenStart(now, first.run, this.ctx.timing) }),
    };
    this.set({ running: progress });
    this.updateOperation(first.id, { status: 'running' });
    this.scheduleRunning();
  }

  /** Points the call's timer at the running operation's next deadline (none for a looping prompt). */
  scheduleRunning(): void {
    const call = this.#call;
    const [first] = call.mediaQueue;
    const end = first && call.running ? runningEnd(first, call.running, this.ctx.timing) : undefined;
    this.set({ timer: end ? { token: this.ctx.newId(), dueAt: end.at } : undefined });
  }

  /** Ends the running operation with an outcome and starts the next queued operation. */
  finishRunning(outcome: Outcome, recording?: { location: string; accessToken: string; recordedMs: number }): void {
    const [first, ...rest] = this.#call.mediaQueue;
    if (!first) return;
    this.set({ mediaQueue: rest, running: undefined, timer: undefined });
    this.endOperation(first, outcome, recording);
    this.startNext();
  }

  timerIn(ms: number): void {
    this.set({ timer: { token: this.ctx.newId(), dueAt: this.ctx.now + ms } });
  }

  finish<R>(result: R): CallChange<R> {
    return { call: this.#call, created: [...this.#created], patches: [...this.#patches.values()], events: [...this.#events], result };
  }
}
