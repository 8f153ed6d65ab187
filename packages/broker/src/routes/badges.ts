/**
 * SVG badges: a pair's verification state and can-i-deploy of a service's latest version to an environment.
 * They need a read token like the API, unless the broker was started with `publicBadges` (TREATY_PUBLIC_BADGES):
 * a badge says little, but that little is still the organisation's to publish.
 * An unknown pair, service or environment is a grey "unknown" badge with status 404, so a README shows it.
 */
import { environmentNameSchema, serviceNameSchema } from '@treaty/core/wire'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { PAIR_STATES, type PairState } from '../domain/pair-state.js'
import { isBrokerError } from '../errors.js'
import { latestVersionOf } from '../store/pairs.js'
import { type BadgeColour, badgeSvg } from './badge-svg.js'
import { decideCanIDeploy } from './matrix.js'
import { listPairs } from './pairs.js'
import { guard, type RouteDeps } from './schemas.js'

const STATE_COLOUR: Record<PairState, BadgeColour> = {
  verified: 'green',
  proven: 'teal',
  failed: 'red',
  pending: 'amber',
  unverified: 'grey',
}

function sendSvg(reply: FastifyReply, status: number, svg: string) {
  // Badges are embedded by README renderers that cache aggressively; ask them not to.
  return reply
    .status(status)
    .header('content-type', 'image/svg+xml; charset=utf-8')
    .header('cache-control', 'no-cache, max-age=0')
    .send(svg)
}

const svgResponse = { 200: { type: 'string', description: 'image/svg+xml' }, 404: { type: 'string', description: 'image/svg+xml' } }

export function badgeRoutes(deps: RouteDeps, options: { publicBadges: boolean }): FastifyPluginAsync {
  return async (app) => {
    const onRequest = options.publicBadges ? [] : [guard(deps, 'read')]
    const security = options.publicBadges ? [] : [{ bearerAuth: [] }]

    app.get<{ Params: { consumer: string; provider: string } }>(
      '/badges/pairs/:consumer/:provider.svg',
      {
        onRequest,
        schema: {
          tags: ['badges'],
          summary: `A pair's verification state (${PAIR_STATES.join(', ')}) as an SVG badge`,
          security,
          params: {
            type: 'object',
            required: ['consumer', 'provider'],
            properties: { consumer: serviceNameSchema, provider: serviceNameSchema },
          },
          response: svgResponse,
        },
      },
      async (request, reply) => {
        const { consumer, provider } = request.params
        const { pairs } = await listPairs(deps.store.db, { limit: 1, offset: 0, consumer, provider })
        const pair = pairs[0]
        const label = `${consumer} → ${provider}`
        if (!pair) return sendSvg(reply, 404, badgeSvg(label, 'unknown', 'grey'))
        const how = pair.mode === 'static' ? ' (static)' : ''
        return sendSvg(reply, 200, badgeSvg(label, `${pair.state}${how}`, STATE_COLOUR[pair.state]))
      },
    )

    app.get<{ Params: { service: string; environment: string } }>(
      '/badges/can-i-deploy/:service/:environment.svg',
      {
        onRequest,
        schema: {
          tags: ['badges'],
          summary: "can-i-deploy of a service's latest version to an environment, as an SVG badge",
          security,
          params: {
            type: 'object',
            required: ['service', 'environment'],
            properties: { service: serviceNameSchema, environment: environmentNameSchema },
          },
          response: svgResponse,
        },
      },
      async (request, reply) => {
        const { service, environment } = request.params
        const label = `deploy ${service} to ${environment}`
        const version = await latestVersionOf(deps.store.db, service)
        if (version === null) return sendSvg(reply, 404, badgeSvg(label, 'unknown', 'grey'))
        try {
          const result = await decideCanIDeploy(deps.store, service, version, environment)
          return sendSvg(
            reply,
            200,
            badgeSvg(label, result.deployable ? `yes (${version})` : `no (${version})`, result.deployable ? 'green' : 'red'),
          )
        } catch (err) {
          if (isBrokerError(err) && err.statusCode === 404) return sendSvg(reply, 404, badgeSvg(label, 'unknown', 'grey'))
          throw err
        }
      },
    )
  }
}
