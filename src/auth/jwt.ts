import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError, ErrorCode, unavailable } from '../errors/app-error.js';
import { Role } from '../policy/actions.js';

/** Options of {@link createJwtVerifier}; see the AUTH_JWT_* settings. */
export interface JwtVerifierOptions {
  /** HS256 key (AUTH_JWT_SECRET). */
  secret?: string | undefined;
  /** Key set URL for RS256 / ES256 (AUTH_JWKS_URL). */
  jwksUrl?: string | undefined;
  /** Required `iss` when set (AUTH_JWT_ISSUER). */
  issuer?: string | undefined;
  /** Accepted `aud` values when set (AUTH_JWT_AUDIENCE). */
  audience?: string[] | undefined;
  /** Claim with the roles (AUTH_JWT_ROLES_CLAIM); dots walk into nested objects. */
  rolesClaim: string;
  /** Claims tried for the display name, before `sub` (AUTH_JWT_NAME_CLAIM). */
  nameClaims: readonly string[];
  /**
   * Least time between two fetches of the key set, also when a token names a key id the cached
   * set lacks (a rotated key). Default 30 s (jose's), which stops tokens with made-up key ids
   * from making us fetch on every request.
   */
  jwksCooldownMs?: number;
  /** How long a fetched key set is used before it is fetched again. Default 10 minutes. */
  jwksCacheMaxAgeMs?: number;
}

/** What a valid JWT says about its user. */
export interface VerifiedJwt {
  /** `iss`, or "" when the token has none (only possible without AUTH_JWT_ISSUER). */
  issuer: string;
  subject: string;
  /** `exp`, in epoch milliseconds. */
  expiresAt: number;
  roles: string[];
  /** Display name: from the name claims, else `sub`. */
  name: string;
}

/**
 * The identity provider could not be asked (its key set did not come): a retryable UNAVAILABLE,
 * HTTP 503 with Retry-After, like an outage of Redis, not a masked server fault.
 */
export class JwksUnavailableError extends AppError {
  constructor(detail: string) {
    const retryable = unavailable(`The identity provider's key set (AUTH_JWKS_URL) could not be fetched (${detail}); retry shortly.`);
    super(ErrorCode.Unavailable, retryable.message, retryable.extensions);
    this.name = 'JwksUnavailableError';
  }
}

/** Checks JWTs of the app's identity provider. */
export interface JwtVerifier {
  /**
   * The verified token, or null when it is not valid for us: badly formed, wrongly signed, expired,
   * not yet valid, of another issuer or audience, without `sub` or `exp`, with malformed roles.
   * @throws JwksUnavailableError when the key set could not be fetched.
   */
  verify(token: string): Promise<VerifiedJwt | null>;
}

/** Longest display name kept from a token. */
const NAME_MAX = 64;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Whether a token has the shape of a JWT (three base64url parts). */
export const looksLikeJwt = (token: string) => JWT_SHAPE.test(token);

function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Roles from the claim: a list of strings or a space/comma-separated string. Absent: `user`. null: malformed. */
function rolesFrom(value: unknown): string[] | null {
  if (value === undefined || value === null) return [Role.User];
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value) && value.every((role) => typeof role === 'string')) return value.filter(Boolean);
  return null;
}

/** Builds a verifier, or returns null when neither AUTH_JWT_SECRET nor AUTH_JWKS_URL is set. */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier | null {
  const secret = options.secret ? new TextEncoder().encode(options.secret) : null;
  const jwks = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl), {
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
      })
    : null;
  if (!secret && !jwks) return null;
  const algorithms = [...(secret ? ['HS256'] : []), ...(jwks ? ['RS256', 'ES256'] : [])];
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (jwks && header.alg !== 'HS256') return jwks(header, token);
    throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  };

  return {
    async verify(token) {
      if (!looksLikeJwt(token)) return null;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms,
          ...(options.issuer ? { issuer: options.issuer } : {}),
          ...(options.audience?.length ? { audience: options.audience } : {}),
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) throw new JwksUnavailableError(error.message);
        if (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC') throw new JwksUnavailableError(error.message);
        if (error instanceof errors.JOSEError) return null;
        // fetch() failed: the key set's server is unreachable.
        if (error instanceof TypeError) throw new JwksUnavailableError(error.message);
        throw error;
      }
      if (typeof payload.sub !== 'string' || payload.sub === '' || typeof payload.exp !== 'number') return null;
      const roles = rolesFrom(claimAt(payload, options.rolesClaim));
      if (!roles) return null;
      const named = options.nameClaims.map((claim) => claimAt(payload, claim)).find((value) => typeof value === 'string' && value.trim() !== '') as string | undefined;
      return {
        issuer: typeof payload.iss === 'string' ? payload.iss : '',
        subject: payload.sub,
        expiresAt: payload.exp * 1000,
        roles,
        name: (named ?? payload.sub).trim().slice(0, NAME_MAX),
      };
    },
  };
}
