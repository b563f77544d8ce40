import type { Redis } from 'ioredis';
import type { Session } from '../accounts/sessions.js';
import type { Config } from '../config.js';

/** What the policy checks use of the process: their part of `Services`, wired by app.ts. */
export interface PolicyServices {
  config: Pick<Config, 'policy' | 'maxPatternChecksPerUserPerMinute'>;
  /** Consumer-name ownership (`bindConsumer`) is kept in Redis. */
  redis: Redis;
}

/**
 * The part of a request the policy looks at: who is asking, and the process's policy. A GraphQL
 * context is one; so is anything else that carries these two.
 */
export interface PolicyRequest {
  /** The signed-in caller, or null. */
  session: Session | null;
  services: PolicyServices;
}
