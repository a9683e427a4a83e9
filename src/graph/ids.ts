import { randomUUID } from 'node:crypto';

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
