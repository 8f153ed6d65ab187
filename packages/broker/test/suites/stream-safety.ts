/** Channel retention, retention-aware can-i-deploy, impact and the field-usage map over HTTP. */
import { describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'
import { type Client, contractDoc, json, publish, published, unique } from '../support/fixtures.js'
import type { GetContext } from './context.js'

const DAY = 86_400_000

const limits = (maxAgeMs: number | null, over: object = {}) => ({
  policy: 'limits',
  maxAgeMs,
  maxMessages: null,
  deadLetter: null,
  stream: 'PDF_REQUESTS',
  source: 'declared',
  ...over,
})

/** What a provider version sends on `channel`: `id` and the integer fields named, nothing else. */
function producers(channel: string, fields: string[]) {
  return [
    {
      key: channel,
      payload: {
        type: 'object',
        required: ['id', ...fields],
        properties: { id: { type: 'string' }, ...Object.fromEntries(fields.map((f) => [f, { type: 'integer' }])) },
        additionalProperties: false,
      },
      headers: { type: 'object' },
    },
  ]
}

/** A provider whose 1.0.0 sent `field0` only and whose 2.0.0 (deployed now, replacing 1.0.0) sends `field0` and `field1`. */
async function providerHistory(c: Client, channel: string) {
  const [env, api, worker] = [unique('prod'), unique('pdf-api'), unique('pdf-worker')]
  await c.put(`/api/environments/${env}`, { production: true })
  await c.post(`/api/providers/${api}/schemas`, { providerVersion: '1.0.0', producers: producers(channel, ['field0']) })
  await c.post(`/api/providers/${api}/schemas`, { providerVersion: '2.0.0', producers: producers(channel, ['field0', 'field1']) })
  await c.post(`/api/environments/${env}/deployments`, { service: api, version: '1.0.0' })
  await c.post(`/api/environments/${env}/deployments`, { service: api, version: '2.0.0' })
  // The new worker reads field1, which only 2.0.0 sends.
  await published(c, { consumer: worker, version: '2', contracts: [contractDoc(worker, api, { variant: 1, channels: [channel] })] })
  return { env, api, worker }
}

/** providerHistory with its channel keeping messages 7 days: worker 2 cannot deploy while 1.0.0's may be read. */
async function retainedHistory(c: Client) {
  const channel = unique('pdf.requested')
  const { env, api, worker } = await providerHistory(c, channel)
  await c.put(`/api/channels/${channel}/retention`, limits(7 * DAY))
  const ask = async () => json(await c.get(`/api/can-i-deploy?service=${worker}&version=2&environment=${env}`))
  expect((await ask()).deployable).toBe(false)
  return { channel, env, api, worker, ask }
}

export function streamSafetySuite(get: GetContext): void {
  describe('channel retention', () => {
    it('declares retention (201), replaces it (200), reads it back and lists it', async () => {
      const { c } = get()
      const channel = unique('pdf.requested')
      const created = await c.put(`/api/channels/${channel}/retention`, limits(7 * DAY))
      expect(created.statusCode).toBe(201)
      expect(json(created)).toMatchObject({ channel, policy: 'limits', maxAgeMs: 7 * DAY, stream: 'PDF_REQUESTS', source: 'declared' })
      const replaced = await c.put(`/api/channels/${channel}/retention`, limits(null, { policy: 'workqueue', deadLetter: 'pdf.dead' }))
      expect(replaced.statusCode).toBe(200)
      expect(json(await c.get(`/api/channels/${channel}/retention`))).toMatchObject({
        policy: 'workqueue',
        maxAgeMs: null,
        deadLetter: 'pdf.dead',
      })
      expect(json(await c.get('/api/channels')).channels.map((r: { channel: string }) => r.channel)).toContain(channel)
    })

    it('404s an unknown channel and rejects a bad declaration naming the field', async () => {
      const { c } = get()
      const missing = await c.get(`/api/channels/${unique('nothing')}/retention`)
      expect(missing.statusCode).toBe(404)
      expect(json(missing).error.code).toBe(BrokerErrorCodes.CHANNEL_NOT_FOUND)
      const bad = await c.put(`/api/channels/${unique('c')}/retention`, limits(-5))
      expect(bad.statusCode).toBe(400)
      expect(json(bad).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.maxAgeMs' })
      const policy = await c.put(`/api/channels/${unique('c')}/retention`, limits(DAY, { policy: 'forever' }))
      expect(json(policy).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.policy' })
    })
  })

  describe('retention-aware can-i-deploy', () => {
    it('refuses a consumer that cannot read what a replaced provider version left in a retained channel, naming it', async () => {
      const { c } = get()
      const channel = unique('pdf.requested')
      const { env, api, worker } = await providerHistory(c, channel)
      const ask = () => c.get(`/api/can-i-deploy?service=${worker}&version=2&environment=${env}`)

      // No retention known: today's rule, only 2.0.0 counts, and it sends field1.
      expect(json(await ask())).toMatchObject({ deployable: true, rows: [{ providerVersion: '2.0.0', mode: 'static' }] })

      await c.put(`/api/channels/${channel}/retention`, limits(7 * DAY))
      const refused = json(await ask())
      expect(refused.deployable).toBe(false)
      const old = refused.rows.find((r: { providerVersion: string }) => r.providerVersion === '1.0.0')
      expect(old).toMatchObject({
        status: 'failed',
        mode: 'static',
        retention: { olderVersion: '1.0.0', stream: 'PDF_REQUESTS', maxAgeMs: 7 * DAY },
      })
      expect(refused.reasons.join('\n')).toContain(
        `${api} 1.0.0 was deployed in ${env} until less than a minute ago; its messages can still be in PDF_REQUESTS (${channel}, max age 7d): payload/field1 renamed or removed (producer sends \`field0\`)`,
      )

      // A work queue drops a message once acknowledged: back to today's rule.
      await c.put(`/api/channels/${channel}/retention`, limits(null, { policy: 'workqueue' }))
      expect(json(await ask()).deployable).toBe(true)
    })

    it('refuses to delete a version undeployed within its channel’s window: can-i-deploy would stop checking its messages', async () => {
      const { c } = get()
      const { channel, env, api, ask } = await retainedHistory(c)

      const refused = await c.delete(`/api/services/${api}/versions/1.0.0?by=alice`)
      expect(refused.statusCode).toBe(409)
      expect(json(refused).error).toMatchObject({ code: BrokerErrorCodes.STILL_RETAINED, path: 'params.version' })
      expect(json(refused).error.message).toContain(
        `${api} 1.0.0 was deployed in ${env} until less than a minute ago; its messages can still be in PDF_REQUESTS (${channel}, max age 7d)`,
      )
      expect(json(refused).error.hint).toContain('delete it after 20')
      expect(json(await c.delete(`/api/services/${api}?by=alice`)).error.code).toBe(BrokerErrorCodes.STILL_DEPLOYED)
      expect((await ask()).deployable).toBe(false)

      // A work queue drops a message once acknowledged: nothing of 1.0.0 is left to read, so it may go.
      await c.put(`/api/channels/${channel}/retention`, limits(null, { policy: 'workqueue' }))
      expect((await c.delete(`/api/services/${api}/versions/1.0.0?by=alice`)).statusCode).toBe(200)
    })

    it('deletes a provider whose undeployed consumer version reads another provider’s retained channel: nothing of it is kept there', async () => {
      const { c } = get()
      const [env, api, other, worker] = [unique('prod'), unique('pdf-api'), unique('mail-api'), unique('pdf-worker')]
      const [kept, notKept] = [unique('mail.sent'), unique('pdf.requested')]
      await c.put(`/api/environments/${env}`, { production: true })
      const contracts = [contractDoc(worker, api, { channels: [notKept] }), contractDoc(worker, other, { channels: [kept] })]
      await published(c, { consumer: worker, version: '1', contracts })
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '1' })
      await c.post(`/api/environments/${env}/undeployments`, { service: worker })
      await c.put(`/api/channels/${kept}/retention`, limits(7 * DAY))

      expect((await c.delete(`/api/services/${api}?by=alice`)).statusCode).toBe(200)
      const refused = json(await c.delete(`/api/services/${other}?by=alice`)).error
      expect(refused.code).toBe(BrokerErrorCodes.STILL_RETAINED)
      expect(refused.message).toContain(`${worker} 1 was deployed in ${env} until less than a minute ago; a rollback to it would replay`)
    })

    it('checks a provider against a consumer version a rollback would bring back within the window', async () => {
      const { c } = get()
      const channel = unique('pdf.requested')
      const [env, api, worker] = [unique('prod'), unique('pdf-api'), unique('pdf-worker')]
      await c.put(`/api/environments/${env}`, {})
      await published(c, { consumer: worker, version: '1', contracts: [contractDoc(worker, api, { variant: 1, channels: [channel] })] })
      await published(c, { consumer: worker, version: '2', contracts: [contractDoc(worker, api, { variant: 0, channels: [channel] })] })
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '1' })
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '2' })
      await c.post(`/api/providers/${api}/schemas`, { providerVersion: '3.0.0', producers: producers(channel, ['field0']) })
      const ask = () => c.get(`/api/can-i-deploy?service=${api}&version=3.0.0&environment=${env}`)
      expect(json(await ask()).deployable).toBe(true)

      await c.put(`/api/channels/${channel}/retention`, limits(DAY))
      const refused = json(await ask())
      expect(refused.deployable).toBe(false)
      expect(refused.rows.find((r: { consumerVersion: string }) => r.consumerVersion === '1')).toMatchObject({
        role: 'provider',
        status: 'failed',
        retention: { olderVersion: '1' },
      })
    })
  })

  describe('replacing what a channel still keeps', () => {
    it('refuses to overwrite the provider schema of a version whose messages a channel still keeps', async () => {
      const { c } = get()
      const { channel, env, api, ask } = await retainedHistory(c)
      // Claiming 1.0.0 sent field1 would pass worker 2, which then crashes on 1.0.0's messages still in the stream.
      const claim = { providerVersion: '1.0.0', producers: producers(channel, ['field0', 'field1']), overwrite: true }
      const refused = json(await c.post(`/api/providers/${api}/schemas`, claim)).error
      expect(refused).toMatchObject({ code: BrokerErrorCodes.STILL_RETAINED, path: 'body.producers' })
      expect(refused.message).toContain(
        `${api} 1.0.0 was deployed in ${env} until less than a minute ago; its messages can still be in PDF_REQUESTS (${channel}, max age 7d)`,
      )
      expect(refused.hint).toMatch(/^publish the change under a new version, or replace it after 20\d\d-/)
      expect((await ask()).deployable).toBe(false)
      // Without overwrite, the conflict's hint does not send the publisher to an overwrite that would be refused.
      const conflict = json(await c.post(`/api/providers/${api}/schemas`, { ...claim, overwrite: false })).error
      expect(conflict.code).toBe(BrokerErrorCodes.PROVIDER_SCHEMA_CONFLICT)
      expect(conflict.hint).toMatch(
        new RegExp(
          `^publish under a new version \\(${api} 1\\.0\\.0 was deployed in ${env} .*: what it published stays as it is until 20\\d\\d-.*\\)$`,
        ),
      )
      expect(conflict.hint).not.toContain('overwrite')
      // A work queue drops a message once acknowledged: nothing of 1.0.0 is left to read.
      await c.put(`/api/channels/${channel}/retention`, limits(null, { policy: 'workqueue' }))
      expect(json(await c.post(`/api/providers/${api}/schemas`, claim)).status).toBe('overwritten')
    })

    it('refuses to overwrite the contract of a consumer version a rollback would bring back, on the channels a channel keeps', async () => {
      const { c } = get()
      const [channel, elsewhere] = [unique('pdf.requested'), unique('mail.sent')]
      const [env, api, mailer, worker] = [unique('prod'), unique('pdf-api'), unique('mail-api'), unique('pdf-worker')]
      await c.put(`/api/environments/${env}`, {})
      const first = [contractDoc(worker, api, { variant: 1, channels: [channel] }), contractDoc(worker, mailer, { channels: [elsewhere] })]
      await published(c, { consumer: worker, version: '1', contracts: first })
      await published(c, { consumer: worker, version: '2', contracts: [contractDoc(worker, api, { variant: 0, channels: [channel] })] })
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '1' })
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '2' })
      await c.post(`/api/providers/${api}/schemas`, { providerVersion: '3.0.0', producers: producers(channel, ['field0']) })
      await c.put(`/api/channels/${channel}/retention`, limits(DAY))
      const ask = async () => json(await c.get(`/api/can-i-deploy?service=${api}&version=3.0.0&environment=${env}`))
      expect((await ask()).deployable).toBe(false)
      // Rewriting worker 1's contract to what api 3.0.0 sends would pass api, and a rollback to worker 1 would crash.
      const rewrite = contractDoc(worker, api, { variant: 0, channels: [channel] })
      const refused = json(await publish(c, { consumer: worker, version: '1', contracts: [rewrite], overwrite: true })).error
      expect(refused).toMatchObject({ code: BrokerErrorCodes.STILL_RETAINED, path: 'body.contracts[0]' })
      expect(refused.message).toContain(`${worker} 1 was deployed in ${env} until less than a minute ago; a rollback to it would replay`)
      expect((await ask()).deployable).toBe(false)
      const conflict = json(await publish(c, { consumer: worker, version: '1', contracts: [rewrite] })).error
      expect(conflict.code).toBe(BrokerErrorCodes.CONTRACT_CONFLICT)
      expect(conflict.hint).toContain(`(${worker} 1 was deployed in ${env} until less than a minute ago; a rollback`)
      expect(conflict.hint).not.toContain('overwrite')
      // Its contract with another provider, on a channel nothing keeps, is its own to replace.
      const other = contractDoc(worker, mailer, { variant: 2, channels: [elsewhere] })
      expect(json(await publish(c, { consumer: worker, version: '1', contracts: [other], overwrite: true })).contracts[0].status).toBe(
        'overwritten',
      )
    })
  })

  describe('impact and field usage', () => {
    it('names the deployed consumer versions a provider change breaks, per field, and who never reads it', async () => {
      const { c } = get()
      const channel = unique('pdf.requested')
      const { env, api, worker } = await providerHistory(c, channel)
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '2' })
      const archiver = unique('pdf-archiver')
      await published(c, {
        consumer: archiver,
        version: '5',
        branch: 'main',
        contracts: [contractDoc(archiver, api, { channels: [channel] })],
      })

      const res = await c.post(`/api/providers/${api}/impact`, { producers: producers(channel, ['field0']) })
      expect(res.statusCode).toBe(200)
      const report = json(res)
      expect(report.breaksDeployed).toBe(true)
      expect(report.findings).toHaveLength(1)
      expect(report.findings[0]).toMatchObject({
        pointer: '/field1',
        kind: 'REQUIRED_PROPERTY_ADDED',
        breaks: [{ consumer: worker, version: '2', environments: [env] }],
        unaffected: [archiver],
        summary: `removes or makes optional payload/field1 on ${channel}: breaks ${worker} 2 (${env}); ${archiver} never reads it`,
      })

      const byVersion = json(await c.post(`/api/providers/${api}/impact`, { version: '2.0.0' }))
      expect(byVersion).toMatchObject({ breaksDeployed: false, findings: [] })

      const usage = json(await c.get(`/api/channels/${channel}/field-usage`)).usage
      expect(usage.filter((u: { pointer: string }) => u.pointer === '/field1')).toMatchObject([
        { consumer: worker, version: '2', constraint: 'required integer', environments: [env] },
      ])
    })

    it('asks for exactly one of producers and version, and 404s unknown services and environments', async () => {
      const { c } = get()
      const channel = unique('c')
      const { api } = await providerHistory(c, channel)
      const both = await c.post(`/api/providers/${api}/impact`, { producers: producers(channel, []), version: '1.0.0' })
      expect(json(both).error).toMatchObject({ code: BrokerErrorCodes.VALIDATION, path: 'body.version' })
      expect(json(await c.post(`/api/providers/${api}/impact`, {})).error.path).toBe('body.producers')
      // An unknown version names the field it came in: the body here, not a query string.
      const version = await c.post(`/api/providers/${api}/impact`, { version: '9.9.9' })
      expect(json(version).error).toMatchObject({ code: BrokerErrorCodes.VERSION_NOT_FOUND, path: 'body.version' })
      expect(json(await c.get(`/api/providers/${api}/schemas?version=9.9.9`)).error.path).toBe('query.version')
      const env = await c.post(`/api/providers/${api}/impact`, { version: '1.0.0', environments: [unique('nowhere')] })
      expect(json(env).error.code).toBe(BrokerErrorCodes.ENVIRONMENT_NOT_FOUND)
      const staging = unique('staging')
      await c.put(`/api/environments/${staging}`, {})
      const typo = await c.post(`/api/providers/${api}/impact`, { version: '1.0.0', environments: [staging.slice(0, -1)] })
      expect(json(typo).error.message).toContain(`did you mean ${JSON.stringify(staging)}?`)
      const who = await c.post(`/api/providers/${unique('nobody')}/impact`, { producers: producers(channel, []) })
      expect(json(who).error).toMatchObject({ code: BrokerErrorCodes.SERVICE_NOT_FOUND, path: 'params.provider' })
      const invalid = await c.post(`/api/providers/${api}/impact`, { producers: [{ key: 'k', payload: { type: 'nope' }, headers: {} }] })
      expect(json(invalid).error.code).toBe(BrokerErrorCodes.PROVIDER_SCHEMA_INVALID)
    })
  })
}
