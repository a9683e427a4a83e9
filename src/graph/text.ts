import { z } from 'zod';
import { GraphError } from './errors';
import { fieldPath } from './field-path';

/**
 * Text rules shared by every request body. Graph is a .NET service: its string lengths are UTF-16
 * code units (an emoji outside the BMP counts 2), so limits here count the same way. Text that no
 * UTF-16 consumer can hold faithfully is refused: lone surrogates (they cannot be encoded as UTF-8
 * and are replaced on the way to a bot) and NUL (C-based consumers cut the string there).
 */

/** A string of at most `max` UTF-16 code units. zod's own `max` counts code points, which Graph does not. */
export function text(max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .refine((value) => value.length <= max, { error: `must be at most ${max} characters` });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this string cannot be stored and returned as given, or undefined when it can. */
export function textProblem(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate, which is not valid text';
  if (value.includes('\u0000')) return 'contains a NUL (U+0000) character, which is not accepted';
  return undefined;
}

/** Walks a parsed JSON body; the 400 names the first member (or member name) whose text is invalid. */
export function assertValidText(value: unknown, path: (string | number)[] = []): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) throw GraphError.badRequest(`'${fieldPath(path) || '(body)'}' ${problem}.`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertValidText(item, [...path, i]));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = textProblem(key);
      if (problem) throw GraphError.badRequest(`A member name in '${fieldPath(path) || '(body)'}' ${problem}.`);
      assertValidText(item, [...path, key]);
    }
  }
}
