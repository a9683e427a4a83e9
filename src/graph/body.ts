import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { GraphError } from './errors';
import { assertJsonDepth, decodeUtf8 } from './json-limits';
import { fieldPath } from './field-path';
import { assertValidText } from './text';

/** Request bodies of this API are small JSON objects; anything past this is refused with 413. */
export const MAX_BODY_BYTES = 256 * 1024;

function isJson(contentType: string | null): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType?.startsWith('application/') === true && mediaType.endsWith('+json'));
}

/**
 * The JSON body of a POST. An empty body reads as `{}` for actions whose parameters are all
 * optional; a body that is there must say it is JSON (415 otherwise), be UTF-8, nest at most
 * MAX_JSON_DEPTH levels, parse, and hold only valid text (400 otherwise).
 */
export async function readJsonBody(request: HttpRequest, options: { required: boolean }): Promise<unknown> {
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > MAX_BODY_BYTES) throw GraphError.payloadTooLarge(MAX_BODY_BYTES);
  const text = decodeUtf8(bytes);
  if (text.trim() === '') {
    if (options.required) throw GraphError.badRequest('The request body is empty; this request needs a JSON body.');
    return {};
  }
  const contentType = request.headers.get('content-type');
  if (!isJson(contentType)) throw GraphError.unsupportedMediaType(contentType);
  // Shape and text are checked before any schema sees the body.
  assertJsonDepth(text);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw GraphError.badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  assertValidText(value);
  return value;
}

/** Validates a parsed body; the 400 names every field that is wrong. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => describeIssue(issue, what));
  const shown = problems.slice(0, MAX_PROBLEMS_NAMED);
  const more = problems.length - shown.length;
  throw GraphError.badRequest(`Invalid ${what} request: ${shown.join(' ')}${more > 0 ? ` (${more.toLocaleString('en')} more problems not shown.)` : ''}`);
}

/** An error names at most this many problems, and each name at most NAME_CHARS characters: it stays small whatever the input. */
const MAX_PROBLEMS_NAMED = 3;
const NAME_CHARS = 40;

function shortName(name: string): string {
  return name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS)}…` : name;
}

function describeIssue(issue: z.core.$ZodIssue, what: string): string[] {
  const field = shortName(fieldPath(issue.path));
  if (issue.code === 'unrecognized_keys') {
    const where = field ? ` in '${field}'` : '';
    return issue.keys.map((key) => `'${shortName(key)}' is not a parameter of ${what}${where}.`);
  }
  if (!field) return [issue.code === 'invalid_type' ? 'The request body must be a JSON object.' : `${issue.message}.`];
  // Schema messages are phrased to follow the field name ("must be a string", "is required").
  const message = issue.message.startsWith('Invalid input: ') ? `is invalid (${issue.message.slice(15)})` : issue.message;
  return [`'${field}' ${message}.`];
}
