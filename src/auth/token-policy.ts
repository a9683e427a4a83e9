import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { GraphError } from '../graph/errors';

/**
 * The one set of rules every inbound access token meets, whichever issuer signed it (the local
 * issuer or Entra ID). Each refusal is a 401 whose message names the rule that failed.
 */
export const TOKEN_POLICY = {
  /** Clocks of the issuer and this service may disagree by this much. */
  clockSkewSeconds: 60,
  /** exp − nbf (or iat) may not exceed this: Entra's longest-lived access tokens (CAE) last 28 h. */
  maxLifetimeSeconds: 28 * 3600,
} as const;

export interface IssuerRules {
  /** The signing algorithms this issuer uses; a token with any other `alg` is refused before its signature is checked. */
  readonly algorithms: readonly string[];
  readonly audience: readonly string[];
  readonly issuer?: string;
}

const refuse = (rule: string) => GraphError.unauthenticated(`Access token validation failure: ${rule}`);

/** Verifies signature, algorithm, issuer and audience with jose, then the time rules of TOKEN_POLICY. */
export async function verifyWithPolicy(token: string, keys: JWTVerifyGetKey, rules: IssuerRules, now = Date.now()): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: [...rules.algorithms],
      audience: [...rules.audience],
      ...(rules.issuer && { issuer: rules.issuer }),
      requiredClaims: ['exp'],
      clockTolerance: TOKEN_POLICY.clockSkewSeconds,
      currentDate: new Date(now),
    }));
  } catch (error) {
    throw explain(error, rules);
  }
  checkTimes(payload, Math.floor(now / 1000));
  return payload;
}

/** The time rules jose leaves open: iat not in the future, a bounded lifetime. */
export function checkTimes(payload: JWTPayload, nowSeconds: number): void {
  const { exp, nbf, iat } = payload;
  const skew = TOKEN_POLICY.clockSkewSeconds;
  if (typeof exp !== 'number') throw refuse("the token has no expiry (the 'exp' claim is required).");
  if (iat !== undefined && (typeof iat !== 'number' || iat > nowSeconds + skew)) throw refuse("the 'iat' claim (issued at) is in the future.");
  const start = typeof nbf === 'number' ? nbf : typeof iat === 'number' ? iat : nowSeconds;
  if (exp - start > TOKEN_POLICY.maxLifetimeSeconds) {
    throw refuse(`the token's lifetime (exp − ${typeof nbf === 'number' ? 'nbf' : 'iat'}) exceeds the maximum of ${TOKEN_POLICY.maxLifetimeSeconds} seconds.`);
  }
}

function explain(error: unknown, rules: IssuerRules): GraphError {
  if (error instanceof GraphError) return error;
  if (error instanceof errors.JWTExpired) return GraphError.unauthenticated("Access token has expired (the 'exp' claim is in the past).");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return refuse(`the '${error.claim}' claim is required.`);
    if (error.claim === 'nbf') return GraphError.unauthenticated("Access token is not yet valid (the 'nbf' claim is in the future).");
    if (error.claim === 'iat') return refuse("the 'iat' claim (issued at) is invalid.");
    return refuse(`the '${error.claim}' claim is invalid.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return refuse(`the signing algorithm ('alg') is not accepted; allowed: ${rules.algorithms.join(', ')}.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return refuse('the signature does not verify.');
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return GraphError.unauthenticated('Access token is malformed: it is not a signed JWT.');
  }
  return refuse('the token could not be verified.');
}
