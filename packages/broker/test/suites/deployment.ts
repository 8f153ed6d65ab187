/** Environments, deployments, the matrix, can-i-deploy and webhook administration over HTTP. */
import { describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'
import { contractDoc, json, knownVersions, published, unique } from '../support/fixtures.js'
import type { GetContext } from './context.js'

export function deploymentSuite(get: GetContext): void {
  describe('environments and deployments', () => {
    it('creates an environment (201), updates it (200), keeps production when left out, and lists it', async () => {
      const { c } = get()
      const env = unique('prod')
      const created = await c.put(`/api/environments/${env}`, { production: true })
      expect(created.statusCode).toBe(201)
      expect(json(created)).toMatchObject({ name: env, production: true })
      const kept = await c.put(`/api/environments/${env}`, {})
      expect(kept.statusCode).toBe(200)
      expect(json(kept).production).toBe(true)
      expect(json(await c.put(`/api/environments/${env}`, { production: false })).production).toBe(false)
      expect(json(await c.get('/api/environments')).environments.map((e: { name: string }) => e.name)).toContain(env)
    })

    it('takes a PUT without any body as "no change asked": creates a non-production environment', async () => {
      const { app } = get()
      const env = unique('bare')
      const res = await app.inject({ method: 'PUT', url: `/api/environments/${env}` })
      expect(res.statusCode).toBe(201)
      expect(json(res)).toMatchObject({ name: env, production: false })
    })

    it('a new deployment undeploys the service’s previous one in that environment, and history shows both', async () => {
      const { c, store } = get()
      const [env, api] = [unique('env'), unique('api')]
      await knownVersions(store.db, api, ['1.0.0', '1.1.0'])
      await c.put(`/api/environments/${env}`, {})
      const first = await c.post(`/api/environments/${env}/deployments`, { service: api, version: '1.0.0' })
      expect(first.statusCode).toBe(201)
      expect(json(first)).toMatchObject({
        replaced: null,
        changed: true,
        deployment: { service: api, version: '1.0.0', undeployedAt: null },
      })
      const second = json(await c.post(`/api/environments/${env}/deployments`, { service: api, version: '1.1.0' }))
      expect(second).toMatchObject({ replaced: '1.0.0', changed: true })
      const again = json(await c.post(`/api/environments/${env}/deployments`, { service: api, version: '1.1.0' }))
      expect(again).toMatchObject({ replaced: null, changed: false })

      const current = json(await c.get(`/api/environments/${env}/deployments`)).deployments
      expect(current.map((d: { version: string }) => d.version)).toEqual(['1.1.0'])
      const history = json(await c.get(`/api/environments/${env}/deployments?history=true`)).deployments
      expect(history.map((d: { version: string; undeployedAt: string | null }) => [d.version, d.undeployedAt === null])).toEqual([
        ['1.1.0', true],
        ['1.0.0', false],
      ])
      expect(json(await c.get(`/api/services/${api}`)).deployments).toMatchObject([{ environment: env, version: '1.1.0' }])
    })

    it('keeps one current deployment per service even when recordings race', async () => {
      const { c, store } = get()
      const [env, api] = [unique('env'), unique('api')]
      await knownVersions(store.db, api, ['1', '2', '3', '4', '5', '6'])
      await c.put(`/api/environments/${env}`, {})
      const results = await Promise.all(
        ['1', '2', '3', '4', '5', '6'].map((v) => c.post(`/api/environments/${env}/deployments`, { service: api, version: v })),
      )
      expect(results.every((r) => r.statusCode === 201)).toBe(true)
      const [row] = await store.db.query<{ n: number }>(
        `SELECT count(*) AS n FROM deployments d JOIN environments e ON e.id = d.environment_id
          WHERE e.name = $1 AND d.undeployed_at IS NULL`,
        [env],
      )
      expect(row!.n).toBe(1)
    })

    it('404s an unknown environment', async () => {
      const { c } = get()
      const res = await c.post('/api/environments/nowhere-at-all/deployments', { service: 'x', version: '1' })
      expect(res.statusCode).toBe(404)
      expect(json(res).error.code).toBe(BrokerErrorCodes.ENVIRONMENT_NOT_FOUND)
    })

    it('names the closest environment when one is mistyped, and still creates nothing', async () => {
      const { c } = get()
      const env = unique('staging')
      await c.put(`/api/environments/${env}`, {})
      const typo = env.replace('staging', 'stagin')
      const res = await c.post(`/api/environments/${typo}/deployments`, { service: 'x', version: '1' })
      expect(res.statusCode).toBe(404)
      expect(json(res).error.message).toMatch(new RegExp(`did you mean [^?]*${JSON.stringify(env)}`))
      // Creating the mistyped name is the fallback, not the advice.
      expect(json(res).error.message).toContain(`? (if not, an admin creates it with treaty environment create ${typo}`)
      expect((await c.get(`/api/environments/${typo}/deployments`)).statusCode).toBe(404)
      const far = await c.post('/api/environments/nowhere-at-all/deployments', { service: 'x', version: '1' })
      expect(json(far).error.message).not.toContain('did you mean')
      expect(json(far).error.message).toContain('; an admin creates it with treaty environment create nowhere-at-all')
    })

    it('refuses a deployment of a service or version it has never seen (404, did-you-mean), creating nothing', async () => {
      const { c, store } = get()
      const [env, orders] = [unique('env'), unique('orders')]
      await knownVersions(store.db, orders, ['2.0.0'])
      await c.put(`/api/environments/${env}`, {})
      const typo = await c.post(`/api/environments/${env}/deployments`, { service: orders.slice(0, -1), version: '2.0.0' })
      expect(typo.statusCode).toBe(404)
      expect(json(typo).error).toMatchObject({ code: BrokerErrorCodes.SERVICE_NOT_FOUND, path: 'body.service' })
      // First of the closest: other tests' services with random suffixes may be near too.
      expect(json(typo).error.message).toContain(`did you mean "${orders}"`)
      expect((await c.get(`/api/services/${orders.slice(0, -1)}`)).statusCode).toBe(404)
      const version = await c.post(`/api/environments/${env}/deployments`, { service: orders, version: '2.0.1' })
      expect(json(version).error).toMatchObject({ code: BrokerErrorCodes.VERSION_NOT_FOUND, path: 'body.version' })
      expect(json(version).error.message).toContain('did you mean "2.0.0"?')
      expect(json(await c.get(`/api/environments/${env}/deployments`)).deployments).toEqual([])
    })
  })

  describe('admin deletion', () => {
    it('deletes a version, then a service, with everything hanging off them, and logs who and when', async () => {
      const { c } = get()
      const [worker, api, env] = [unique('worker'), unique('api'), unique('env')]
      await c.put(`/api/environments/${env}`, {})
      await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      const h = await published(c, { consumer: worker, version: '1.1.0', contracts: [contractDoc(worker, api, { variant: 1 })] })
      await c.post('/api/verifications', { provider: api, providerVersion: '9', results: [{ contentHash: h[api], success: true }] })
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '1.1.0' })
      await c.post(`/api/environments/${env}/releases`, { service: worker, version: '1.0.0' })

      // What an environment runs is not deleted: can-i-deploy would take the environment for empty.
      const live = json(await c.delete(`/api/services/${worker}/versions/1.1.0?by=alice`)).error
      expect(live).toMatchObject({ code: BrokerErrorCodes.STILL_DEPLOYED, path: 'params.version' })
      expect(live.message).toContain(`${worker} 1.1.0 deployed in ${env}`)
      expect(live.hint).toContain(`treaty record-undeployment --service ${worker} --environment ${env}`)
      const released = json(await c.delete(`/api/services/${worker}/versions/1.0.0?by=alice`)).error
      expect(released.hint).toContain(`treaty record-support-ended --service ${worker} --app-version 1.0.0 --environment ${env}`)
      expect(json(await c.delete(`/api/services/${worker}?by=alice`)).error).toMatchObject({
        code: BrokerErrorCodes.STILL_DEPLOYED,
        path: 'params.name',
      })
      expect(json(await c.get(`/api/services/${worker}`)).versions).toHaveLength(2)
      expect(json(await c.get(`/api/environments/${env}/deployments`)).deployments).toHaveLength(2)
      expect(json(await c.delete(`/api/services/${worker}/versions/9.9.9?by=alice`)).error).toMatchObject({
        code: BrokerErrorCodes.VERSION_NOT_FOUND,
        path: 'params.version',
      })
      await c.post(`/api/environments/${env}/undeployments`, { service: worker })
      await c.post(`/api/environments/${env}/support-ended`, { service: worker, version: '1.0.0' })

      const version = await c.delete(`/api/services/${worker}/versions/1.1.0?by=alice`)
      expect(version.statusCode).toBe(200)
      expect(json(version)).toMatchObject({ service: worker, version: '1.1.0', deletedBy: 'alice' })
      expect(json(version).removed).toMatchObject({ publications: 1, deployments: 1, service_versions: 1 })
      expect(json(await c.get(`/api/services/${worker}`)).versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0'])
      expect(json(await c.get(`/api/environments/${env}/deployments`)).deployments).toEqual([])

      const typo = await c.delete(`/api/services/${worker.slice(0, -1)}?by=alice`)
      expect(json(typo).error.code).toBe(BrokerErrorCodes.SERVICE_NOT_FOUND)
      expect((await c.delete(`/api/services/${worker}?by=bob`)).statusCode).toBe(200)
      expect((await c.get(`/api/services/${worker}`)).statusCode).toBe(404)
      const contracts = json(await c.post(`/api/providers/${api}/contracts-for-verification`, {})).contracts
      expect(contracts).toEqual([])

      const log = json(await c.get('/api/deletions')).deletions.filter((d: { service: string }) => d.service === worker)
      expect(log).toMatchObject([
        { service: worker, version: null, deletedBy: 'bob', tokenLevel: 'none' },
        { service: worker, version: '1.1.0', deletedBy: 'alice' },
      ])
      expect(Number.isNaN(Date.parse(log[0].deletedAt))).toBe(false)
    })
  })

  describe('admin deletion of what can-i-deploy still reads', () => {
    it('refuses to delete a provider whose contract a deployed consumer version holds: can-i-deploy would then pass a breaking one', async () => {
      const { c } = get()
      const [worker, api, env] = [unique('worker'), unique('api'), unique('env')]
      await c.put(`/api/environments/${env}`, {})
      await published(c, { consumer: worker, version: '1', contracts: [contractDoc(worker, api)] })
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '1' })
      const refused = await c.delete(`/api/services/${api}?by=alice`)
      expect(refused.statusCode).toBe(409)
      expect(json(refused).error).toMatchObject({ code: BrokerErrorCodes.STILL_DEPLOYED, path: 'params.name' })
      expect(json(refused).error.message).toContain(`${worker} 1 deployed in ${env} holds a contract with ${api}`)
      expect(json(refused).error.hint).toContain(`treaty record-undeployment --service ${worker} --environment ${env}`)
      expect(json(await c.get(`/api/contracts/${worker}?version=1`)).contracts).toHaveLength(1)

      await c.post(`/api/environments/${env}/undeployments`, { service: worker })
      expect((await c.delete(`/api/services/${api}?by=alice`)).statusCode).toBe(200)
      expect(json(await c.get(`/api/contracts/${worker}?version=1`)).contracts).toEqual([])
    })
  })

  describe('can-i-deploy and the matrix', () => {
    it('a service that consumes what it sends needs its own verification of its contract with itself', async () => {
      const { c } = get()
      const [loop, env] = [unique('loop'), unique('env')]
      await c.put(`/api/environments/${env}`, {})
      const h = await published(c, { consumer: loop, version: '2.0.0', contracts: [contractDoc(loop, loop)] })
      const ask = async () => json(await c.get(`/api/can-i-deploy?service=${loop}&version=2.0.0&environment=${env}`))
      const verify = (success: boolean) =>
        c.post('/api/verifications', { provider: loop, providerVersion: '2.0.0', results: [{ contentHash: h[loop], success }] })
      expect(await ask()).toMatchObject({ deployable: false, rows: [{ consumer: loop, provider: loop, status: 'unverified' }] })
      await verify(false)
      expect(await ask()).toMatchObject({ deployable: false, rows: [{ status: 'failed', mode: 'replay' }] })
      await verify(true)
      expect(await ask()).toMatchObject({ deployable: true, rows: [{ status: 'verified', providerVersion: '2.0.0' }] })
    })

    it('counts every live release until its support ends, and forgets an undeployed version', async () => {
      const { c, store } = get()
      const [worker, app, env] = [unique('worker'), unique('mobile-app'), unique('stores')]
      await c.put(`/api/environments/${env}`, { production: true })
      const h = await published(c, { consumer: app, version: '1.0.0', contracts: [contractDoc(app, worker)] })
      await knownVersions(store.db, app, ['2.0.0'])
      await c.post('/api/verifications', {
        provider: worker,
        providerVersion: '5.0.0',
        results: [{ contentHash: h[worker], success: true }],
      })
      const release = (version: string) => c.post(`/api/environments/${env}/releases`, { service: app, version })
      expect((await release('1.0.0')).statusCode).toBe(201)
      expect(json(await release('2.0.0'))).toMatchObject({ changed: true })
      expect(json(await release('2.0.0'))).toMatchObject({ changed: false })
      const ask = async () => json(await c.get(`/api/can-i-deploy?service=${worker}&version=5.0.0&environment=${env}`))
      // Both app versions are live: 2.0.0 published no contract, 1.0.0's is verified.
      expect((await ask()).deployable).toBe(true)
      await c.post(`/api/contracts`, { consumer: app, version: '2.0.0', contracts: [contractDoc(app, worker, { variant: 1 })] })
      const blocked = await ask()
      expect(blocked.deployable).toBe(false)
      expect(blocked.rows.map((r: { consumerVersion: string }) => r.consumerVersion).sort()).toEqual(['1.0.0', '2.0.0'])
      const ended = await c.post(`/api/environments/${env}/support-ended`, { service: app, version: '2.0.0' })
      expect(ended.statusCode).toBe(200)
      expect((await ask()).deployable).toBe(true)
      const again = await c.post(`/api/environments/${env}/support-ended`, { service: app, version: '2.0.0' })
      expect(json(again).error.code).toBe(BrokerErrorCodes.DEPLOYMENT_NOT_FOUND)

      // A deployment next to the releases; undeploying it leaves the releases live.
      await c.post(`/api/environments/${env}/deployments`, { service: app, version: '2.0.0' })
      expect((await ask()).deployable).toBe(false)
      const gone = await c.post(`/api/environments/${env}/undeployments`, { service: app })
      expect(json(gone)).toMatchObject({ version: '2.0.0', changed: true })
      expect((await ask()).deployable).toBe(true)
      const none = await c.post(`/api/environments/${env}/undeployments`, { service: app })
      expect(json(none).error.code).toBe(BrokerErrorCodes.DEPLOYMENT_NOT_FOUND)
      const typo = await c.post(`/api/environments/${env}/undeployments`, { service: app.slice(0, -1) })
      expect(json(typo).error.code).toBe(BrokerErrorCodes.SERVICE_NOT_FOUND)
    })

    it('gives one row to a version both deployed and released in one environment, in either role', async () => {
      const { c, store } = get()
      const [worker, api, env] = [unique('worker'), unique('api'), unique('stores')]
      await c.put(`/api/environments/${env}`, { production: true })
      const h = await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      await knownVersions(store.db, api, ['2.0.0', '3.0.0'])
      for (const [service, version] of [
        [worker, '1.0.0'],
        [api, '2.0.0'],
      ]) {
        expect((await c.post(`/api/environments/${env}/deployments`, { service, version })).statusCode).toBe(201)
        expect((await c.post(`/api/environments/${env}/releases`, { service, version })).statusCode).toBe(201)
      }
      const ask = async (service: string, version: string) =>
        json(await c.get(`/api/can-i-deploy?service=${service}&version=${version}&environment=${env}`))
      // The consumer's side: the provider version that is deployed and released is one provider version there.
      const asConsumer = await ask(worker, '1.0.0')
      expect(asConsumer.rows).toMatchObject([{ consumerVersion: '1.0.0', providerVersion: '2.0.0', status: 'unverified' }])
      expect(asConsumer.reasons).toEqual([
        `${worker} 1.0.0 cannot be deployed to ${env}: 1 of 1 contract with what runs there is not verified (1 never verified)`,
        `${worker} 1.0.0 expects \`pdf.requested\`; ${api} 2.0.0 (in ${env}) has never verified that contract`,
      ])
      // The provider's side: the consumer version that is deployed and released is one consumer version there.
      await c.post('/api/verifications', { provider: api, providerVersion: '3.0.0', results: [{ contentHash: h[api], success: false }] })
      const asProvider = await ask(api, '3.0.0')
      expect(asProvider.deployable).toBe(false)
      expect(asProvider.rows).toMatchObject([{ consumerVersion: '1.0.0', providerVersion: '3.0.0', status: 'failed' }])
      expect(asProvider.reasons[0]).toBe(
        `${api} 3.0.0 cannot be deployed to ${env}: 1 of 1 contract with what runs there is not verified (1 failed)`,
      )
    })

    it('walks the release of a consumer and a provider through production', async () => {
      const { c, store } = get()
      const [worker, api, prod] = [unique('pdf-worker'), unique('pdf-api'), unique('production')]
      await c.put(`/api/environments/${prod}`, { production: true })
      const h = await published(c, { consumer: worker, version: '1.4.0', branch: 'main', contracts: [contractDoc(worker, api)] })
      await knownVersions(store.db, api, ['2.3.1'])
      await c.post(`/api/environments/${prod}/deployments`, { service: api, version: '2.3.1' })
      const ask = async (service: string, version: string) =>
        json(await c.get(`/api/can-i-deploy?service=${service}&version=${version}&environment=${prod}`))

      // pdf-api 2.3.1 runs in production and has never verified the worker's contract.
      const never = await ask(worker, '1.4.0')
      expect(never.deployable).toBe(false)
      expect(never.reasons).toContain(
        `${worker} 1.4.0 expects \`pdf.requested\`; ${api} 2.3.1 (in ${prod}) has never verified that contract`,
      )
      expect(never.rows).toMatchObject([
        { consumer: worker, provider: api, providerVersion: '2.3.1', status: 'unverified', verification: null },
      ])

      await c.post('/api/verifications', {
        provider: api,
        providerVersion: '2.3.1',
        branch: 'main',
        results: [{ contentHash: h[api], success: true }],
      })
      const yes = await ask(worker, '1.4.0')
      expect(yes.deployable).toBe(true)
      expect(yes.rows[0]).toMatchObject({ status: 'verified', verification: { success: true, providerVersion: '2.3.1' } })

      // The worker goes to production; a new provider version must now verify the worker's content before it may follow.
      await c.post(`/api/environments/${prod}/deployments`, { service: worker, version: '1.4.0' })
      await c.post('/api/verifications', {
        provider: api,
        providerVersion: '2.4.0',
        branch: 'main',
        results: [{ contentHash: h[api], success: false }],
      })
      const failing = await ask(api, '2.4.0')
      expect(failing.deployable).toBe(false)
      expect(failing.rows).toMatchObject([
        { consumer: worker, consumerVersion: '1.4.0', providerVersion: '2.4.0', status: 'failed', role: 'provider' },
      ])
      await c.post('/api/verifications', {
        provider: api,
        providerVersion: '2.4.0',
        branch: 'main',
        results: [{ contentHash: h[api], success: true }],
      })
      expect((await ask(api, '2.4.0')).deployable).toBe(true)

      const matrix = json(await c.get(`/api/matrix?service=${worker}&version=1.4.0`))
      expect(
        matrix.rows.map((r: { providerVersion: string; verification: { success: boolean } }) => [
          r.providerVersion,
          r.verification.success,
        ]),
      ).toEqual([
        ['2.4.0', true],
        ['2.3.1', true],
      ])
      const latest = json(await c.get(`/api/matrix?service=${api}`))
      expect(latest).toMatchObject({ version: '2.4.0', rows: [{ consumer: worker, consumerVersion: '1.4.0', providerVersion: '2.4.0' }] })
    })

    it('404s what it cannot know, and requires every parameter', async () => {
      const { c } = get()
      const [worker, api, env] = [unique('worker'), unique('api'), unique('env')]
      await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      await c.put(`/api/environments/${env}`, {})
      const code = async (q: string) => json(await c.get(`/api/can-i-deploy?${q}`)).error
      expect((await code(`service=${worker}&version=9&environment=${env}`)).code).toBe(BrokerErrorCodes.VERSION_NOT_FOUND)
      expect((await code(`service=nobody-x&version=1&environment=${env}`)).code).toBe(BrokerErrorCodes.SERVICE_NOT_FOUND)
      expect((await code(`service=${worker}&version=1.0.0&environment=nowhere-x`)).code).toBe(BrokerErrorCodes.ENVIRONMENT_NOT_FOUND)
      expect(await code(`service=${worker}&version=1.0.0`)).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'query.environment' })
      expect((await c.get(`/api/can-i-deploy?service=${worker}&version=1.0.0&environment=${env}`)).statusCode).toBe(200)
    })

    it('names the closest service or version when asked about a mistyped one, and how a version becomes known', async () => {
      const { c } = get()
      const [worker, api, env] = [unique('worker'), unique('api'), unique('env')]
      await published(c, { consumer: worker, version: '1.0.0', contracts: [contractDoc(worker, api)] })
      await c.put(`/api/environments/${env}`, {})
      const error = async (q: string) => json(await c.get(`/api/can-i-deploy?${q}`)).error
      const service = await error(`service=${worker.slice(0, -1)}&version=1.0.0&environment=${env}`)
      expect(service).toMatchObject({ code: BrokerErrorCodes.SERVICE_NOT_FOUND, path: 'query.service' })
      expect(service.message).toContain(`did you mean "${worker}"`)
      // Beside a likely typo, the hint does not advise registering the typed name.
      expect(service.hint).toBe(`check the spelling: "${worker}" is known`)
      const version = await error(`service=${worker}&version=1.0.1&environment=${env}`)
      expect(version).toMatchObject({ code: BrokerErrorCodes.VERSION_NOT_FOUND, path: 'query.version' })
      expect(version.message).toContain('did you mean "1.0.0"?')
      // A deployment never makes a version known (it is refused): the way is to publish or register it.
      expect(version.message).not.toContain('deployments')
      expect(version.hint).toContain(`treaty version create --service ${worker} --app-version 1.0.1`)
    })
  })

  describe('webhook administration', () => {
    it('creates (returning the secret once), lists without secrets, shows an empty delivery log, and deletes', async () => {
      const { c } = get()
      const created = await c.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['contract_published'], description: 'ci' })
      expect(created.statusCode).toBe(201)
      const hook = json(created)
      expect(hook).toMatchObject({ url: 'http://127.0.0.1:9/hook', events: ['contract_published'], description: 'ci' })
      expect(hook.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const listed = json(await c.get('/api/webhooks')).webhooks.find((w: { id: string }) => w.id === hook.id)
      expect(listed).toBeDefined()
      expect(listed.secret).toBeUndefined()
      expect(json(await c.get(`/api/webhooks/${hook.id}/deliveries`)).deliveries).toEqual([])
      expect((await c.delete(`/api/webhooks/${hook.id}`)).statusCode).toBe(204)
      expect(json(await c.delete(`/api/webhooks/${hook.id}`)).error.code).toBe(BrokerErrorCodes.WEBHOOK_NOT_FOUND)
    })

    it('accepts only http(s) targets and known events', async () => {
      const { c } = get()
      for (const url of ['ftp://example.test/x', 'file:///etc/passwd', 'not a url', 'http://user:pw@example.test/']) {
        const res = await c.post('/api/webhooks', { url, events: ['contract_published'] })
        expect({ url, status: res.statusCode, path: json(res).error.path }).toEqual({ url, status: 400, path: 'body.url' })
      }
      const res = await c.post('/api/webhooks', { url: 'https://example.test/x', events: ['contract_deleted'] })
      expect(json(res).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.events[0]' })
    })
  })
}
