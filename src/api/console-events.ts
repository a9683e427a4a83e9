import { parseGuid } from '../graph/ids';
import { GraphError } from '../graph/errors';
import { services } from '../app/services';
import { callListView, callView, listQueryOf } from './console-data';
import type { GraphHandler } from './error-boundary';

/** How often the stream looks at storage; any instance may have changed a call, so it asks storage. */
const POLL_MS = 500;
/** A comment line this often keeps proxies and the browser from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;
/** A stream ends after this; the console reconnects (and a forgotten tab stops polling). */
const LIFETIME_MS = 5 * 60_000;

/** Streams one instance serves at once: each polls storage, so a page opening them without end cannot. */
export const MAX_EVENT_STREAMS = 16;

type Snapshot = () => Promise<readonly (readonly [event: string, data: unknown])[]>;

/**
 * GET /emulator/events[?app=...&state=...&callId=...]: server-sent events for the console. `calls`
 * carries the call list (as GET /emulator/calls), `call` the chosen call (as GET
 * /emulator/calls/{callId}, or {"notFound": true}); each is sent first, then whenever it changes.
 * `problem` says storage could not be read this time; `end` comes before the stream closes.
 */
export const streamConsoleEvents: GraphHandler = async (request) => {
  const query = listQueryOf(request);
  const raw = request.query.get('callId') || undefined;
  const callId = raw === undefined ? undefined : parseGuid(raw);
  if (raw !== undefined && !callId) throw GraphError.badRequest(`'callId' must be a call id (a GUID); got '${raw}'.`);
  const s = services();
  if (s.consoleStreams.open >= MAX_EVENT_STREAMS) {
    throw new GraphError(429, 'TooManyRequests', `This instance already serves ${MAX_EVENT_STREAMS} console event streams; close a console tab, or retry.`, { 'Retry-After': '5' }, '429', { status: '429' });
  }
  const snapshot: Snapshot = async () => {
    const [calls, call] = await Promise.all([callListView(s, query), callId ? callView(s, callId) : undefined]);
    return [['calls', calls], ...(callId ? [['call', call ?? { notFound: true, id: callId }] as const] : [])];
  };
  return {
    status: 200,
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' },
    body: eventStream(snapshot, s.consoleStreams),
  };
};

/** A stream of `event:` / `data:` messages: each event's data when it differs from what was last sent. */
export function eventStream(snapshot: Snapshot, streams: { open: number } = { open: 0 }, timing = { pollMs: POLL_MS, keepAliveMs: KEEP_ALIVE_MS, lifetimeMs: LIFETIME_MS }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const sent = new Map<string, string>();
  const endsAt = Date.now() + timing.lifetimeMs;
  let lastWrite = Date.now();
  let first = true;
  let cancelled = false;
  let counted = true;
  streams.open++;
  const closed = () => {
    if (counted) streams.open--;
    counted = false;
  };
  return new ReadableStream<Uint8Array>({
    // Called whenever the reader wants more: waits for the next change, so a slow reader slows the polling.
    async pull(controller) {
      for (;;) {
        if (!first) await new Promise((resolve) => setTimeout(resolve, timing.pollMs));
        first = false;
        if (cancelled) return;
        if (Date.now() >= endsAt) {
          controller.enqueue(encoder.encode('event: end\ndata: {}\n\n'));
          controller.close();
          closed();
          return;
        }
        let text = '';
        try {
          for (const [event, data] of await snapshot()) {
            const json = JSON.stringify(data);
            if (sent.get(event) === json) continue;
            sent.set(event, json);
            text += `event: ${event}\ndata: ${json}\n\n`;
          }
        } catch (error) {
          text = `event: problem\ndata: ${JSON.stringify({ message: (error as Error).message ?? String(error) })}\n\n`;
        }
        if (text === '' && Date.now() - lastWrite >= timing.keepAliveMs) text = ': keep-alive\n\n';
        if (cancelled || text === '') continue;
        lastWrite = Date.now();
        controller.enqueue(encoder.encode(text));
        return;
      }
    },
    cancel() {
      cancelled = true;
      closed();
    },
  });
}
