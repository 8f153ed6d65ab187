/** Observations over HTTP: recording runs idempotently, bad input, and what can-i-deploy and the matrix make of them. */
import { describe, expect, it } from 'vitest'
import { BrokerErrorCodes } from '../../src/errors.js'
import { contractDoc, json, published, unique } from '../support/fixtures.js'
import type { GetContext } from './context.js'

export function observationSuite(get: GetContext): void {
  describe('observations', () => {
    /** pdf-worker 1.4.0 deployed in a production environment, pdf-api 2.0.0 verified its contract. */
    async function world() {
      const { c } = get()
      const worker = unique('pdf-worker')
      const api = unique('pdf-api')
      const env = unique('prod')
      const staging = unique('staging')
      const hashes = await published(c, { consumer: worker, version: '1.4.0', branch: 'main', contracts: [contractDoc(worker, api)] })
      const hash = hashes[api]!
      expect(
        (await c.post('/api/verifications', { provider: api, providerVersion: '2.0.0', results: [{ contentHash: hash, success: true }] }))
          .statusCode,
      ).toBe(201)
      await c.put(`/api/environments/${env}`, { production: true })
      await c.put(`/api/environments/${staging}`, { production: false })
      await c.post(`/api/environments/${env}/deployments`, { service: worker, version: '1.4.0' })
      const observation = (messages: number, mismatches: number) => ({
        provider: api,
        providerVersion: '2.0.0',
        consumer: worker,
        consumerVersion: '1.4.0',
        contentHash: hash,
        channel: 'pdf.requested',
        messages,
        mismatches,
        pointers: mismatches ? [{ pointer: 'payload/field0', expected: 'present (required)', count: mismatches }] : [],
        ...(mismatches
          ? {
              example: { subject: 'pdf.requested', headers: { authorization: '***' }, preview: '{"id":"x"}', at: new Date().toISOString() },
            }
          : {}),
      })
      const canIDeploy = async () => json(await c.get(`/api/can-i-deploy?service=${api}&version=2.0.0&environment=${env}`))
      return { c, api, worker, env, staging, hash, observation, canIDeploy }
    }

    it('shows clean traffic on the row without changing the answer, then blocks once a run sees mismatches in production', async () => {
      const { c, env, observation, canIDeploy, api } = await world()
      const first = await c.post('/api/observations', { runId: 'run-1', environment: env, observations: [observation(40, 0)] })
      expect(first.statusCode).toBe(200)
      expect(json(first)).toEqual({ recorded: 1 })
      const clean = await canIDeploy()
      expect(clean.deployable).toBe(true)
      expect(clean.rows[0].observed).toMatchObject({ messages: 40, mismatches: 0, effect: 'none' })

      await c.post('/api/observations', { runId: 'run-1', environment: env, observations: [observation(50, 3)] })
      // The same totals again (a retried batch) change nothing.
      await c.post('/api/observations', { runId: 'run-1', environment: env, observations: [observation(50, 3)] })
      const broken = await canIDeploy()
      expect(broken.deployable).toBe(false)
      expect(broken.rows[0].observed).toMatchObject({
        messages: 50,
        mismatches: 3,
        effect: 'block',
        rejected: [{ pointers: ['payload/field0'] }],
      })
      expect(broken.reasons.some((r: string) => r.includes('payload/field0') && r.includes(`${api} 2.0.0`))).toBe(true)

      const matrix = json(await c.get(`/api/matrix?service=${api}&version=2.0.0`))
      expect(matrix.rows[0].observed).toMatchObject({ mismatches: 3 })
    })

    it('only warns about mismatches seen in a non-production environment', async () => {
      const { c, staging, observation, canIDeploy } = await world()
      await c.post('/api/observations', { runId: 'run-s', environment: staging, observations: [observation(10, 2)] })
      const answer = await canIDeploy()
      expect(answer.deployable).toBe(true)
      expect(answer.reasons.some((r: string) => r.startsWith('warning: observed'))).toBe(true)
    })

    it('refuses observations naming what the broker does not know, with the code and the field', async () => {
      const { c, env, observation } = await world()
      const noEnv = await c.post('/api/observations', { runId: 'r', environment: unique('nowhere'), observations: [observation(1, 0)] })
      expect([noEnv.statusCode, json(noEnv).error.code]).toEqual([404, BrokerErrorCodes.ENVIRONMENT_NOT_FOUND])
      const otherHash = await c.post('/api/observations', {
        runId: 'r',
        environment: env,
        observations: [{ ...observation(1, 0), contentHash: 'f'.repeat(64) }],
      })
      expect(json(otherHash).error).toMatchObject({ code: BrokerErrorCodes.CONTENT_NOT_FOUND, path: 'body.observations[0].contentHash' })
      const noVersion = await c.post('/api/observations', {
        runId: 'r',
        environment: env,
        observations: [{ ...observation(1, 0), providerVersion: '9.9.9' }],
      })
      expect(json(noVersion).error).toMatchObject({
        code: BrokerErrorCodes.VERSION_NOT_FOUND,
        path: 'body.observations[0].providerVersion',
      })
      const negative = await c.post('/api/observations', { runId: 'r', environment: env, observations: [observation(-1, 0)] })
      expect(negative.statusCode).toBe(400)
      expect(json(negative).error.code).toBe(BrokerErrorCodes.VALIDATION)
      const empty = await c.post('/api/observations', { runId: 'r', environment: env, observations: [] })
      expect(empty.statusCode).toBe(400)
    })
  })
}
