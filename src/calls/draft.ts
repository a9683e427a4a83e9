import type { Call, CallChange, CallEffects, CallEvent, Operation, OperationPatch, OperationSnapshot, OperationType, QueuedOperation } from './model';
import type { InjectedFault } from './platform-faults';
import { cancelledOutcome, DTMF_CANCELLED, DTMF_COMPLETED, INVITE_CANCELLED, PROMPT_FAULT_OUTCOMES, type Outcome } from './results';
import { nextInvitationAt } from './guests';
import { runningEnd, listenStart, type CallTiming } from './timing';

/** What a decision needs from outside: the time, the timing settings, fresh ids. */
export interface DomainContext {
  readonly now: number;
  readonly timing: CallTiming;
  readonly newId: () => string;
  /** Where a finished recording can be fetched, and the bearer token that fetches it. */
  readonly recording: (call: Call, operationId: string) => { readonly location: string; readonly accessToken: string };
  /** A recording running when the caller hangs up ends without a notification (RECORDING_ON_CALLER_HANGUP=silent). */
  readonly silentRecordingOnCallerHangUp?: boolean;
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
  #effects: CallEffects = {};
  #touched = false;

  constructor(
    before: Call,
    readonly ctx: DomainContext,
  ) {
    this.#call = { ...before, version: before.version + 1 };
    this.#settleOverdueRunning();
    this.#settleOverdueDtmf();
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

  /** Something the change does to another of the app's calls, once it is committed. */
  effect(effects: CallEffects): void {
    this.#effects = { endCalls: [...(this.#effects.endCalls ?? []), ...(effects.endCalls ?? [])] };
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

  #settleOverdueDtmf(): void {
    const due = (this.#call.dtmf ?? []).filter((run) => run.endsAt <= this.ctx.now);
    if (due.length === 0) return;
    this.set({ dtmf: (this.#call.dtmf ?? []).slice(due.length) });
    for (const run of due) this.endOperation({ ...run, type: 'sendDtmfTones' }, DTMF_COMPLETED);
  }

  createOperation(fields: Omit<Operation, 'callId' | 'owner' | 'version' | 'createdAt'>): Operation {
    this.#touched = true;
    const op: Operation = { ...fields, callId: this.#call.id, owner: this.#call.owner, version: this.#call.version, createdAt: this.ctx.now };
    this.#created.push(op);
    return op;
  }

  /** An operation that completes as it is asked for (mute, subscribeToTone, cancelMediaProcessing...): created `completed`. */
  completedOperation(type: OperationType, request: { readonly operationId: string; readonly clientContext?: string | undefined }): Operation {
    return this.createOperation({ id: request.operationId, type, status: 'completed', ...(request.clientContext !== undefined && { clientContext: request.clientContext }), endedAt: this.ctx.now });
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

  /**
   * Ends an operation with an outcome and tells the bot (unless `silently`: the operation row
   * ends, no notification goes out). It must already be out of the media queue or the DTMF list.
   */
  endOperation(entry: Pick<QueuedOperation, 'id' | 'clientContext'> & { readonly type: OperationType }, outcome: Outcome, recording?: { location: string; accessToken: string; recordedMs: number }, silently = false, injected?: InjectedFault): void {
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
    if (!silently) this.event({ kind: 'operation', operation: snapshot, ...(injected && { injected }) });
  }

  /**
   * Stops the bot's media: the queue and any sendDtmfTones end cancelled, with their notifications
   * (a running recordResponse without one when `silentRecording`). For a hang-up and a transfer.
   */
  stopMedia(options: { silentRecording?: boolean } = {}): void {
    const { mediaQueue, running, dtmf = [] } = this.#call;
    this.set({ mediaQueue: [], running: undefined, dtmf: [] });
    mediaQueue.forEach((entry, i) => {
      const silently = options.silentRecording === true && i === 0 && running !== undefined && entry.type === 'recordResponse';
      this.endOperation(entry, cancelledOutcome(entry.type), undefined, silently);
    });
    for (const run of dtmf) this.endOperation({ ...run, type: 'sendDtmfTones' }, DTMF_CANCELLED);
  }

  /** The call ends: invitations still ringing are cancelled, and their operations end with them. */
  dropInvitations(): void {
    const ringing = (this.#call.guests ?? []).filter((g) => g.state === 'invited' && g.invitation);
    if (ringing.length === 0) return;
    this.set({ guests: (this.#call.guests ?? []).filter((g) => !ringing.includes(g)), onHold: undefined });
    const ops = new Map(ringing.map((g) => [g.invitation?.operationId ?? '', g.invitation?.clientContext]));
    for (const [id, clientContext] of ops) this.endOperation({ id, type: 'inviteParticipants', ...(clientContext !== undefined && { clientContext }) }, { status: 'failed', resultInfo: INVITE_CANCELLED, completionReason: '' });
  }

  /** Cancels the given queue entries (already removed from the queue), running one first. */
  cancel(entries: readonly QueuedOperation[]): void {
    for (const entry of entries) this.endOperation(entry, cancelledOutcome(entry.type));
  }

  /**
   * Starts the first operation of the media queue if the call is established and nothing runs yet.
   * Called after every change to the queue; the timer follows at finish().
   */
  startNext(): void {
    const call = this.#call;
    const [first] = call.mediaQueue;
    if (!first) {
      // The queue ran empty: nothing runs.
      if (call.running) this.set({ running: undefined });
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
    // The platform plays nothing of a faulted prompt: it ends as it starts.
    if (first.type === 'playPrompt' && first.fault) this.finishRunning(PROMPT_FAULT_OUTCOMES[first.fault], undefined, first.fault === 'unknown' ? 'promptUnknown' : 'promptFailed');
  }

  /** Ends the running operation with an outcome and starts the next queued operation. */
  finishRunning(outcome: Outcome, recording?: { location: string; accessToken: string; recordedMs: number }, injected?: InjectedFault): void {
    const [first, ...rest] = this.#call.mediaQueue;
    if (!first) return;
    this.set({ mediaQueue: rest, running: undefined });
    this.endOperation(first, outcome, recording, false, injected);
    this.startNext();
  }

  /** The current state moves on by itself in `ms` (see Call.stateDeadline); undefined clears it. */
  deadlineIn(ms: number | undefined): void {
    this.set({ stateDeadline: ms === undefined ? undefined : this.ctx.now + ms });
  }

  /** Starts (or restarts) the keep-alive window. */
  keepAliveFor(ms: number): void {
    this.set({ keepAlive: { token: this.ctx.newId(), dueAt: this.ctx.now + ms } });
  }

  /** The change, or undefined when the decision changed nothing (so nothing is committed). */
  finishIfTouched<R>(result: R): CallChange<R> | undefined {
    return this.#touched ? this.finish(result) : undefined;
  }

  finish<R>(result: R): CallChange<R> {
    this.#aimTimer();
    const effects = this.#effects.endCalls ? { effects: this.#effects } : {};
    return { call: this.#call, created: [...this.#created], patches: [...this.#patches.values()], events: [...this.#events], result, ...effects };
  }

  /**
   * Points the call's timer at its next deadline: the running operation's end (none for a looping
   * prompt), the first sendDtmfTones' end, or the state's deadline, whichever comes first. The
   * token changes only with the time, so an unchanged deadline sends no new clock message and a
   * moved one makes the old message stale.
   */
  #aimTimer(): void {
    const call = this.#call;
    const [first] = call.mediaQueue;
    const deadlines = [
      first && call.running ? runningEnd(first, call.running, this.ctx.timing)?.at : undefined,
      call.dtmf?.[0]?.endsAt,
      call.stateDeadline,
      call.platform?.drop?.at,
      nextInvitationAt(call.guests),
    ].filter((at): at is number => at !== undefined);
    const dueAt = deadlines.length > 0 ? Math.min(...deadlines) : undefined;
    if (dueAt === call.timer?.dueAt) return;
    this.set({ timer: dueAt === undefined ? undefined : { token: this.ctx.newId(), dueAt } });
  }
}
