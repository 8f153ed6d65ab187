/** Provider schemas over HTTP: publishing (idempotent, conflicts), reading back, and static can-i-deploy rows. */
import { describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'
import { contractDoc, json, published, unique } from '../support/fixtures.js'
import type { GetContext } from './context.js'

const NO_HEADERS = { type: 'object', additionalProperties: false }

/** What a provider derived from its types: exactly `id` and the fields named, on `pdf.requested`. */
function producers(fields: string[], key = 'pdf.requested') {
  return [
    {
      key,
      payload: {
        type: 'object',
        required: ['id', ...fields],
        properties: { id: { type: 'string' }, ...Object.fromEntries(fields.map((f) => [f, { type: 'integer' }])) },
        additionalProperties: false,
      },
      headers: NO_HEADERS,
    },
  ]
}

export function providerSchemaSuite(get: GetContext): void {
  describe('provider schemas', () => {
    it('publishes once (201), ignores identical content in another order (200), refuses different content (409) unless overwrite', async () => {
      const { c } = get()
      const api = unique('pdf-api')
      const two = [...producers(['field0']), ...producers(['field0'], 'pdf.cancelled')]
      const created = await c.post(`/api/providers/${api}/schemas`, { providerVersion: '2.3.1', branch: 'main', producers: two })
      expect(created.statusCode).toBe(201)
      const body = json(created)
      expect(body).toMatchObject({ status: 'created', provider: api, providerVersion: '2.3.1' })
      expect(body.contentHash).toMatch(/^[0-9a-f]{64}$/)

      const again = await c.post(`/api/providers/${api}/schemas`, { providerVersion: '2.3.1', producers: [...two].reverse() })
      expect(again.statusCode).toBe(200)
      expect(json(again)).toMatchObject({ status: 'unchanged', contentHash: body.contentHash })

      const different = await c.post(`/api/providers/${api}/schemas`, { providerVersion: '2.3.1', producers: producers([]) })
      expect(different.statusCode).toBe(409)
      expect(json(different).error.code).toBe(BrokerErrorCodes.PROVIDER_SCHEMA_CONFLICT)
      expect(json(await c.get(`/api/providers/${api}/schemas?version=2.3.1`)).contentHash).toBe(body.contentHash)

      const replaced = await c.post(`/api/providers/${api}/schemas`, {
        providerVersion: '2.3.1',
        producers: producers([]),
        overwrite: true,
      })
      expect(replaced.statusCode).toBe(201)
      expect(json(replaced).status).toBe('overwritten')
      const stored = json(await c.get(`/api/providers/${api}/schemas?version=2.3.1`))
      expect(stored).toMatchObject({ provider: api, providerVersion: '2.3.1', branches: ['main'], producers: producers([]) })
      expect(stored.contentHash).toBe(json(replaced).contentHash)
    })

    it('refuses to overwrite the schema of a provider version an environment runs (can-i-deploy reads it)', async () => {
      const { c } = get()
      const [api, env] = [unique('pdf-api'), unique('prod')]
      const first = json(await c.post(`/api/providers/${api}/schemas`, { providerVersion: '1.0.0', producers: producers(['field0']) }))
      await c.put(`/api/environments/${env}`, {})
      await c.post(`/api/environments/${env}/deployments`, { service: api, version: '1.0.0' })
      const refused = await c.post(`/api/providers/${api}/schemas`, { providerVersion: '1.0.0', producers: producers([]), overwrite: true })
      expect(refused.statusCode).toBe(409)
      expect(json(refused).error).toMatchObject({ code: BrokerErrorCodes.STILL_DEPLOYED, path: 'body.producers' })
      expect(json(refused).error.hint).toContain(`treaty record-undeployment --service ${api} --environment ${env}`)
      expect(json(await c.get(`/api/providers/${api}/schemas?version=1.0.0`)).contentHash).toBe(first.contentHash)
      // Without overwrite, the conflict's hint does not send the publisher to an overwrite that would be refused.
      const conflict = json(await c.post(`/api/providers/${api}/schemas`, { providerVersion: '1.0.0', producers: producers([]) })).error
      expect(conflict.code).toBe(BrokerErrorCodes.PROVIDER_SCHEMA_CONFLICT)
      expect(conflict.hint).toBe(
        `publish under a new version (${api} 1.0.0 is deployed in ${env}: what it published stays as it is while it runs)`,
      )
      // Once it left, overwrite is offered again.
      await c.post(`/api/environments/${env}/undeployments`, { service: api })
      const left = json(await c.post(`/api/providers/${api}/schemas`, { providerVersion: '1.0.0', producers: producers([]) })).error
      expect(left.hint).toContain('pass overwrite: true')
    })

    it('reads the latest provider version’s schema without ?version=, and 404s what it does not have', async () => {
      const { c } = get()
      const api = unique('pdf-api')
      await c.post(`/api/providers/${api}/schemas`, { providerVersion: '1.0.0', producers: producers([]) })
      await c.post(`/api/providers/${api}/schemas`, { providerVersion: '1.1.0', producers: producers(['field0']) })
      expect(json(await c.get(`/api/providers/${api}/schemas`))).toMatchObject({
        providerVersion: '1.1.0',
        producers: producers(['field0']),
      })
      expect(json(await c.get(`/api/providers/${api}/schemas?version=9.9.9`)).error.code).toBe(BrokerErrorCodes.VERSION_NOT_FOUND)
      expect(json(await c.get(`/api/providers/${api.slice(0, -1)}/schemas`)).error).toMatchObject({
        code: BrokerErrorCodes.SERVICE_NOT_FOUND,
        path: 'params.provider',
        message: expect.stringContaining(`did you mean "${api}"`),
      })
      await c.post('/api/verifications', { provider: api, providerVersion: '1.2.0', results: [] })
      const worker = unique('worker')
      const h = await published(get().c, { consumer: worker, version: '1', contracts: [contractDoc(worker, api)] })
      await c.post('/api/verifications', { provider: api, providerVersion: '1.2.0', results: [{ contentHash: h[api], success: true }] })
      const none = await c.get(`/api/providers/${api}/schemas?version=1.2.0`)
      expect(none.statusCode).toBe(404)
      expect(json(none).error.code).toBe(BrokerErrorCodes.PROVIDER_SCHEMA_NOT_FOUND)
    })

    it('validates names, the body, and every schema as JSON Schema, naming the field', async () => {
      const { c } = get()
      const api = unique('pdf-api')
      const badName = await c.post('/api/providers/a..b/schemas', { providerVersion: '1', producers: producers([]) })
      expect(json(badName).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'params.provider' })
      const badVersion = await c.post(`/api/providers/${api}/schemas`, { providerVersion: '../1', producers: producers([]) })
      expect(json(badVersion).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.providerVersion' })
      const unknownField = await c.post(`/api/providers/${api}/schemas`, { providerVersion: '1', producers: [], overwite: true })
      expect(json(unknownField).error.code).toBe(BrokerErrorCodes.VALIDATION)
      const [p] = producers([])
      const invalid = await c.post(`/api/providers/${api}/schemas`, {
        providerVersion: '1',
        producers: [p, { ...p, key: 'other', payload: { type: 'object', required: 'id' } }],
      })
      expect(invalid.statusCode).toBe(400)
      expect(json(invalid).error).toMatchObject({ code: BrokerErrorCodes.PROVIDER_SCHEMA_INVALID })
      expect(json(invalid).error.path).toMatch(/^body\.producers\[1\]\.payload/)
      expect((await c.get(`/api/providers/${api}/schemas`)).statusCode).toBe(404)
    })

    it('decides can-i-deploy statically against a deployed provider’s schema, yes or no with the exact differences', async () => {
      const { c } = get()
      const [worker, api, prod] = [unique('pdf-worker'), unique('pdf-api'), unique('production')]
      await c.put(`/api/environments/${prod}`, { production: true })
      await c.post(`/api/providers/${api}/schemas`, { providerVersion: '2.3.1', branch: 'main', producers: producers(['field0']) })
      await c.post(`/api/environments/${prod}/deployments`, { service: api, version: '2.3.1' })
      await published(c, { consumer: worker, version: '1.4.0', contracts: [contractDoc(worker, api)] })
      const h15 = await published(c, { consumer: worker, version: '1.5.0', contracts: [contractDoc(worker, api, { variant: 1 })] })
      const ask = async (service: string, version: string) =>
        json(await c.get(`/api/can-i-deploy?service=${service}&version=${version}&environment=${prod}`))

      const yes = await ask(worker, '1.4.0')
      expect(yes.deployable).toBe(true)
      expect(yes.rows).toMatchObject([{ provider: api, providerVersion: '2.3.1', status: 'verified', mode: 'static', verification: null }])

      const no = await ask(worker, '1.5.0')
      expect(no.deployable).toBe(false)
      expect(no.rows).toMatchObject([
        {
          status: 'failed',
          mode: 'static',
          differences: [
            { expectation: 'a message on pdf.requested', part: 'payload', pointer: '/field1', kind: 'REQUIRED_PROPERTY_ADDED' },
          ],
        },
      ])
      expect(no.reasons).toContain(
        `${worker} 1.5.0 expects \`pdf.requested\`; ${api} 2.3.1 (in ${prod}) publishes a schema that does not satisfy it: payload/field1 renamed or removed (producer sends \`field0\`)`,
      )

      // A replay result for the content wins over the schema.
      await c.post('/api/verifications', { provider: api, providerVersion: '2.3.1', results: [{ contentHash: h15[api], success: true }] })
      expect((await ask(worker, '1.5.0')).rows).toMatchObject([{ status: 'verified', mode: 'replay' }])
    })

    it('as a provider: a version with a published schema is decided statically against the deployed consumers', async () => {
      const { c } = get()
      const [worker, api, prod] = [unique('pdf-worker'), unique('pdf-api'), unique('production')]
      await c.put(`/api/environments/${prod}`, { production: true })
      await published(c, { consumer: worker, version: '1.5.0', contracts: [contractDoc(worker, api, { variant: 1 })] })
      await c.post(`/api/environments/${prod}/deployments`, { service: worker, version: '1.5.0' })
      await c.post(`/api/providers/${api}/schemas`, { providerVersion: '3.0.0', producers: producers(['field0']) })
      await c.post(`/api/providers/${api}/schemas`, { providerVersion: '3.1.0', producers: producers(['field0', 'field1']) })
      const ask = async (version: string) => json(await c.get(`/api/can-i-deploy?service=${api}&version=${version}&environment=${prod}`))
      expect(await ask('3.0.0')).toMatchObject({
        deployable: false,
        rows: [{ role: 'provider', status: 'failed', mode: 'static', differences: [{ pointer: '/field1' }] }],
      })
      expect(await ask('3.1.0')).toMatchObject({ deployable: true, rows: [{ role: 'provider', status: 'verified', mode: 'static' }] })
    })
  })
}
