import { createHash } from 'node:crypto';

/**
 * The stable id of one notification: the same on every retry (so a bot can drop duplicates) and
 * unique per call, outbox row and position. A name-based (version 5 style) GUID.
 */
export function notificationId(callId: string, seq: number, index: number): string {
  const hash = createHash('sha1').update(`${callId}/${seq}/${index}`).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
