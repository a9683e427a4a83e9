import { nameBasedId } from '../graph/ids';

/**
 * The stable id of one notification: the same on every retry (so a bot can drop duplicates) and
 * unique per call, outbox row and position.
 */
export function notificationId(callId: string, seq: number, index: number): string {
  return nameBasedId(`${callId}/${seq}/${index}`);
}
