/**
 * Proof 4: the contract pipeline. It passes for the services as they are (both deployed to production),
 * and when a producer renames a field, verification fails and can-i-deploy refuses with the exact reason.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE_DIR, type LocalBroker, runPipeline, startLocalBroker } from '../src/pipeline/pipeline.js'

describe('contract pipeline against a real broker', () => {
  let broker: LocalBroker
  beforeAll(async () => {
    broker = await startLocalBroker()
  }, 120_000)
  afterAll(async () => {
    await broker?.stop()
  })

  it('passes and deploys both services; then refuses a producer that renamed a field', { timeout: 300_000 }, async () => {
    const good = await runPipeline({ brokerUrl: broker.url, version: '1.0.0' })
    const summary = good.steps.map((s) => `${s.code === 0 ? 'ok' : 'FAILED'} ${s.name}\n${s.code === 0 ? '' : s.output}`).join('\n')
    expect(good.ok, summary).toBe(true)
    expect(good.steps.map((s) => s.name)).toEqual([
      'consumer tests (write contracts)',
      'treaty publish',
      'treaty verify pdf-worker',
      'treaty verify pdf-api',
      'treaty verify --static pdf-worker',
      'treaty can-i-deploy pdf-worker',
      'treaty can-i-deploy pdf-api',
      'treaty record-deployment pdf-worker',
      'treaty record-deployment pdf-api',
    ])

    // The breaking change: pdf-api's message calls `title` `name` from now on.
    const dir = await mkdtemp(join(tmpdir(), 'pdf-broken-producer-'))
    const broken = join(dir, 'broken.producers.ts')
    await writeFile(
      broken,
      `import { publishedRequest, states } from ${JSON.stringify(join(EXAMPLE_DIR, 'src/contract/pdf-api.producers.ts'))}
export { states }
export const producers = {
  'pdf.requested': async () => {
    const message = await publishedRequest('Invoice 42', 'c-broken')
    const { title, ...rest } = message.payload
    return { ...message, payload: { ...rest, name: title } }
  },
}
`,
    )
    const refused = await runPipeline({ brokerUrl: broker.url, version: '2.0.0', producers: { 'pdf-api': broken }, consumerTests: false })
    expect(refused.ok).toBe(false)
    const step = (name: string) => refused.steps.find((s) => s.name === name)!
    expect(step('treaty verify pdf-api').code).toBe(1)
    expect(step('treaty verify pdf-api').output).toContain('missing   required property `title`')
    expect(step('treaty can-i-deploy pdf-worker').code).toBe(0)
    const canApi = step('treaty can-i-deploy pdf-api')
    expect(canApi.code).toBe(1)
    expect(canApi.output).toContain(
      'pdf-worker 1.0.0 (in production) expects `pdf.requested`; pdf-api 2.0.0 failed to verify that contract',
    )
    expect(refused.steps.some((s) => s.name.startsWith('treaty record-deployment'))).toBe(false)
  })
})
