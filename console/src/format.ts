import type { Json, ResultInfoView } from '../../src/api/console-views';

/** "4 s", "3 min", "2 h": how long ago, for the call list. */
export function age(fromIso: string | null, now: number): string {
  if (fromIso === null) return '';
  const s = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h`;
}

/** "10:33:44.358", local time. */
export function clock(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function result(info: ResultInfoView | Json | null | undefined): string {
  if (!info) return '';
  return `${String(info['code'])}/${String(info['subcode'])} ${String(info['message'] ?? '')}`.trim();
}

export const short = (id: string) => id.slice(0, 8);

/** One line for a commsNotification, as a bot developer would say it. */
export function describe(notification: Json): string {
  const data = notification['resourceData'];
  const change = String(notification['changeType'] ?? '');
  if (Array.isArray(data)) return `participants ${change}: ${data.length} in the call`;
  const d = (data ?? {}) as Json;
  const type = String(d['@odata.type'] ?? '').replace('#microsoft.graph.', '');
  const tone = d['toneInfo'] as Json | undefined;
  if (tone) return `tone ${String(tone['tone'])} (sequenceId ${String(tone['sequenceId'])})`;
  if (type === 'call') {
    const info = d['resultInfo'] as Json | null | undefined;
    return `call ${change}: ${String(d['state'])}${info ? ` (${result(info)})` : ''}`;
  }
  const context = d['clientContext'] ? ` '${String(d['clientContext'])}'` : '';
  const reason = d['completionReason'] ? ` ${String(d['completionReason'])}` : '';
  return `${type}${context} ${String(d['status'] ?? '')} ${result(d['resultInfo'] as Json | null)}${reason}`.replace(/\s+/g, ' ').trim();
}
