/**
 * What the service refuses, as plain domain errors: the HTTP edge (api/error-boundary.ts) is the one
 * place that turns them into Graph's answers.
 */

/** A call changed by so many writers at once that this change kept losing the race for it. */
export class Contention extends Error {
  override readonly name = 'Contention';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** An app reached one of its quotas (service/quotas.ts). */
export class QuotaExceeded extends Error {
  override readonly name = 'QuotaExceeded';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
