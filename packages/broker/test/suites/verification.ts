/** The provider side over HTTP: contracts for verification (selectors, pending, WIP) and recording results. */
import { describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'
import { contractDoc, json, published, unique } from '../support/fixtures.js'
import type { GetContext } from './context.js'

interface Target {
  contentHash: string
  consumer: string
  consumerVersions: { version: string; branches: string[] }[]
  selectedBy: string[]
  pending: boolean
  wip: boolean
  notice: string
  contract: { consumer: string; provider: string }
}

export function verificationSuite(get: GetContext): void {
  const forVerification = async (provider: string, body: object): Promise<Target[]> => {
    const res = await get().c.post(`/api/providers/${provider}/contracts-for-verification`, body)
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`)
    return json(res).contracts
  }
  const verify = (provider: string, providerVersion: string, branch: string, results: { contentHash: string; success: boolean }[]) =>
    get().c.post('/api/verifications', { provider, providerVersion, branch, results })

  describe('contracts for verification', () => {
    it('hands out the latest main-branch contract, pending until the provider’s main branch verifies it', async () => {
      const [worker, api] = [unique('worker'), unique('api')]
      const h = await published(get().c, { consumer: worker, version: '1.0.0', branch: 'main', contracts: [contractDoc(worker, api)] })
      const [first] = await forVerification(api, { selectors: [{ mainBranch: true }], providerBranch: 'main' })
      expect(first).toMatchObject({ contentHash: h[api], consumer: worker, pending: true, wip: false })
      expect(first!.contract).toMatchObject({ consumer: worker, provider: api })

      // A failure does not end pending; a success on a feature branch only ends it for that branch.
      expect((await verify(api, '2.0.0', 'main', [{ contentHash: h[api]!, success: false }])).statusCode).toBe(201)
      expect((await verify(api, '2.1.0-x', 'feat/x', [{ contentHash: h[api]!, success: true }])).statusCode).toBe(201)
      expect((await forVerification(api, { providerBranch: 'main' }))[0]!.pending).toBe(true)
      expect((await forVerification(api, { providerBranch: 'feat/x' }))[0]!.pending).toBe(false)

      await verify(api, '2.1.0', 'main', [{ contentHash: h[api]!, success: true }])
      expect((await forVerification(api, { providerBranch: 'feat/y' }))[0]!.pending).toBe(false)
    })

    it('a provider that never names a branch: its own success without a branch ends pending for its later branchless runs', async () => {
      const [worker, api] = [unique('worker'), unique('api')]
      const h = await published(get().c, { consumer: worker, version: '1.0.0', branch: 'main', contracts: [contractDoc(worker, api)] })
      const branchless = async () => (await forVerification(api, { selectors: [{ mainBranch: true }] }))[0]!
      expect((await branchless()).pending).toBe(true)
      const recorded = await get().c.post('/api/verifications', {
        provider: api,
        providerVersion: '2.0.0',
        results: [{ contentHash: h[api]!, success: true }],
      })
      expect(recorded.statusCode).toBe(201)
      // Before, no success without a branch ever counted: every later failure stayed pending and verify exited 0.
      expect(await branchless()).toMatchObject({ pending: false, notice: expect.stringContaining(`${api} 2.0.0 (no branch) has verified`) })
      expect((await forVerification(api, { providerBranch: 'feat/x' }))[0]!.pending).toBe(true)
    })

    it('verification carries over to a later consumer version with unchanged content, and stops at changed content', async () => {
      const [worker, api] = [unique('worker'), unique('api')]
      const h1 = await published(get().c, { consumer: worker, version: '1.0.0', branch: 'main', contracts: [contractDoc(worker, api)] })
      await verify(api, '2.0.0', 'main', [{ contentHash: h1[api]!, success: true }])
      await published(get().c, { consumer: worker, version: '1.1.0', branch: 'main', contracts: [contractDoc(worker, api)] })
      const [same] = await forVerification(api, { providerBranch: 'main' })
      expect(same).toMatchObject({ contentHash: h1[api], pending: false, consumerVersions: [{ version: '1.1.0' }] })
      await published(get().c, {
        consumer: worker,
        version: '1.2.0',
        branch: 'main',
        contracts: [contractDoc(worker, api, { variant: 1 })],
      })
      const [changed] = await forVerification(api, { providerBranch: 'main' })
      expect(changed).toMatchObject({ pending: true, consumerVersions: [{ version: '1.2.0' }] })
    })

    it('groups a deployed version and the main-branch head with the same content into one entry', async () => {
      const { c } = get()
      const [worker, api, env] = [unique('worker'), unique('api'), unique('env')]
      await c.put(`/api/environments/${env}`, { production: true })
      await published(c, { consumer: worker, version: '1.0.0', branch: 'main', contracts: [contractDoc(worker, api)] })
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '1.0.0' })
      await published(c, { consumer: worker, version: '1.1.0', branch: 'main', contracts: [contractDoc(worker, api)] })
      const targets = await forVerification(api, { selectors: [{ mainBranch: true }, { deployed: true, environment: env }] })
      expect(targets).toHaveLength(1)
      expect(targets[0]!.consumerVersions.map((v) => v.version)).toEqual(['1.1.0', '1.0.0'])
      expect(targets[0]!.selectedBy).toEqual([
        `latest version of ${worker} from its main branch (main)`,
        `version 1.0.0 of ${worker}, deployed in ${env}`,
      ])
    })

    it('selects by matching branch, by consumer version, and adds WIP branches since a date as pending', async () => {
      const [worker, api] = [unique('worker'), unique('api')]
      await published(get().c, { consumer: worker, version: '1.0.0', branch: 'main', contracts: [contractDoc(worker, api)] })
      const since = new Date(Date.now() - 1000).toISOString()
      await published(get().c, {
        consumer: worker,
        version: '1.1.0-a',
        branch: 'feat/a',
        contracts: [contractDoc(worker, api, { variant: 1 })],
      })
      await published(get().c, {
        consumer: worker,
        version: '1.1.0-b',
        branch: 'feat/b',
        contracts: [contractDoc(worker, api, { variant: 2 })],
      })

      const matching = await forVerification(api, { selectors: [{ matchingBranch: true }], providerBranch: 'feat/a' })
      expect(matching.map((t) => t.consumerVersions[0]!.version)).toEqual(['1.1.0-a'])

      const pinned = await forVerification(api, { selectors: [{ consumer: worker, version: '1.0.0' }] })
      expect(pinned.map((t) => t.consumerVersions[0]!.version)).toEqual(['1.0.0'])

      const withWip = await forVerification(api, { selectors: [{ mainBranch: true }], providerBranch: 'main', includeWipSince: since })
      expect(withWip.map((t) => [t.consumerVersions[0]!.version, t.wip, t.pending])).toEqual([
        ['1.0.0', false, true],
        ['1.1.0-b', true, true],
        ['1.1.0-a', true, true],
      ])
      const later = new Date(Date.now() + 60_000).toISOString()
      expect(
        await forVerification(api, { selectors: [{ mainBranch: true }], providerBranch: 'main', includeWipSince: later }),
      ).toHaveLength(1)
    })

    it('rejects selectors that cannot mean anything, naming the field', async () => {
      const { c } = get()
      const api = unique('api')
      const err = async (body: object) => json(await c.post(`/api/providers/${api}/contracts-for-verification`, body)).error
      expect(await err({ selectors: [{ matchingBranch: true }] })).toMatchObject({
        code: BrokerErrorCodes.SELECTOR_INVALID,
        path: 'body.providerBranch',
      })
      expect(await err({ selectors: [{ deployed: true, environment: 'no-such-env' }] })).toMatchObject({
        code: BrokerErrorCodes.SELECTOR_INVALID,
        path: 'body.selectors[0].environment',
      })
      // A typo of an environment that exists names it, as every other unknown environment does.
      const env = unique('production')
      await c.put(`/api/environments/${env}`, { production: true })
      expect((await err({ selectors: [{ deployed: true, environment: env.slice(0, -1) }] })).message).toContain(
        `did you mean ${JSON.stringify(env)}?`,
      )
      expect(await err({ includeWipSince: new Date().toISOString() })).toMatchObject({ path: 'body.providerBranch' })
      expect(await err({ selectors: [{ branch: 'x', bogus: 1 }] })).toMatchObject({
        code: BrokerErrorCodes.VALIDATION,
        path: 'body.selectors[0].bogus',
      })
    })

    it('without a body, verifies what is on main branches and deployed; rejects a WIP date that is not one', async () => {
      const { app, c } = get()
      const [worker, api] = [unique('worker'), unique('api')]
      await published(c, { consumer: worker, version: '1.0.0', branch: 'main', contracts: [contractDoc(worker, api)] })
      const res = await app.inject({ method: 'POST', url: `/api/providers/${api}/contracts-for-verification` })
      expect(res.statusCode).toBe(200)
      expect(json(res).contracts[0].selectedBy).toEqual([`latest version of ${worker} from its main branch (main)`])
      const bad = await c.post(`/api/providers/${api}/contracts-for-verification`, { providerBranch: 'main', includeWipSince: 'yesterday' })
      expect(json(bad).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.includeWipSince' })
    })

    it('answers an empty list for a provider nobody has a contract with', async () => {
      expect(await forVerification(unique('lonely'), {})).toEqual([])
    })
  })

  describe('recording verification results', () => {
    it('refuses a content hash never published, or published for another provider', async () => {
      const [worker, api] = [unique('worker'), unique('api')]
      const h = await published(get().c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      const unknown = await verify(api, '1.0.0', 'main', [{ contentHash: 'a'.repeat(64), success: true }])
      expect(unknown.statusCode).toBe(404)
      expect(json(unknown).error).toMatchObject({ code: BrokerErrorCodes.CONTENT_NOT_FOUND, path: 'body.results[0].contentHash' })
      const wrong = await verify(unique('impostor'), '1.0.0', 'main', [{ contentHash: h[api]!, success: true }])
      expect(json(wrong).error.code).toBe(BrokerErrorCodes.CONTENT_NOT_FOUND)
      const malformed = await verify(api, '1.0.0', 'main', [{ contentHash: 'not-a-hash', success: true }])
      expect(json(malformed).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.results[0].contentHash' })
    })

    it('refuses a success that one of its own expectations contradicts, storing nothing', async () => {
      const [worker, api] = [unique('worker'), unique('api')]
      const h = await published(get().c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      const res = await get().c.post('/api/verifications', {
        provider: api,
        providerVersion: '2.0.0',
        results: [{ contentHash: h[api], success: true, expectations: [{ description: 'a message on pdf.requested', success: false }] }],
      })
      expect(res.statusCode).toBe(400)
      expect(json(res).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.results[0].success' })
      expect(json(res).error.message).toContain('expectations[0]')
      expect(await get().store.db.query('SELECT 1 FROM verifications WHERE content_hash = $1', [h[api]])).toEqual([])
    })

    it('stores per-expectation outcomes and reports the overall result', async () => {
      const [worker, api] = [unique('worker'), unique('api')]
      const h = await published(get().c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      const res = await get().c.post('/api/verifications', {
        provider: api,
        providerVersion: '2.0.0',
        results: [
          {
            contentHash: h[api],
            success: false,
            expectations: [{ description: 'a message on pdf.requested', success: false, mismatches: [{ path: 'id' }] }],
          },
        ],
      })
      expect(res.statusCode).toBe(201)
      expect(json(res)).toEqual({
        provider: api,
        providerVersion: '2.0.0',
        success: false,
        results: [{ contentHash: h[api], consumer: worker, success: false }],
      })
      const [row] = await get().store.db.query<{ expectations: unknown }>(
        'SELECT expectations FROM verifications WHERE content_hash = $1',
        [h[api]],
      )
      expect(row!.expectations).toEqual([{ description: 'a message on pdf.requested', success: false, mismatches: [{ path: 'id' }] }])
    })
  })
}
