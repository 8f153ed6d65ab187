/**
 * Bearer tokens with three levels: read < write < admin (a higher level may do everything a lower one may).
 * With no token configured the broker is open. With any configured, every /api request needs a token whose
 * level is high enough; a level with no token of its own is reachable only with a higher level's token.
 *
 * Tokens are compared in constant time: both sides are hashed to equal-length digests first, and every
 * configured token is compared, so neither the length nor the level of a near-miss leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import { BrokerError, BrokerErrorCodes } from './errors.js'

export type AccessLevel = 'read' | 'write' | 'admin'

export interface Tokens {
  read?: string
  write?: string
  admin?: string
}

const RANK: Record<AccessLevel, number> = { read: 1, write: 2, admin: 3 }
const LEVELS: readonly AccessLevel[] = ['admin', 'write', 'read']

const digest = (value: string) => createHash('sha256').update(value).digest()

/** Shortest token accepted: 16 characters (e.g. `openssl rand -hex 16` gives 32). */
export const MIN_TOKEN_LENGTH = 16

/**
 * Refuses tokens that would silently weaken the broker: short ones, ones with whitespace (a trailing space
 * from a copied secret can never be sent in a Bearer header), and one token for two levels (the lower level
 * would then never be used: the token grants the higher one).
 */
export function assertTokenHygiene(tokens: Tokens): void {
  const seen = new Map<string, AccessLevel>()
  for (const level of LEVELS) {
    const token = tokens[level]
    if (token === undefined) continue
    const name = `TREATY_${level.toUpperCase()}_TOKEN`
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new BrokerError(
        BrokerErrorCodes.CONFIG_INVALID,
        `${name} is ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} (e.g. openssl rand -hex 16)`,
      )
    }
    if (/\s/.test(token))
      throw new BrokerError(BrokerErrorCodes.CONFIG_INVALID, `${name} contains whitespace; remove it (check for a trailing newline)`)
    const other = seen.get(token)
    if (other) {
      throw new BrokerError(
        BrokerErrorCodes.CONFIG_INVALID,
        `${name} is the same as TREATY_${other.toUpperCase()}_TOKEN; give each level its own token`,
      )
    }
    seen.set(token, level)
  }
}

export class TokenAuth {
  private readonly digests: { level: AccessLevel; digest: Buffer }[]

  constructor(tokens: Tokens = {}) {
    this.digests = LEVELS.filter((l) => tokens[l]).map((level) => ({ level, digest: digest(tokens[level]!) }))
  }

  get enabled(): boolean {
    return this.digests.length > 0
  }

  /** The highest level the presented token grants, or null when it matches none. */
  levelOf(token: string): AccessLevel | null {
    const presented = digest(token)
    let best: AccessLevel | null = null
    for (const { level, digest: d } of this.digests) {
      // No early exit: each configured token costs the same whether or not an earlier one matched.
      if (timingSafeEqual(presented, d) && (best === null || RANK[level] > RANK[best])) best = level
    }
    return best
  }

  /** Throws the error the request deserves, or returns when it may go on. */
  check(authorization: string | undefined, required: AccessLevel): void {
    if (!this.enabled) return
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    if (!match) {
      throw new BrokerError(
        BrokerErrorCodes.UNAUTHORIZED,
        `this broker needs a token: send "Authorization: Bearer <token>" with a ${required} token (TREATY_TOKEN for the CLI)`,
        { path: 'headers.authorization' },
      )
    }
    const level = this.levelOf(match[1]!)
    if (level === null) {
      throw new BrokerError(BrokerErrorCodes.UNAUTHORIZED, 'the bearer token matches no token configured on this broker', {
        path: 'headers.authorization',
      })
    }
    if (RANK[level] < RANK[required]) {
      throw new BrokerError(BrokerErrorCodes.FORBIDDEN, `this endpoint needs a ${required} token; the token given is a ${level} token`, {
        path: 'headers.authorization',
      })
    }
  }

  /** An onRequest hook: runs before the body is read, so an unauthorised client cannot make the broker parse 10 MB. */
  require(required: AccessLevel): onRequestHookHandler {
    return (request: FastifyRequest, reply: FastifyReply, done) => {
      try {
        this.check(request.headers.authorization, required)
        done()
      } catch (err) {
        if (err instanceof BrokerError && err.code === BrokerErrorCodes.UNAUTHORIZED) reply.header('www-authenticate', 'Bearer')
        done(err as Error)
      }
    }
  }
}
