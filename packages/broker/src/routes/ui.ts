/**
 * The web UI, same origin as the API: its static assets at `/` (built by @treaty/ui) and the badges. The
 * read models its pages need (routes/pairs.ts) are API routes like any other. Registered as one plugin so
 * app.ts wires it with one line.
 */
import { existsSync } from 'node:fs'
import fastifyStatic from '@fastify/static'
import { assetsDir } from '@treaty/ui'
import type { FastifyPluginAsync } from 'fastify'
import { badgeRoutes } from './badges.js'
import type { RouteDeps } from './schemas.js'

/** Everything the UI loads comes from this origin: no CDN, no fonts, no inline script. */
export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

export interface UiOptions {
  /** Badges readable without a token (TREATY_PUBLIC_BADGES). */
  publicBadges: boolean
}

export function uiRoutes(deps: RouteDeps, options: UiOptions): FastifyPluginAsync {
  return async (app) => {
    await app.register(badgeRoutes(deps, options))
    if (!existsSync(assetsDir)) {
      app.log.warn({ assetsDir }, 'the web UI is not built (npm run build builds it); / answers 404 until then')
      return
    }
    await app.register(fastifyStatic, {
      root: assetsDir,
      prefix: '/',
      // One route per built file, read at start: unknown paths keep the API's JSON 404.
      wildcard: false,
      index: ['index.html'],
      schemaHide: true,
      setHeaders: (res) => {
        res.setHeader('content-security-policy', UI_CONTENT_SECURITY_POLICY)
        res.setHeader('x-content-type-options', 'nosniff')
      },
    })
  }
}
