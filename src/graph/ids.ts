import { createHash, randomUUID } from 'node:crypto';

/**
 * Graph ids are GUIDs. Bodies carry the lowercase dashed form; lookups accept any common GUID
 * spelling (upper case, no dashes, braces). Notification URLs carry the form Graph sends, the id
 * as the API returned it, or (NOTIFICATION_ID_FORM=docs) the docs' examples' upper-case dash-less one.
 */
const GUID = /^[{(]?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})[})]?$/i;

export function newId(): string {
  return randomUUID();
}

/** The canonical (lowercase dashed) form, or undefined when the text is not a GUID. */
export function parseGuid(text: string): string | undefined {
  const m = GUID.exec(text.trim());
  return m ? m.slice(1, 6).join('-').toLowerCase() : undefined;
}

/** `graph`: ids in notification URLs as the API returned them; `docs`: as the docs' examples write them. */
export type NotificationIdForm = 'graph' | 'docs';

/** An id as a notification URL carries it: `57dab8b1-894c-...` as is, or `57DAB8B1894C...` in the docs' form. */
export function notificationIdForm(id: string, form: NotificationIdForm): string {
  return form === 'docs' ? id.replaceAll('-', '').toUpperCase() : id;
}

/** A GUID derived from a name (version 5 style): the same name always gives the same id. */
export function nameBasedId(name: string): string {
  const hash = createHash('sha1').update(name).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
