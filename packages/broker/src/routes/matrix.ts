/** The matrix and can-i-deploy: the questions a release pipeline asks. */
import {
  canIDeployQuerySchema,
  canIDeployResponseSchema,
  matrixQuerySchema,
  matrixResponseSchema,
  type Received,
  type Served,
} from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { type CanIDeployResult, canIDeploy } from '../domain/can-i-deploy.js'
import { buildMatrix } from '../domain/matrix.js'
import { annotateObserved } from '../domain/observed.js'
import type { Store } from '../store/store.js'
import { doc, errors, guard, type RouteDeps } from './schemas.js'

/** A matrix is answered whole up to this many rows; past it, truncated and flagged. */
const MAX_MATRIX_ROWS = 1000

/** can-i-deploy from the store's facts, gathered once: the one decision the API, the CLI and the badges share. */
export async function decideCanIDeploy(store: Store, service: string, version: string, environment: string): Promise<CanIDeployResult> {
  return canIDeploy(await store.loadCanIDeployFacts(service, version, environment))
}

export function matrixRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: Received<typeof matrixQuerySchema>; Reply: Served<typeof matrixResponseSchema> }>(
      '/api/matrix',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('deploy', 'read', 'Consumer version × provider version × verification for one service version (default: its latest)'),
          querystring: matrixQuerySchema,
          response: {
            200: matrixResponseSchema,
            ...errors(404),
          },
        },
      },
      async (request) => {
        const { service, version } = request.query
        const facts = await deps.store.loadMatrixFacts(service, version)
        const rows = buildMatrix({ ...facts, service, version: facts.version })
        annotateObserved(rows, await deps.store.loadObservationFacts([...new Set(rows.map((r) => r.contentHash))]), undefined)
        return { service, version: facts.version, truncated: rows.length > MAX_MATRIX_ROWS, rows: rows.slice(0, MAX_MATRIX_ROWS) }
      },
    )

    app.get<{ Querystring: Received<typeof canIDeployQuerySchema>; Reply: Served<typeof canIDeployResponseSchema> }>(
      '/api/can-i-deploy',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('deploy', 'read', 'May this service version be deployed to the environment without breaking what runs there?'),
          querystring: canIDeployQuerySchema,
          response: {
            200: canIDeployResponseSchema,
            ...errors(404),
          },
        },
      },
      async (request) => {
        const { service, version, environment } = request.query
        return decideCanIDeploy(deps.store, service, version, environment)
      },
    )
  }
}
