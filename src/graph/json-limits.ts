import { GraphError } from './errors';

/**
 * Limits on the shape of a JSON body, checked on its text before it is parsed, so that no parser,
 * schema or serializer ever recurses over hostile nesting. The deepest body this API defines
 * (a create call's participant identities) is under 10 levels.
 */
export const MAX_JSON_DEPTH = 32;

/** 400 when arrays and objects nest deeper than MAX_JSON_DEPTH; strings are skipped, escapes respected. */
export function assertJsonDepth(text: string, limit = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) throw GraphError.badRequest(`The request body nests objects and arrays deeper than ${limit} levels.`);
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The body as text; a byte sequence that is not UTF-8 is a 400 rather than silently replaced characters. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw GraphError.badRequest('The request body is not valid UTF-8.');
  }
}
