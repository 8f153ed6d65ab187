/** The matrix and can-i-deploy: the questions a release pipeline asks. */
import type { FastifyPluginAsync } from 'fastify'
import { type CanIDeployResult, canIDeploy, staticCandidates } from '../domain/can-i-deploy.js'
import { buildMatrix } from '../domain/matrix.js'
import { annotateObserved } from '../domain/observed.js'
import { retainedPairs } from '../domain/retention.js'
import { environmentNameSchema, serviceNameSchema, versionSchema } from '../names.js'
import type { Store } from '../store/store.js'
import { doc, errors, guard, matrixRowProperties, type RouteDeps, stringArray } from './schemas.js'

/** On rows added by a retention window (domain/retention.ts): the older version and what keeps its messages. */
const retainedRowSchema = {
  type: 'object',
  properties: {
    olderVersion: { type: 'string' },
    until: { type: 'string', format: 'date-time' },
    channel: { type: 'string' },
    retainedIn: { type: 'string' },
    stream: { type: ['string', 'null'] },
    maxAgeMs: { type: ['number', 'null'] },
  },
} as const

/** A matrix is answered whole up to this many rows; past it, truncated and flagged. */
const MAX_MATRIX_ROWS = 1000

/** can-i-deploy from the store's facts: the one decision the API, the CLI and the badges share. */
export async function decideCanIDeploy(store: Store, service: string, version: string, environment: string): Promise<CanIDeployResult> {
  const facts = await store.loadDeploymentFacts(service, version, environment)
  const now = store.now()
  const retention = await store.loadRetentionFacts(service, environment, now)
  const retained = retainedPairs({ service, version, environment, now, consumes: facts.consumes, ...retention })
  const input = { service, version, environment, ...facts, retained, now }
  const { providers, contentHashes } = staticCandidates(input)
  const observations = await store.loadObservationFacts([...new Set([...facts.consumes, ...facts.consumedBy].map((c) => c.contentHash))])
  return canIDeploy({ ...input, ...(await store.loadStaticFacts(providers, contentHashes)), observations })
}

export function matrixRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { service: string; version?: string } }>(
      '/api/matrix',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('deploy', 'read', 'Consumer version × provider version × verification for one service version (default: its latest)'),
          querystring: {
            type: 'object',
            required: ['service'],
            additionalProperties: false,
            properties: { service: serviceNameSchema, version: versionSchema },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                service: { type: 'string' },
                version: { type: 'string' },
                truncated: { type: 'boolean' },
                rows: { type: 'array', items: { type: 'object', properties: matrixRowProperties } },
              },
            },
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

    app.get<{ Querystring: { service: string; version: string; environment: string } }>(
      '/api/can-i-deploy',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('deploy', 'read', 'May this service version be deployed to the environment without breaking what runs there?'),
          querystring: {
            type: 'object',
            required: ['service', 'version', 'environment'],
            additionalProperties: false,
            properties: { service: serviceNameSchema, version: versionSchema, environment: environmentNameSchema },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                deployable: { type: 'boolean' },
                reasons: stringArray,
                rows: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      ...matrixRowProperties,
                      status: { type: 'string', enum: ['verified', 'failed', 'unverified'] },
                      role: { type: 'string', enum: ['consumer', 'provider'] },
                      mode: { type: 'string', enum: ['replay', 'static'] },
                      retention: retainedRowSchema,
                      differences: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            expectation: { type: 'string' },
                            part: { type: 'string', enum: ['payload', 'headers'] },
                            pointer: { type: 'string' },
                            kind: { type: 'string' },
                            message: { type: 'string' },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
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
