/**
 * How the page talks to the service: the console's read routes and event stream, the emulator's
 * and Graph's routes for every change (the same requests a test makes), and local tokens so it
 * can act as the app that owns a call.
 */

export interface ResultInfo {
  readonly code: number;
  readonly subcode: number;
  readonly message: string;
}

export interface CallSummary {
  readonly id: string;
  readonly appId: string;
  readonly tenantId: string;
  readonly direction: string;
  readonly state: string;
  readonly callbackUri: string;
  readonly createdAt: string;
  readonly endedAt: string | null;
}

export interface CallList {
  readonly value: readonly CallSummary[];
  readonly truncated: boolean;
}

export interface OperationView {
  readonly id: string;
  readonly type: string;
  readonly status: string;
  readonly clientContext: string | null;
  readonly resultInfo: ResultInfo | null;
  readonly completionReason: string | null;
  readonly recordingLocation: string | null;
  readonly recordingAccessToken: string | null;
  readonly createdAt: string;
  readonly endedAt: string | null;
}

export interface Delivery {
  readonly outcome: 'delivered' | 'waiting' | 'deadLettered';
  readonly attempts?: number;
  readonly nextAttemptAt?: string;
  readonly lastError?: string | null;
  readonly reason?: string;
  readonly deadLetterId?: string;
}

export type Json = Record<string, unknown>;

export interface NotificationView {
  readonly id: string;
  readonly seq: number;
  readonly index: number;
  readonly at: string;
  readonly delivery: Delivery;
  readonly notification: Json;
}

export interface DeadLetterView {
  readonly id: string;
  readonly callbackUri: string;
  readonly attempts: number;
  readonly deadAt: string;
  readonly reason: string;
  readonly lastError: string;
  readonly notifications: readonly Json[];
}

export interface CallView {
  readonly call: CallSummary & {
    readonly resultInfo: ResultInfo | null;
    readonly toneSubscription: boolean;
    readonly transfer: { readonly target: Json; readonly fate: string } | null;
    readonly nextTransferFate: string | null;
    readonly source: Json | null;
  };
  readonly timeline: readonly { readonly at: string; readonly changeType: string | null; readonly state: string; readonly resultInfo: ResultInfo | null }[];
  readonly mediaQueue: readonly { readonly id: string; readonly type: string; readonly clientContext: string | null; readonly status: string }[];
  readonly operations: readonly OperationView[];
  readonly notifications: readonly NotificationView[];
  readonly deadLetters: readonly DeadLetterView[];
}

export type CallEvent = CallView | { readonly notFound: true; readonly id: string };

/** A failed request, with the service's own message (Graph's error shape). */
export class RequestFailed extends Error {}

async function send(method: string, path: string, init: { body?: unknown; token?: string } = {}): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers['Authorization'] = `Bearer ${init.token}`;
  const res = await fetch(path, { method, headers, ...(init.body !== undefined && { body: JSON.stringify(init.body) }) });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as Json) : undefined;
  if (!res.ok) {
    const error = body?.['error'] as { code?: string; message?: string } | undefined;
    throw new RequestFailed(`${res.status} ${error?.code ?? ''}: ${error?.message ?? text}`.trim());
  }
  return body;
}

const tokens = new Map<string, { token: string; until: number }>();

/** A local token for the app (cached until shortly before it expires). */
async function tokenFor(appId: string, tenantId?: string): Promise<string> {
  const key = `${tenantId ?? ''}/${appId}`;
  const cached = tokens.get(key);
  if (cached && cached.until > Date.now()) return cached.token;
  const minted = (await send('POST', '/emulator/tokens', { body: { appId, ...(tenantId && { tenantId }) } })) as { access_token: string; expires_in: number };
  tokens.set(key, { token: minted.access_token, until: Date.now() + (minted.expires_in - 60) * 1000 });
  return minted.access_token;
}

/** A request made as the app that owns the call. */
export async function asApp(app: { appId: string; tenantId?: string }, method: string, path: string, body?: unknown): Promise<unknown> {
  return send(method, path, { token: await tokenFor(app.appId, app.tenantId), ...(body !== undefined && { body }) });
}

/** The operator's routes (dead letters), which need no token locally. */
export function asOperator(method: string, path: string): Promise<unknown> {
  return send(method, path);
}

/** One POST of a notification, as the delivery log (GET /notifications/log) keeps it. */
export interface DeliveryAttempt {
  readonly at: string;
  readonly notificationId: string;
  readonly attempt: number;
  readonly outcome: string;
  readonly status?: number;
  readonly error?: string;
  readonly latencyMs: number;
  readonly nextAttemptAt?: string;
  /** A fault the profile injected into this attempt (faults.md). */
  readonly fault?: 'delayed' | 'duplicate' | 'reordered' | 'dropped';
}

/**
 * The call's delivery log (GET /notifications/log): its last delivery attempts, oldest first.
 * Undefined when there is none to read (the call was deleted meanwhile).
 */
export async function deliveryLog(callId: string): Promise<readonly DeliveryAttempt[] | undefined> {
  const res = await fetch(`/notifications/log?callId=${encodeURIComponent(callId)}`);
  if (!res.ok) return undefined;
  return ((await res.json()) as { value?: DeliveryAttempt[] }).value;
}

/** The recording's audio as a blob: URL (the recording route wants the recordingAccessToken as a bearer). */
export async function recordingUrl(location: string, accessToken: string): Promise<string> {
  // The path only: the call's base URL may name another origin (https) than this page's.
  const res = await fetch(new URL(location).pathname, { headers: { Authorization: `Bearer ${accessToken}` } });
  if (!res.ok) throw new RequestFailed(`recording: HTTP ${res.status}`);
  return URL.createObjectURL(new Blob([await res.arrayBuffer()], { type: 'audio/wav' }));
}

export interface LiveQuery {
  readonly app?: string;
  readonly state?: string;
  readonly callId?: string;
}

export interface LiveHandlers {
  readonly calls: (list: CallList) => void;
  readonly call: (view: CallEvent) => void;
  readonly status: (status: 'live' | 'connecting' | 'offline', detail?: string) => void;
}

/**
 * Follows the console's server-sent events. Read with fetch rather than EventSource so that
 * errors are seen as they are; reconnects after the stream ends or fails. Returns a stop function.
 */
export function follow(query: LiveQuery, on: LiveHandlers): () => void {
  const stop = new AbortController();
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
  const run = async () => {
    while (!stop.signal.aborted) {
      on.status('connecting');
      try {
        const res = await fetch(`/emulator/events?${params}`, { signal: stop.signal, headers: { Accept: 'text/event-stream' } });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        on.status('live');
        await readEvents(res.body, (event, data) => {
          if (event === 'calls') on.calls(JSON.parse(data) as CallList);
          else if (event === 'call') on.call(JSON.parse(data) as CallEvent);
          else if (event === 'problem') on.status('offline', (JSON.parse(data) as { message: string }).message);
        });
      } catch (error) {
        if (stop.signal.aborted) return;
        on.status('offline', (error as Error).message);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void run();
  return () => stop.abort();
}

/** Parses a text/event-stream body: blocks separated by a blank line, `event:` and `data:` lines. */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
    }
  }
}
