import { LRUCache } from 'lru-cache';
import type { Services } from '../service/services';

/**
 * Isolation between recipients. A recipient is one app's callback origin (scheme, host, port): one
 * bot. Two apps whose bots share a host are two recipients: one's failures never hold the other's.
 * Deliveries run in two lanes, each a queue with its own function, so its own share of the
 * host's concurrency:
 *   - fast: every notification starts here;
 *   - slow: a recipient whose circuit is open (see circuit.ts), and the overflow of a recipient that is
 *     not answering promptly, wait here, so they never hold the fast lane's slots.
 * Within an instance, a recipient that has not shown that it answers promptly may hold only a few
 * deliveries at once; the rest go to the slow lane. That cap is per instance, as the capacity it
 * protects is; the circuit's state is in storage and shared.
 */
export type Lane = 'fast' | 'slow';

/** Deliveries one instance runs at once for a recipient not known to answer promptly, per lane. */
const CAP: Record<Lane, number> = { fast: 4, slow: 2 };
/** An answer within this marks a recipient as prompt; a drain running longer marks it as not. */
const PROMPT_MS = 1000;
/** How soon a recipient's overflow in the slow lane is looked at again. */
const OVERFLOW_RETRY_SECONDS = 1;

export type Admission =
  | { readonly kind: 'deliver'; leave(): void }
  | { readonly kind: 'forward'; readonly lane: Lane; readonly delaySeconds: number };

/** What isolation and the circuit breakers count by: the app and the origin of its callback URL. */
export function recipientKey(appId: string, callbackUri: string): string {
  return `${appId.toLowerCase()} ${originOf(callbackUri)}`;
}

/** The origin of a callback URL. */
export function originOf(callbackUri: string): string {
  try {
    return new URL(callbackUri).origin;
  } catch {
    return callbackUri;
  }
}

/**
 * How many recipients an instance remembers anything about (whether they answer promptly, their
 * circuit as last read); the least recently seen are forgotten first, so a flood of callback
 * origins cannot grow memory. A forgotten recipient is simply not known to be prompt, or read again.
 */
export const RECIPIENTS_REMEMBERED = 10_000;

/** One instance's deliveries in progress per recipient, and whether each answered promptly last time. */
export class RecipientLoad {
  readonly #running = new Map<string, number[]>();
  readonly #prompt = new LRUCache<string, boolean>({ max: RECIPIENTS_REMEMBERED });

  /** How many recipients' promptness this instance remembers. */
  get remembered(): number {
    return this.#prompt.size;
  }

  isPrompt(recipient: string, now: number): boolean {
    if (this.#prompt.get(recipient) !== true) return false;
    const running = [...(this.#running.get(`fast|${recipient}`) ?? []), ...(this.#running.get(`slow|${recipient}`) ?? [])];
    return running.every((startedAt) => now - startedAt < PROMPT_MS);
  }

  /** Starts a delivery if fewer than `cap` run; the function ends it. */
  enter(lane: Lane, recipient: string, cap: number, now: number): (() => void) | undefined {
    const key = `${lane}|${recipient}`;
    const running = this.#running.get(key) ?? [];
    if (running.length >= cap) return undefined;
    running.push(now);
    this.#running.set(key, running);
    return () => {
      running.splice(running.indexOf(now), 1);
      if (running.length === 0) this.#running.delete(key);
    };
  }

  answered(recipient: string, latencyMs: number, ok: boolean): void {
    this.#prompt.set(recipient, ok && latencyMs < PROMPT_MS);
  }
}


/** Whether a drain for `recipient` in `lane` delivers now, or where its message goes instead. */
export async function admit(s: Services, recipient: string, lane: Lane): Promise<Admission> {
  const now = s.now();
  // The fast lane goes on the last view (refreshed once it is a second old); the slow lane, where probes are decided, reads afresh.
  const circuit = await (lane === 'fast' ? s.circuits.view(recipient, now) : s.circuits.current(recipient, now));
  if (circuit?.state === 'open') {
    const wait = (circuit.probeAt ?? now) - now;
    if (lane === 'fast' || wait > 0) return forward('slow', wait / 1000);
    if (!(await s.circuits.claimProbe(recipient, now))) return forward('slow', OVERFLOW_RETRY_SECONDS);
    return deliver(s.recipients.enter(lane, recipient, Number.POSITIVE_INFINITY, now));
  }
  const cap = s.recipients.isPrompt(recipient, now) ? Number.POSITIVE_INFINITY : CAP[lane];
  const leave = s.recipients.enter(lane, recipient, cap, now);
  if (leave) return deliver(leave);
  return forward('slow', lane === 'fast' ? 0 : OVERFLOW_RETRY_SECONDS);
}

function deliver(leave: (() => void) | undefined): Admission {
  return { kind: 'deliver', leave: leave ?? (() => undefined) };
}

function forward(lane: Lane, delaySeconds: number): Admission {
  // A little jitter, so a recipient's many waiting calls do not all come back in the same second.
  return { kind: 'forward', lane, delaySeconds: Math.max(0, delaySeconds) + (delaySeconds > 0 ? Math.random() : 0) };
}
