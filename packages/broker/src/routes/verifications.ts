/** The provider side: what to verify (selectors, pending, WIP), and recording what was verified. */
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor } from '../auth.js'
import { contractsForVerification } from '../domain/contracts-for-verification.js'
import { parseSelectors, type WireSelector } from '../domain/selectors.js'
import { DEFAULT_SELECTORS, type Selector } from '../domain/types.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { branchSchema, CONTENT_HASH_PATTERN, environmentNameSchema, serviceNameSchema, versionSchema } from '../names.js'
import type { VerificationInput } from '../store/verifications.js'
import { contractDocumentSchema, doc, emptyBodyIsEmptyObject, errors, guard, type RouteDeps, stringArray } from './schemas.js'

interface ForVerificationBody {
  selectors?: WireSelector[]
  providerBranch?: string
  includePending?: boolean
  includeWipSince?: string
}

const selectorSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'One of: { mainBranch: true }, { branch }, { matchingBranch: true }, { deployed: true, environment? }, { latest: true }, ' +
    '{ consumer, version }; consumer narrows any of them to one consumer',
  properties: {
    mainBranch: { type: 'boolean' },
    branch: branchSchema,
    matchingBranch: { type: 'boolean' },
    deployed: { type: 'boolean' },
    environment: environmentNameSchema,
    latest: { type: 'boolean' },
    consumer: serviceNameSchema,
    version: versionSchema,
  },
} as const

const forVerificationBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    selectors: { type: 'array', minItems: 1, maxItems: 50, items: selectorSchema, description: 'default: mainBranch and deployed' },
    providerBranch: { ...branchSchema, description: 'the branch the provider is verifying from' },
    includePending: { type: 'boolean', default: true },
    includeWipSince: { type: 'string', format: 'date-time', description: 'include work-in-progress contents published since then' },
  },
} as const

const target = {
  type: 'object',
  properties: {
    contentHash: { type: 'string' },
    consumer: { type: 'string' },
    consumerVersions: { type: 'array', items: { type: 'object', properties: { version: { type: 'string' }, branches: stringArray } } },
    selectedBy: stringArray,
    pending: { type: 'boolean' },
    wip: { type: 'boolean' },
    notice: { type: 'string' },
    contract: contractDocumentSchema,
  },
} as const

const verificationBody = {
  type: 'object',
  required: ['provider', 'providerVersion', 'results'],
  additionalProperties: false,
  properties: {
    provider: serviceNameSchema,
    providerVersion: versionSchema,
    branch: branchSchema,
    results: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        required: ['contentHash', 'success'],
        additionalProperties: false,
        properties: {
          contentHash: { type: 'string', pattern: CONTENT_HASH_PATTERN },
          success: { type: 'boolean' },
          expectations: {
            type: 'array',
            maxItems: 10_000,
            items: {
              type: 'object',
              required: ['description', 'success'],
              properties: { description: { type: 'string', maxLength: 500 }, success: { type: 'boolean' } },
            },
            default: [],
          },
        },
      },
    },
  },
} as const

export function verificationRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Params: { provider: string }; Body: ForVerificationBody }>(
      '/api/providers/:provider/contracts-for-verification',
      {
        onRequest: guard(deps, 'read'),
        preValidation: emptyBodyIsEmptyObject,
        schema: {
          ...doc('verifications', 'read', 'The contracts a provider must verify, one per content hash, with pending and WIP flags'),
          params: { type: 'object', required: ['provider'], properties: { provider: serviceNameSchema } },
          body: forVerificationBody,
          response: {
            200: { type: 'object', properties: { provider: { type: 'string' }, contracts: { type: 'array', items: target } } },
            ...errors(415),
          },
        },
      },
      async (request) => {
        const body = request.body
        const provider = request.params.provider
        const selectors: readonly Selector[] = body.selectors
          ? parseSelectors(body.selectors, body.providerBranch, 'body.')
          : DEFAULT_SELECTORS
        if (body.includeWipSince !== undefined && body.providerBranch === undefined) {
          throw new BrokerError(
            BrokerErrorCodes.SELECTOR_INVALID,
            'includeWipSince needs providerBranch: WIP is relative to the branch being verified',
            {
              path: 'body.providerBranch',
            },
          )
        }
        const explicit = selectors.flatMap((s) => (s.kind === 'version' ? [{ consumer: s.consumer, version: s.version }] : []))
        const environments = selectors.flatMap((s) => (s.kind === 'deployed' && s.environment !== undefined ? [s.environment] : []))
        const facts = await deps.store.loadVerificationCandidates(provider, explicit, environments)
        requireEnvironments(selectors, facts.knownEnvironments)
        const targets = contractsForVerification(
          {
            provider,
            providerMainBranch: facts.providerMainBranch,
            providerBranch: body.providerBranch,
            selectors,
            includePending: body.includePending !== false,
            includeWipSince: body.includeWipSince === undefined ? undefined : new Date(body.includeWipSince),
          },
          facts.publications,
          facts.successes,
        )
        const documents = await deps.store.loadDocuments(targets.map((t) => t.contentHash))
        return { provider, contracts: targets.map((t) => ({ ...t, contract: JSON.parse(documents.get(t.contentHash)!) })) }
      },
    )

    app.post<{ Body: VerificationInput }>(
      '/api/verifications',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('verifications', 'write', 'Record a provider version’s verification results, one per content hash'),
          body: verificationBody,
          response: {
            201: {
              type: 'object',
              properties: {
                provider: { type: 'string' },
                providerVersion: { type: 'string' },
                success: { type: 'boolean' },
                results: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { contentHash: { type: 'string' }, consumer: { type: 'string' }, success: { type: 'boolean' } },
                  },
                },
              },
            },
            ...errors(404, 413, 415),
          },
        },
      },
      async (request, reply) => {
        mayActFor(request.principal, 'record verifications as provider', [{ service: request.body.provider, path: 'body.provider' }])
        const result = await deps.store.recordVerification(request.body, request.id)
        for (const r of result.results) deps.metrics.verificationsPublished.inc({ outcome: r.success ? 'success' : 'failure' })
        return reply.status(201).send(result)
      },
    )
  }
}

/** A deployed selector naming an environment that does not exist is a typo, not "nothing deployed". */
function requireEnvironments(selectors: readonly Selector[], known: readonly string[]): void {
  for (const [i, s] of selectors.entries()) {
    if (s.kind !== 'deployed' || s.environment === undefined || known.includes(s.environment)) continue
    throw new BrokerError(
      BrokerErrorCodes.SELECTOR_INVALID,
      `body.selectors[${i}].environment: there is no environment ${JSON.stringify(s.environment)}; GET /api/environments lists them`,
      { path: `body.selectors[${i}].environment` },
    )
  }
}
