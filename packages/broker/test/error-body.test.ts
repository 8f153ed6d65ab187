// The one error body, `{ error: { code, message, path?, hint? } }`: the hint travels as its own field.
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildBroker } from '../src/app.js'
import { BrokerErrorCodes } from '../src/errors.js'
import { createLogger } from '../src/logging.js'
import { IN_MEMORY, openStore, type Store } from '../src/store/store.js'
import { type Client, client, contractDoc, json, publish, unique } from './support/fixtures.js'

const tokens = { read: 'read-secret-token-0001', write: 'write-secret-token-0002', admin: 'admin-secret-token-0003' }
let store: Store
let app: FastifyInstance

beforeAll(async () => {
  store = await openStore({ dataDir: IN_MEMORY })
  app = await buildBroker({ store, tokens, logger: createLogger('silent'), webhooks: { enabled: false } })
})

afterAll(async () => {
  await app?.close()
  await store?.close()
})

describe('error bodies', () => {
  it("carry the library's hint for an invalid contract as a field, not inside the message", async () => {
    const consumer = unique('hinted')
    const contract = contractDoc(consumer, unique('api'))
    ;(contract.expectations[0] as { channel: unknown }).channel = 42
    const res = await publish(client(app, tokens.write), { consumer, version: '1.0.0', contracts: [contract] })
    expect(res.statusCode).toBe(400)
    const { error } = json(res)
    expect(error.code).toBe(BrokerErrorCodes.CONTRACT_INVALID)
    expect(error.path).toBe('body.contracts[0].expectations[0].channel')
    expect(error.message).toBe('body.contracts[0]: expectations[0].channel: expected string (found 42)')
    expect(error.hint).toMatch(/docs\/contract-format\.md/)
  })

  it('have no hint where there is none to give', async () => {
    const res = await client(app).get('/api/services')
    expect(res.statusCode).toBe(401)
    expect(json(res).error).toEqual({ code: BrokerErrorCodes.UNAUTHORIZED, message: expect.any(String), path: 'headers.authorization' })
  })

  it('name the field that named what is not there: an environment, a webhook, a contract, a schema, a channel', async () => {
    const c = client(app, tokens.admin)
    const [worker, api] = [unique('worker'), unique('api')]
    await publish(c, { consumer: worker, version: '1', branch: 'main', contracts: [contractDoc(worker, api)] })
    await c.put('/api/environments/production', { production: true })
    const deploy = { service: worker, version: '1' }
    const cases: [ReturnType<Client['get']>, string, string][] = [
      [c.post('/api/environments/prod/deployments', deploy), BrokerErrorCodes.ENVIRONMENT_NOT_FOUND, 'params.name'],
      [c.post('/api/environments/prod/undeployments', { service: worker }), BrokerErrorCodes.ENVIRONMENT_NOT_FOUND, 'params.name'],
      [c.post('/api/environments/prod/releases', deploy), BrokerErrorCodes.ENVIRONMENT_NOT_FOUND, 'params.name'],
      [c.post('/api/environments/prod/support-ended', deploy), BrokerErrorCodes.ENVIRONMENT_NOT_FOUND, 'params.name'],
      [c.get('/api/environments/prod/deployments'), BrokerErrorCodes.ENVIRONMENT_NOT_FOUND, 'params.name'],
      [
        c.get(`/api/can-i-deploy?service=${worker}&version=1&environment=prod`),
        BrokerErrorCodes.ENVIRONMENT_NOT_FOUND,
        'query.environment',
      ],
      [c.get('/api/pairs?environment=prod'), BrokerErrorCodes.ENVIRONMENT_NOT_FOUND, 'query.environment'],
      [
        c.post(`/api/providers/${api}/impact`, { producers: [], environments: ['production', 'prod'] }),
        BrokerErrorCodes.ENVIRONMENT_NOT_FOUND,
        'body.environments[1]',
      ],
      [c.delete('/api/webhooks/nope'), BrokerErrorCodes.WEBHOOK_NOT_FOUND, 'params.id'],
      [c.get('/api/webhooks/nope/deliveries'), BrokerErrorCodes.WEBHOOK_NOT_FOUND, 'params.id'],
      [c.get(`/api/contracts/${worker}/${api}?branch=nope`), BrokerErrorCodes.CONTRACT_NOT_FOUND, 'query.branch'],
      [c.get(`/api/contracts/${api}/${worker}`), BrokerErrorCodes.CONTRACT_NOT_FOUND, 'params.provider'],
      [c.get(`/api/providers/${api}/schemas`), BrokerErrorCodes.PROVIDER_SCHEMA_NOT_FOUND, 'params.provider'],
      [c.get(`/api/providers/${worker}/schemas?version=1`), BrokerErrorCodes.PROVIDER_SCHEMA_NOT_FOUND, 'query.version'],
      [c.get(`/api/channels/${unique('nowhere')}/retention`), BrokerErrorCodes.CHANNEL_NOT_FOUND, 'params.channel'],
    ]
    for (const [request, code, path] of cases) {
      const res = await request
      expect(res.statusCode, res.body).toBe(404)
      expect(json(res).error, res.body).toMatchObject({ code, path })
    }
  })
})
