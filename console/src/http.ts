import type { DeliveryAttemptView, Json } from '../../src/api/console-views';

/**
 * How the page makes requests: the emulator's and Graph's routes for every change (the same
 * requests a test makes), as the app that owns a call (with a local token, cached), the operator's
 * routes, and the delivery log and recordings it shows. Every failure is a RequestFailed.
 */

/** A failed request, with the service's own message (Graph's error shape). */
export class RequestFailed extends Error {}

async function send(method: string, path: string, init: { body?: unknown; token?: string } = {}): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers['Authorization'] = `Bearer ${init.token}`;
  const res = await fetch(path, { method, headers, ...(init.body !== undefined && { body: JSON.stringify(init.body) }) });
  if (!res.ok) throw await failure(res);
  const text = await res.text();
  return text ? (JSON.parse(text) as Json) : undefined;
}

/** The one error style of the page's requests: the status and Graph's error code and message. */
async function failure(res: Response): Promise<RequestFailed> {
  const text = await res.text();
  let error: { code?: string; message?: string } | undefined;
  try {
    error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
  } catch {
    error = undefined;
  }
  return new RequestFailed(`${res.status} ${error?.code ?? ''}: ${error?.message ?? text}`.trim());
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

/**
 * The call's delivery log (GET /notifications/log): its last delivery attempts, oldest first.
 * A RequestFailed when there is none to read (the call was deleted meanwhile).
 */
export async function deliveryLog(callId: string): Promise<readonly DeliveryAttemptView[]> {
  const body = (await send('GET', `/notifications/log?callId=${encodeURIComponent(callId)}`)) as { value?: DeliveryAttemptView[] };
  return body.value ?? [];
}

/** The recording's audio as a blob: URL (the recording route wants the recordingAccessToken as a bearer). */
export async function recordingUrl(location: string, accessToken: string): Promise<string> {
  // The path only: the call's base URL may name another origin (https) than this page's.
  const res = await fetch(new URL(location).pathname, { headers: { Authorization: `Bearer ${accessToken}` } });
  if (!res.ok) throw await failure(res);
  return URL.createObjectURL(new Blob([await res.arrayBuffer()], { type: 'audio/wav' }));
}
