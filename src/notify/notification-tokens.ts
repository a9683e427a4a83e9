import { LRUCache } from 'lru-cache';
import { NOTIFICATION_TOKEN_LIFETIME_SECONDS, type NotificationSigner } from './signing';
import { RECIPIENTS_REMEMBERED } from './recipients';

/**
 * How long one signed token is reused for the same recipient: half its life, so a notification
 * always leaves with at least five minutes of validity. Signing one per POST cost a 200-call wave
 * 1,600 signatures on the event loop, for tokens that say the same thing.
 */
export const TOKEN_REUSE_SECONDS = NOTIFICATION_TOKEN_LIFETIME_SECONDS / 2;

export interface TokenClaims {
  readonly issuer: string;
  readonly audience: string;
  readonly tenantId: string;
}

/**
 * The bearer tokens on this process's notification POSTs: one per issuer, app and tenant at a
 * time, as a token a bot caches for its lifetime would be. Concurrent POSTs to one recipient wait
 * for the same signature.
 */
export class NotificationTokens {
  readonly #tokens = new LRUCache<string, { readonly token: Promise<string>; readonly signedAt: number }>({ max: RECIPIENTS_REMEMBERED });

  constructor(
    /** Reports each signature and how long it took (service/metrics.ts). */
    private readonly onSigned: (ms: number) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  token(signer: NotificationSigner, claims: TokenClaims): Promise<string> {
    const key = JSON.stringify([signer.publicJwk.kid, claims.issuer, claims.audience, claims.tenantId]);
    const now = this.now();
    const kept = this.#tokens.get(key);
    if (kept && now - kept.signedAt < TOKEN_REUSE_SECONDS * 1000) return kept.token;
    const started = performance.now();
    const token = signer.sign(claims).then((signed) => {
      this.onSigned(performance.now() - started);
      return signed;
    });
    this.#tokens.set(key, { token, signedAt: now });
    // A signature that failed is not kept: the next POST tries again.
    token.catch(() => this.#tokens.get(key)?.token === token && this.#tokens.delete(key));
    return token;
  }
}
