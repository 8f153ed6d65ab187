/**
 * Bearer tokens with three levels: read < write < admin (a higher level may do everything a lower one may).
 * With no token configured the broker is open. With any configured, every /api request needs a token whose
 * level is high enough; a level with no token of its own is reachable only with a higher level's token.
 *
 * Besides one token per level (TREATY_*_TOKEN), a tokens file names any number of tokens, and a write token
 * there may be limited to services (`services`): it acts only for them (routes check it with `mayActFor`),
 * so a consumer's CI token cannot record a verification as its provider. `overwrite` needs admin.
 *
 * Tokens are compared in constant time: both sides are hashed to equal-length digests first, and every
 * configured token is compared, so neither the length nor the level of a near-miss leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import { BrokerError, BrokerErrorCodes } from './errors.js'

export type AccessLevel = 'read' | 'write' | 'admin'

/** A token from the tokens file: named, and (write only) limited to services. */
export interface TokenEntry {
  name: string
  token: string
  level: AccessLevel
  services?: readonly string[]
  /** Where the entry was read, for start-up errors (`TREATY_TOKENS_FILE /etc/treaty/tokens.yaml tokens[2]`). */
  source?: string
}

export interface Tokens {
  read?: string
  write?: string
  admin?: string
  /** Named tokens, from the tokens file or TREATY_TOKENS. */
  entries?: readonly TokenEntry[]
}

/** Who sent a request: the token's level, its name, and the services it may act for (all when absent). */
export interface Principal {
  level: AccessLevel
  name: string
  services?: ReadonlySet<string>
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the token check; null on an open broker (no tokens) and on routes without a token check. */
    principal: Principal | null
  }
}

const RANK: Record<AccessLevel, number> = { read: 1, write: 2, admin: 3 }
const LEVELS: readonly AccessLevel[] = ['admin', 'write', 'read']

/** "an admin", "a write": the level with its article, for messages. */
const withArticle = (level: AccessLevel) => (level === 'admin' ? `an ${level}` : `a ${level}`)
const digest = (value: string) => createHash('sha256').update(value).digest()

/** Shortest token accepted: 16 characters (e.g. `openssl rand -hex 16` gives 32). */
export const MIN_TOKEN_LENGTH = 16

/**
 * Refuses tokens that would silently weaken the broker: short ones, ones with whitespace (a trailing space
 * from a copied secret can never be sent in a Bearer header), and one token for two levels (the lower level
 * would then never be used: the token grants the higher one).
 */
export function assertTokenHygiene(tokens: Tokens): void {
  const seen = new Map<string, string>()
  for (const { field, token } of namedTokens(tokens)) {
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new BrokerError(
        BrokerErrorCodes.CONFIG_INVALID,
        `${field} is ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} (e.g. openssl rand -hex 16)`,
      )
    }
    if (/\s/.test(token))
      throw new BrokerError(BrokerErrorCodes.CONFIG_INVALID, `${field} contains whitespace; remove it (check for a trailing newline)`)
    const other = seen.get(token)
    if (other) {
      throw new BrokerError(
        BrokerErrorCodes.CONFIG_INVALID,
        `${field} is the same as ${other}; give each level and each name its own token`,
      )
    }
    seen.set(token, field)
  }
}

/** Every configured token with the field that holds it, as start-up errors name it. */
function namedTokens(tokens: Tokens): { field: string; token: string; principal: Principal }[] {
  const out: { field: string; token: string; principal: Principal }[] = []
  for (const level of LEVELS) {
    const token = tokens[level]
    const field = `TREATY_${level.toUpperCase()}_TOKEN`
    if (token !== undefined) out.push({ field, token, principal: { level, name: field } })
  }
  for (const [i, e] of (tokens.entries ?? []).entries()) {
    out.push({
      field: `${e.source ?? `tokens[${i}]`}.token (${e.name})`,
      token: e.token,
      principal: { level: e.level, name: e.name, ...(e.services ? { services: new Set(e.services) } : {}) },
    })
  }
  return out
}

/** True when any token is configured: the broker is then closed to requests without one. */
export function hasTokens(tokens: Tokens | undefined): boolean {
  return namedTokens(tokens ?? {}).some((t) => t.token !== '')
}

export class TokenAuth {
  private readonly credentials: { principal: Principal; digest: Buffer }[]

  constructor(tokens: Tokens = {}) {
    this.credentials = namedTokens(tokens)
      .filter((t) => t.token !== '')
      .map((t) => ({ principal: t.principal, digest: digest(t.token) }))
  }

  get enabled(): boolean {
    return this.credentials.length > 0
  }

  /** Who the presented token is, or null when it matches none. */
  principalOf(token: string): Principal | null {
    const presented = digest(token)
    let found: Principal | null = null
    for (const { principal, digest: d } of this.credentials) {
      // No early exit: each configured token costs the same whether or not an earlier one matched.
      if (timingSafeEqual(presented, d) && (found === null || RANK[principal.level] > RANK[found.level])) found = principal
    }
    return found
  }

  /** The highest level the presented token grants, or null when it matches none. */
  levelOf(token: string): AccessLevel | null {
    return this.principalOf(token)?.level ?? null
  }

  /** Throws the error the request deserves, or returns who sent it (null on an open broker). */
  check(authorization: string | undefined, required: AccessLevel): Principal | null {
    if (!this.enabled) return null
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    if (!match) {
      throw new BrokerError(
        BrokerErrorCodes.UNAUTHORIZED,
        `this broker needs a token: send "Authorization: Bearer <token>" with ${withArticle(required)} token (TREATY_TOKEN for the CLI)`,
        { path: 'headers.authorization' },
      )
    }
    const principal = this.principalOf(match[1]!)
    if (principal === null) {
      throw new BrokerError(BrokerErrorCodes.UNAUTHORIZED, 'the bearer token matches no token configured on this broker', {
        path: 'headers.authorization',
      })
    }
    if (RANK[principal.level] < RANK[required]) {
      throw new BrokerError(
        BrokerErrorCodes.FORBIDDEN,
        `this endpoint needs ${withArticle(required)} token; the token given is ${withArticle(principal.level)} token`,
        { path: 'headers.authorization' },
      )
    }
    return principal
  }

  /** An onRequest hook: runs before the body is read, so an unauthorised client cannot make the broker parse 10 MB. */
  require(required: AccessLevel): onRequestHookHandler {
    return (request: FastifyRequest, reply: FastifyReply, done) => {
      try {
        request.principal = this.check(request.headers.authorization, required)
        done()
      } catch (err) {
        if (err instanceof BrokerError && err.code === BrokerErrorCodes.UNAUTHORIZED) reply.header('www-authenticate', 'Bearer')
        done(err as Error)
      }
    }
  }
}

/** One service a request acts for, and the request field that names it. */
export interface ActingFor {
  service: string
  path: string
}

/**
 * Refuses (403) a request whose token is limited to services other than the ones it acts for. `action`
 * completes "it may not …" (`record verifications as provider`). Nothing is refused on an open broker or for
 * a token without `services`.
 */
export function mayActFor(principal: Principal | null, action: string, acting: readonly ActingFor[]): void {
  const allowed = principal?.services
  if (!allowed) return
  const outside = acting.find((a) => !allowed.has(a.service))
  if (!outside) return
  throw new BrokerError(
    BrokerErrorCodes.FORBIDDEN,
    `the token "${principal.name}" may act only for ${[...allowed].join(', ')}; it may not ${action} "${outside.service}"`,
    { path: outside.path },
  )
}

/** Refuses (403) a token limited to services on a route that acts for no particular service. */
export function mayActForAny(principal: Principal | null, action: string): void {
  if (!principal?.services) return
  throw new BrokerError(
    BrokerErrorCodes.FORBIDDEN,
    `the token "${principal.name}" may act only for ${[...principal.services].join(', ')}; ${action} needs a write token not limited to services`,
    { path: 'headers.authorization' },
  )
}

/** `overwrite: true` replaces published facts: admin only, whenever tokens are configured. */
export function mayOverwrite(principal: Principal | null, overwrite: boolean | undefined, path: string): void {
  if (overwrite !== true || principal === null || principal.level === 'admin') return
  throw new BrokerError(
    BrokerErrorCodes.FORBIDDEN,
    `${path} replaces what was already published and needs an admin token; the token given is a ${principal.level} token`,
    { path },
  )
}
