import { createHash, randomUUID } from 'node:crypto';

/**
 * Graph ids are GUIDs. Bodies carry the lowercase dashed form; lookups accept any common GUID
 * spelling (upper case, no dashes, braces); notification URLs use the upper-case dash-less form
 * the docs' examples show.
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

/** `57dab8b1-894c-...` → `57DAB8B1894C...`, as in the docs' notification URLs. */
export function notificationIdForm(id: string): string {
  return id.replaceAll('-', '').toUpperCase();
}

/** A GUID derived from a name (version 5 style): the same name always gives the same id. */
export function nameBasedId(name: string): string {
  const hash = createHash('sha1').update(name).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
