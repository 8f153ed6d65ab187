/** Publishing and reading contracts and services: the part of the API suite that runs on every store. */
import { contractHash } from '@treaty/core'
import { describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'
import { contractDoc, json, publish, published, unique } from '../support/fixtures.js'
import type { GetContext } from './context.js'

export function publishingSuite(get: GetContext): void {
  describe('publishing contracts', () => {
    it('creates services and versions on first sight and answers 201 with each contract’s content hash', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      const doc = contractDoc(worker, api)
      const res = await publish(c, { consumer: worker, version: '1.0.0', branch: 'main', tags: ['rc'], contracts: [doc] })
      expect(res.statusCode).toBe(201)
      expect(json(res)).toEqual({
        status: 'published',
        consumer: worker,
        version: '1.0.0',
        contracts: [{ provider: api, contentHash: contractHash(doc), status: 'created' }],
      })
      const services = json(await c.get('/api/services')).services.map((s: { name: string }) => s.name)
      expect(services).toEqual(expect.arrayContaining([worker, api]))
    })

    it('notices a new provider one or two edits from a known service (a likely typo), and publishes it anyway', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      await publish(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      const typo = `${api.slice(0, -1)}x`
      const res = await publish(c, { consumer: worker, version: '1.1.0', contracts: [contractDoc(worker, typo)] })
      expect(res.statusCode).toBe(201)
      expect(json(res).notices).toEqual([expect.stringContaining(`${typo} is new to the broker; did you mean "${api}"?`)])
      // Named before: no notice again.
      const again = await publish(c, { consumer: worker, version: '1.2.0', contracts: [contractDoc(worker, typo)] })
      expect(json(again).notices).toBeUndefined()
    })

    it('notices a new consumer one or two edits from a known service too (an import or a config with a typo)', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      await publish(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      const typo = `${worker.slice(0, -1)}x`
      const res = await publish(c, { consumer: typo, version: '1.0.0', contracts: [contractDoc(typo, api)] })
      expect(res.statusCode).toBe(201)
      expect(json(res).notices).toEqual([expect.stringContaining(`consumer ${typo} is new to the broker; did you mean "${worker}"?`)])
    })

    it('re-publishing identical content for the same version is a no-op (200, unchanged), whatever the key order', async () => {
      const { c, store } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      const doc = contractDoc(worker, api)
      await published(c, { consumer: worker, version: '1.0.0', contracts: [doc] })
      const reordered = JSON.parse(JSON.stringify({ expectations: doc.expectations, provider: api, consumer: worker, treaty: '1' }))
      const res = await publish(c, { consumer: worker, version: '1.0.0', contracts: [reordered] })
      expect(res.statusCode).toBe(200)
      expect(json(res)).toMatchObject({ status: 'unchanged', contracts: [{ status: 'unchanged' }] })
      const [row] = await store.db.query<{ n: number }>(
        'SELECT count(*) AS n FROM publications p JOIN services s ON s.id = p.provider_id WHERE s.name = $1',
        [api],
      )
      expect(row!.n).toBe(1)
    })

    it('stores content once by hash: versions with unchanged content share it', async () => {
      const { c, store } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      const doc = contractDoc(worker, api)
      const h1 = await published(c, { consumer: worker, version: '1.0.0', contracts: [doc] })
      const h2 = await published(c, { consumer: worker, version: '1.1.0', contracts: [doc] })
      expect(h1[api]).toBe(h2[api])
      const [row] = await store.db.query<{ n: number }>('SELECT count(*) AS n FROM contents WHERE hash = $1', [h1[api]])
      expect(row!.n).toBe(1)
    })

    it('refuses different content for the same version and provider with 409, naming the provider', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      const res = await publish(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api, { variant: 1 })] })
      expect(res.statusCode).toBe(409)
      expect(json(res).error).toMatchObject({ code: BrokerErrorCodes.CONTRACT_CONFLICT, path: 'body.contracts[0]' })
      expect(json(res).error.message).toContain(api)
      expect(json(res).error.hint).toContain('overwrite: true (treaty publish --overwrite)')
    })

    it('is all or nothing: a conflict on one contract leaves the others of the set unpublished', async () => {
      const { c } = get()
      const [worker, api, other] = [unique('worker'), unique('api'), unique('other')]
      await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      const res = await publish(c, {
        consumer: worker,
        version: '1.0.0',
        contracts: [contractDoc(worker, other), contractDoc(worker, api, { variant: 2 })],
      })
      expect(res.statusCode).toBe(409)
      expect(json(res).error.path).toBe('body.contracts[1]')
      expect((await c.get(`/api/contracts/${worker}/${other}?version=1.0.0`)).statusCode).toBe(404)
      expect((await c.get(`/api/services/${other}`)).statusCode).toBe(404)
    })

    it('replaces content with overwrite: true', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      const replacement = contractDoc(worker, api, { variant: 3 })
      const res = await publish(c, { consumer: worker, version: '1.0.0', contracts: [replacement], overwrite: true })
      expect(res.statusCode).toBe(201)
      expect(json(res).contracts[0].status).toBe('overwritten')
      const stored = json(await c.get(`/api/contracts/${worker}/${api}?version=1.0.0`))
      expect(stored.contentHash).toBe(contractHash(replacement))
    })

    it('refuses to overwrite the contract of a version an environment runs, and allows it once that version left', async () => {
      const { c } = get()
      const [worker, api, env] = [unique('worker'), unique('api'), unique('prod')]
      const original = contractDoc(worker, api)
      await published(c, { consumer: worker, version: '1.0.0', contracts: [original] })
      await c.put(`/api/environments/${env}`, {})
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '1.0.0' })
      const replacement = contractDoc(worker, api, { variant: 3 })
      // can-i-deploy would judge api versions against a contract the running pdf-worker 1.0.0 does not hold.
      const refused = await publish(c, { consumer: worker, version: '1.0.0', contracts: [replacement], overwrite: true })
      expect(refused.statusCode).toBe(409)
      expect(json(refused).error).toMatchObject({ code: BrokerErrorCodes.STILL_DEPLOYED, path: 'body.contracts[0]' })
      expect(json(refused).error.message).toContain(`${worker} 1.0.0 deployed in ${env}`)
      expect(json(refused).error.hint).toContain(`treaty record-undeployment --service ${worker} --environment ${env}`)
      expect(json(await c.get(`/api/contracts/${worker}/${api}?version=1.0.0`)).contentHash).toBe(contractHash(original))
      // Without overwrite, the conflict's hint does not send the publisher to an overwrite that would be refused.
      const conflict = json(await publish(c, { consumer: worker, version: '1.0.0', contracts: [replacement] })).error
      expect(conflict.code).toBe(BrokerErrorCodes.CONTRACT_CONFLICT)
      expect(conflict.hint).toBe(
        `publish under a new version (${worker} 1.0.0 is deployed in ${env}: what it published stays as it is while it runs)`,
      )

      // Released and still supported: the same.
      await c.post(`/api/environments/${env}/releases`, { service: worker, version: '1.0.0' })
      await c.post(`/api/environments/${env}/undeployments`, { service: worker })
      const released = json(await publish(c, { consumer: worker, version: '1.0.0', contracts: [replacement], overwrite: true }))
      expect(released.error).toMatchObject({ code: BrokerErrorCodes.STILL_DEPLOYED })
      expect(released.error.hint).toContain(`treaty record-support-ended --service ${worker} --app-version 1.0.0 --environment ${env}`)

      await c.post(`/api/environments/${env}/support-ended`, { service: worker, version: '1.0.0' })
      const replaced = await publish(c, { consumer: worker, version: '1.0.0', contracts: [replacement], overwrite: true })
      expect(replaced.statusCode).toBe(201)
      expect(json(await c.get(`/api/contracts/${worker}/${api}?version=1.0.0`)).contentHash).toBe(contractHash(replacement))
    })

    it('rejects an invalid contract document with the path of the offending field', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      const doc = contractDoc(worker, api)
      const broken = { ...doc, expectations: [{ ...doc.expectations[0]!, channel: 'has space' }] }
      const res = await publish(c, { consumer: worker, version: '1.0.0', contracts: [broken] })
      expect(res.statusCode).toBe(400)
      expect(json(res).error).toMatchObject({ code: BrokerErrorCodes.CONTRACT_INVALID, path: 'body.contracts[0].expectations[0].channel' })
      const bad = { ...doc, expectations: [{ ...doc.expectations[0]!, payload: { schema: { type: 'string' }, example: 3 } }] }
      const res2 = await publish(c, { consumer: worker, version: '1.0.0', contracts: [bad] })
      expect(json(res2).error.path).toBe('body.contracts[0].expectations[0].payload.example')
    })

    it('rejects a contract set that does not belong together', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      const foreign = await publish(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc('someone-else', api)] })
      expect(json(foreign).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.contracts[0].consumer' })
      const twice = await publish(c, {
        consumer: worker,
        version: '1.0.0',
        contracts: [contractDoc(worker, api), contractDoc(worker, api, { variant: 1 })],
      })
      expect(json(twice).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.contracts[1].provider' })
    })

    it('validates names and fields of the request itself', async () => {
      const { c } = get()
      const api = unique('api')
      const cases: [Record<string, unknown>, string][] = [
        [{ consumer: '../etc', version: '1.0.0', contracts: [contractDoc('x', api)] }, 'body.consumer'],
        [{ consumer: 'ok', version: '1.0.0\n', contracts: [contractDoc('ok', api)] }, 'body.version'],
        [{ consumer: 'ok', version: '1.0.0', branch: 'feat/../main', contracts: [contractDoc('ok', api)] }, 'body.branch'],
        [{ consumer: 'ok', version: '1.0.0', contracts: [] }, 'body.contracts'],
        [{ consumer: 'ok', version: '1.0.0' }, 'body.contracts'],
        [{ consumer: 'ok', version: '1.0.0', contracts: [contractDoc('ok', api)], overwite: true }, 'body.overwite'],
      ]
      for (const [body, path] of cases) {
        const res = await c.post('/api/contracts', body)
        expect({ status: res.statusCode, code: json(res).error.code, path: json(res).error.path }).toEqual({
          status: 400,
          code: BrokerErrorCodes.VALIDATION,
          path,
        })
      }
    })

    it('absorbs identical publishes racing each other: one creates, the others find it unchanged', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      const body = { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] }
      const results = await Promise.all(Array.from({ length: 8 }, () => publish(c, body)))
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201])
    })
  })

  describe('reading contracts and services', () => {
    it('returns a contract by version, by branch head, or the latest', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      await published(c, { consumer: worker, version: '1.0.0', branch: 'main', contracts: [contractDoc(worker, api, { variant: 0 })] })
      await published(c, { consumer: worker, version: '1.1.0-x', branch: 'feat/x', contracts: [contractDoc(worker, api, { variant: 1 })] })
      await published(c, { consumer: worker, version: '1.1.0', branch: 'main', contracts: [contractDoc(worker, api, { variant: 2 })] })
      const versionOf = async (q: string) => json(await c.get(`/api/contracts/${worker}/${api}${q}`)).consumerVersion
      expect(await versionOf('?version=1.0.0')).toBe('1.0.0')
      expect(await versionOf('?branch=feat/x')).toBe('1.1.0-x')
      expect(await versionOf('?branch=main')).toBe('1.1.0')
      expect(await versionOf('')).toBe('1.1.0')
      const one = json(await c.get(`/api/contracts/${worker}/${api}?version=1.0.0`))
      expect(one.contract).toEqual(JSON.parse(JSON.stringify(contractDoc(worker, api, { variant: 0 }))))
      expect(one.branches).toEqual(['main'])
      const all = json(await c.get(`/api/contracts/${worker}?version=1.1.0`))
      expect(all.contracts.map((x: { provider: string }) => x.provider)).toEqual([api])
    })

    it('says which piece is missing', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      const code = async (url: string) => json(await c.get(url)).error.code
      expect(await code(`/api/contracts/nobody/${api}`)).toBe(BrokerErrorCodes.SERVICE_NOT_FOUND)
      // A mistyped name: the 404 names the URL segment and the service meant.
      const typo = json(await c.get(`/api/contracts/${worker}/${api.slice(0, -1)}`)).error
      expect(typo).toMatchObject({ code: BrokerErrorCodes.SERVICE_NOT_FOUND, path: 'params.provider' })
      expect(typo.message).toContain(`did you mean "${api}"`)
      expect(json(await c.get(`/api/contracts/${worker.slice(0, -1)}?version=1.0.0`)).error).toMatchObject({
        code: BrokerErrorCodes.SERVICE_NOT_FOUND,
        path: 'params.consumer',
        message: expect.stringContaining(`did you mean "${worker}"`),
      })
      expect(await code(`/api/contracts/${worker}/${api}?version=9.9.9`)).toBe(BrokerErrorCodes.VERSION_NOT_FOUND)
      expect(await code(`/api/contracts/${worker}/${api}?branch=nope`)).toBe(BrokerErrorCodes.CONTRACT_NOT_FOUND)
      expect(await code(`/api/contracts/${api}/${worker}`)).toBe(BrokerErrorCodes.CONTRACT_NOT_FOUND)
      expect(await code(`/api/contracts/${worker}/${api}?version=1.0.0&branch=main`)).toBe(BrokerErrorCodes.VALIDATION)
    })

    it('describes a service: versions, branches, what it consumes and provides, and the latest verification', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      const h = await published(c, {
        consumer: worker,
        version: '1.0.0',
        branch: 'main',
        tags: ['stable'],
        contracts: [contractDoc(worker, api)],
      })
      await c.post('/api/verifications', {
        provider: api,
        providerVersion: '2.0.0',
        branch: 'main',
        results: [{ contentHash: h[api], success: true }],
      })
      const w = json(await c.get(`/api/services/${worker}`))
      expect(w).toMatchObject({
        name: worker,
        mainBranch: 'main',
        versions: [{ version: '1.0.0', branches: ['main'], tags: ['stable'] }],
        branches: [{ name: 'main', latestVersion: '1.0.0' }],
        consumes: [
          { service: api, consumerVersion: '1.0.0', contentHash: h[api], latestVerification: { providerVersion: '2.0.0', success: true } },
        ],
        provides: [],
      })
      const a = json(await c.get(`/api/services/${api}`))
      expect(a.provides).toMatchObject([{ service: worker, consumerVersion: '1.0.0', latestVerification: { success: true } }])
      expect(a.versions.map((v: { version: string }) => v.version)).toEqual(['2.0.0'])
      expect(json(await c.get('/api/services/nobody-here')).error).toMatchObject({
        code: BrokerErrorCodes.SERVICE_NOT_FOUND,
        path: 'params.name',
      })
      expect(json(await c.get(`/api/services/${api.slice(0, -1)}`)).error.message).toContain(`did you mean "${api}"`)
    })

    it('lets a service name its main branch', async () => {
      const { c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      await published(c, { consumer: worker, version: '1.0.0', branch: 'master', contracts: [contractDoc(worker, api)] })
      const res = await c.patch(`/api/services/${worker}`, { mainBranch: 'master' })
      expect(res.statusCode).toBe(200)
      expect(json(res).mainBranch).toBe('master')
      const cfv = json(await c.post(`/api/providers/${api}/contracts-for-verification`, { selectors: [{ mainBranch: true }] }))
      expect(cfv.contracts.map((t: { consumerVersions: { version: string }[] }) => t.consumerVersions[0]!.version)).toEqual(['1.0.0'])
    })
  })
}
