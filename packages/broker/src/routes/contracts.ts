/** Publishing contracts and reading them back. */
import { type Contract, isTreatyError, parseContractAsync } from '@treaty/core'
import type { FastifyPluginAsync } from 'fastify'
import { mayActFor, mayOverwrite } from '../auth.js'
import { BrokerError, BrokerErrorCodes } from '../errors.js'
import { assertSchemaBudget, contractSchemas, yieldToEventLoop } from '../http/schema-budget.js'
import { branchSchema, serviceNameSchema, versionSchema } from '../names.js'
import type { StoredContract } from '../store/contracts.js'
import type { PublishInput } from '../store/publish.js'
import { contractDocumentSchema, doc, errors, guard, type RouteDeps, storedContractSchema } from './schemas.js'

interface PublishBody {
  consumer: string
  version: string
  branch?: string
  tags?: string[]
  contracts: unknown[]
  overwrite?: boolean
}

const publishBody = {
  type: 'object',
  required: ['consumer', 'version', 'contracts'],
  additionalProperties: false,
  properties: {
    consumer: serviceNameSchema,
    version: versionSchema,
    branch: branchSchema,
    tags: { type: 'array', items: branchSchema, maxItems: 50 },
    contracts: { type: 'array', minItems: 1, maxItems: 500, items: contractDocumentSchema },
    overwrite: { type: 'boolean', description: 'replace different content already published for this consumer version and provider' },
  },
} as const

const publishResponse = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['published', 'unchanged'] },
    consumer: { type: 'string' },
    version: { type: 'string' },
    contracts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          provider: { type: 'string' },
          contentHash: { type: 'string' },
          status: { type: 'string', enum: ['created', 'unchanged', 'overwritten'] },
        },
      },
    },
  },
} as const

/**
 * Validates every contract document with @treaty/core and checks the set belongs together. Schema work is
 * bounded first (schema-budget.ts) and the event loop gets a turn between expectations (parseContractAsync),
 * so /healthz and other requests are answered while a contract of a thousand expectations is checked.
 */
export async function validatePublish(body: PublishBody): Promise<PublishInput> {
  assertSchemaBudget(contractSchemas(body.contracts))
  const contracts: Contract[] = []
  for (const [i, c] of body.contracts.entries()) {
    if (i > 0) await yieldToEventLoop()
    contracts.push(await parseOne(c, i))
  }
  const providers = new Map<string, number>()
  contracts.forEach((c, i) => {
    if (c.consumer !== body.consumer) {
      throw new BrokerError(
        BrokerErrorCodes.VALIDATION,
        `body.contracts[${i}].consumer is ${JSON.stringify(c.consumer)} but the request publishes for ${JSON.stringify(body.consumer)}; publish each consumer's contracts separately`,
        { path: `body.contracts[${i}].consumer` },
      )
    }
    const earlier = providers.get(c.provider)
    if (earlier !== undefined) {
      throw new BrokerError(
        BrokerErrorCodes.VALIDATION,
        `body.contracts[${i}] and body.contracts[${earlier}] are both contracts with ${c.provider}; a consumer has one contract per provider`,
        { path: `body.contracts[${i}].provider` },
      )
    }
    providers.set(c.provider, i)
  })
  return {
    consumer: body.consumer,
    version: body.version,
    ...(body.branch === undefined ? {} : { branch: body.branch }),
    ...(body.tags === undefined ? {} : { tags: body.tags }),
    contracts,
    overwrite: body.overwrite === true,
  }
}

async function parseOne(c: unknown, i: number): Promise<Contract> {
  try {
    return await parseContractAsync(c)
  } catch (err) {
    if (!isTreatyError(err)) throw err
    const inner = err.path && err.path !== '(root)' ? (err.path.startsWith('[') ? err.path : `.${err.path}`) : ''
    const path = `body.contracts[${i}]${inner}`
    throw new BrokerError(BrokerErrorCodes.CONTRACT_INVALID, `body.contracts[${i}]: ${err.message.replace(/\n\s*/g, '; ')}`, {
      path,
      ...(err.hint ? { hint: err.hint } : {}),
      cause: err,
    })
  }
}

export function contractRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: PublishBody }>(
      '/api/contracts',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('contracts', 'write', 'Publish a consumer version’s contracts (atomic: all or nothing)'),
          body: publishBody,
          response: { 200: publishResponse, 201: publishResponse, ...errors(409, 413, 415) },
        },
      },
      async (request, reply) => {
        mayActFor(request.principal, 'publish contracts as consumer', [{ service: request.body.consumer, path: 'body.consumer' }])
        mayOverwrite(request.principal, request.body.overwrite, 'body.overwrite')
        const input = await validatePublish(request.body)
        try {
          const result = await deps.store.publish(input, request.id)
          for (const c of result.contracts) deps.metrics.contractsPublished.inc({ outcome: c.status })
          return reply.status(result.status === 'published' ? 201 : 200).send(result)
        } catch (err) {
          if (err instanceof BrokerError && err.code === BrokerErrorCodes.CONTRACT_CONFLICT) {
            deps.metrics.contractsPublished.inc({ outcome: 'conflict' }, input.contracts.length)
          }
          throw err
        }
      },
    )

    app.get<{ Params: { consumer: string; provider: string }; Querystring: { version?: string; branch?: string } }>(
      '/api/contracts/:consumer/:provider',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('contracts', 'read', 'A consumer’s contract with a provider: of a version, of a branch’s head, or the latest'),
          params: {
            type: 'object',
            required: ['consumer', 'provider'],
            properties: { consumer: serviceNameSchema, provider: serviceNameSchema },
          },
          querystring: { type: 'object', additionalProperties: false, properties: { version: versionSchema, branch: branchSchema } },
          response: { 200: storedContractSchema, ...errors(404) },
        },
      },
      async (request): Promise<StoredContract> => {
        const { version, branch } = request.query
        if (version !== undefined && branch !== undefined) {
          throw new BrokerError(BrokerErrorCodes.VALIDATION, 'query.branch: give version or branch, not both', { path: 'query.branch' })
        }
        return deps.store.getContract(request.params.consumer, request.params.provider, {
          ...(version === undefined ? {} : { version }),
          ...(branch === undefined ? {} : { branch }),
        })
      },
    )

    app.get<{ Params: { consumer: string }; Querystring: { version: string } }>(
      '/api/contracts/:consumer',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('contracts', 'read', 'Every contract a consumer version published'),
          params: { type: 'object', required: ['consumer'], properties: { consumer: serviceNameSchema } },
          querystring: { type: 'object', required: ['version'], additionalProperties: false, properties: { version: versionSchema } },
          response: { 200: { type: 'object', properties: { contracts: { type: 'array', items: storedContractSchema } } }, ...errors(404) },
        },
      },
      async (request) => ({ contracts: await deps.store.getContractsOfVersion(request.params.consumer, request.query.version) }),
    )
  }
}
