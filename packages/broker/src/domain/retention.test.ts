import type { ChannelRetention } from '@treaty/core/client'
import { describe, expect, it } from 'vitest'
import { verified } from '../../test/support/domain-fixtures.js'
import { canIDeploy, staticCandidates } from './can-i-deploy.js'
import {
  type DeploymentSpan,
  historyHorizon,
  type RetentionInput,
  retainedPairs,
  retentionOf,
  subjectMatches,
  timeAgo,
  windowOf,
} from './retention.js'
import type { ContractFact, ExpectationFact, ProviderSchemaProducer } from './types.js'

const DAY = 86_400_000
const NOW = new Date('2026-03-10T12:00:00Z')
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY)

const retention = (over: Partial<ChannelRetention> & Pick<ChannelRetention, 'channel'>): ChannelRetention => ({
  policy: 'limits',
  maxAgeMs: 7 * DAY,
  maxMessages: null,
  deadLetter: null,
  stream: 'PDF_REQUESTS',
  source: 'jetstream',
  ...over,
})

const span = (service: string, version: string, deployed: number, undeployed: number | null): DeploymentSpan => ({
  service,
  version,
  deployedAt: daysAgo(deployed),
  undeployedAt: undeployed === null ? null : daysAgo(undeployed),
})

const worker16: ContractFact = {
  consumer: 'pdf-worker',
  consumerVersion: '1.6.0',
  provider: 'pdf-api',
  contentHash: 'h16',
  channels: ['pdf.requested'],
}

const asConsumer = (over: Partial<RetentionInput> = {}): RetentionInput => ({
  service: 'pdf-worker',
  version: '1.6.0',
  environment: 'production',
  now: NOW,
  consumes: [worker16],
  consumedByPast: [],
  history: [span('pdf-api', '2.3.0', 30, 3), span('pdf-api', '2.4.0', 3, null)],
  retention: [retention({ channel: 'pdf.requested' })],
  ...over,
})

describe('subjectMatches and retentionOf: which retention entry covers a channel', () => {
  it('matches NATS wildcards, and channel parameters as one token', () => {
    expect(subjectMatches('pdf.>', 'pdf.requested')).toBe(true)
    expect(subjectMatches('pdf.>', 'pdf')).toBe(false)
    expect(subjectMatches('tenant.*.events', 'tenant.{id}.events')).toBe(true)
    expect(subjectMatches('tenant.*.events', 'tenant.a.b.events')).toBe(false)
    expect(subjectMatches('pdf.requested', 'pdf.generated')).toBe(false)
  })

  it('prefers the exact channel, then the most specific pattern', () => {
    const all = [retention({ channel: 'pdf.>', maxAgeMs: DAY }), retention({ channel: 'pdf.*', maxAgeMs: 2 * DAY })]
    expect(retentionOf('pdf.requested', all)?.maxAgeMs).toBe(2 * DAY)
    expect(retentionOf('pdf.requested', [...all, retention({ channel: 'pdf.requested', maxAgeMs: 3 * DAY })])?.maxAgeMs).toBe(3 * DAY)
    expect(retentionOf('jobs.done', all)).toBeUndefined()
  })
})

describe('windowOf: how long a channel keeps messages', () => {
  it('is the max age of a limits stream', () => {
    expect(windowOf('pdf.requested', [retention({ channel: 'pdf.requested' })])).toEqual({
      channel: 'pdf.requested',
      retainedIn: 'pdf.requested',
      stream: 'PDF_REQUESTS',
      maxAgeMs: 7 * DAY,
    })
  })

  it('is none for a work queue, an interest stream, no retention, or an unknown channel: today’s rule', () => {
    for (const policy of ['workqueue', 'interest', 'none'] as const) {
      expect(windowOf('pdf.requested', [retention({ channel: 'pdf.requested', policy })])).toBeUndefined()
    }
    expect(windowOf('pdf.requested', [])).toBeUndefined()
  })

  it('comes from the dead-letter channel when the channel itself is a work queue', () => {
    const all = [
      retention({ channel: 'pdf.requested', policy: 'workqueue', deadLetter: 'pdf.dead' }),
      retention({ channel: 'pdf.dead', stream: 'PDF_DEAD', maxAgeMs: 14 * DAY }),
    ]
    expect(windowOf('pdf.requested', all)).toMatchObject({ retainedIn: 'pdf.dead', stream: 'PDF_DEAD', maxAgeMs: 14 * DAY })
  })

  it('is unbounded for a limits stream without max age', () => {
    expect(windowOf('pdf.requested', [retention({ channel: 'pdf.requested', maxAgeMs: null })])?.maxAgeMs).toBeNull()
  })
})

describe('retainedPairs as a consumer: older provider versions whose messages can still be read', () => {
  it('adds a provider version undeployed within the window, never the one deployed now', () => {
    const pairs = retainedPairs(asConsumer())
    expect(pairs).toHaveLength(1)
    expect(pairs[0]).toMatchObject({ role: 'consumer', providerVersion: '2.3.0', olderVersion: '2.3.0', until: daysAgo(3) })
  })

  it('leaves out a provider version undeployed longer ago than the max age', () => {
    expect(retainedPairs(asConsumer({ history: [span('pdf-api', '2.2.0', 60, 8), span('pdf-api', '2.4.0', 8, null)] }))).toEqual([])
  })

  it('keeps today’s rule on a work-queue stream', () => {
    expect(retainedPairs(asConsumer({ retention: [retention({ channel: 'pdf.requested', policy: 'workqueue' })] }))).toEqual([])
  })

  it('keeps today’s rule on a channel with no retention known', () => {
    expect(retainedPairs(asConsumer({ retention: [] }))).toEqual([])
  })

  it('counts every past version when the stream keeps messages with no age limit', () => {
    const history = [span('pdf-api', '2.1.0', 400, 300), span('pdf-api', '2.3.0', 30, 3), span('pdf-api', '2.4.0', 3, null)]
    const pairs = retainedPairs(asConsumer({ history, retention: [retention({ channel: 'pdf.requested', maxAgeMs: null })] }))
    expect(pairs.map((p) => p.providerVersion)).toEqual(['2.3.0', '2.1.0'])
  })

  it('ignores providers of other contracts and a version that is deployed again now', () => {
    const history = [span('pdf-api', '2.4.0', 10, 5), span('pdf-api', '2.4.0', 2, null), span('billing', '1.0.0', 10, 1)]
    expect(retainedPairs(asConsumer({ history }))).toEqual([])
  })
})

describe('retainedPairs as a provider: consumer versions a rollback would bring back to replay its messages', () => {
  const asProvider = (over: Partial<RetentionInput> = {}): RetentionInput => ({
    ...asConsumer(),
    service: 'pdf-api',
    version: '2.5.0',
    consumes: [],
    consumedByPast: [{ ...worker16, consumerVersion: '1.5.0', contentHash: 'h15' }],
    history: [span('pdf-worker', '1.5.0', 20, 2), span('pdf-worker', '1.6.0', 2, null)],
    ...over,
  })

  it('adds a consumer version undeployed within the window of a channel it reads', () => {
    expect(retainedPairs(asProvider())).toMatchObject([{ role: 'provider', providerVersion: '2.5.0', olderVersion: '1.5.0' }])
  })

  it('keeps today’s rule on a work queue, and past the window', () => {
    expect(retainedPairs(asProvider({ retention: [retention({ channel: 'pdf.requested', policy: 'workqueue' })] }))).toEqual([])
    expect(retainedPairs(asProvider({ history: [span('pdf-worker', '1.5.0', 20, 9), span('pdf-worker', '1.6.0', 9, null)] }))).toEqual([])
  })
})

describe('historyHorizon and timeAgo', () => {
  it('loads no history when nothing keeps messages, all of it when something keeps them forever', () => {
    expect(historyHorizon([retention({ channel: 'a', policy: 'workqueue' })], NOW)).toBeNull()
    expect(historyHorizon([retention({ channel: 'a' }), retention({ channel: 'b', maxAgeMs: 2 * DAY })], NOW)).toEqual(daysAgo(7))
    expect(historyHorizon([retention({ channel: 'a', maxAgeMs: null })], NOW)!.getTime()).toBeLessThan(0)
  })

  it('says how long ago in the largest whole unit', () => {
    expect(timeAgo(3 * DAY + 5_000_000)).toBe('3 days ago')
    expect(timeAgo(3_600_000)).toBe('1 hour ago')
    expect(timeAgo(10_000)).toBe('less than a minute ago')
  })
})

const expectation = (required: string[]): ExpectationFact => ({
  description: 'a PDF generation request',
  channel: 'pdf.requested',
  payload: {
    schema: { type: 'object', required, properties: { jobId: { type: 'string' }, title: { type: 'string' } } },
    example: { jobId: 'j-1', title: 't' },
  },
})

const producer = (required: string[]): ProviderSchemaProducer => ({
  key: 'pdf.requested',
  payload: {
    type: 'object',
    required,
    properties: { jobId: { type: 'string' }, title: { type: 'string' } },
    additionalProperties: false,
  },
  headers: { type: 'object' },
})

describe('canIDeploy with retained pairs', () => {
  const base = () => {
    const input = asConsumer()
    return {
      service: 'pdf-worker',
      version: '1.6.0',
      environment: 'production',
      consumes: [worker16],
      consumedBy: [],
      deployed: [{ service: 'pdf-api', version: '2.4.0' }],
      verifications: [verified({ contentHash: 'h16', providerVersion: '2.4.0' })],
      retained: retainedPairs(input),
      now: NOW,
    }
  }

  it('refuses a consumer that cannot read what an old provider version left in the stream, naming version and window', () => {
    const input = {
      ...base(),
      providerSchemas: [{ provider: 'pdf-api', providerVersion: '2.3.0', producers: [producer(['jobId'])] }],
      expectations: new Map([['h16', [expectation(['jobId', 'title'])]]]),
    }
    const result = canIDeploy(input)
    expect(result.deployable).toBe(false)
    const old = result.rows.find((r) => r.providerVersion === '2.3.0')
    expect(old).toMatchObject({
      status: 'failed',
      mode: 'static',
      retention: { olderVersion: '2.3.0', stream: 'PDF_REQUESTS', maxAgeMs: 7 * DAY },
    })
    expect(old?.differences?.map((d) => `${d.pointer} ${d.kind}`)).toEqual(['/title REQUIRED_PROPERTY_ADDED'])
    expect(result.reasons).toContain(
      'pdf-api 2.3.0 was deployed in production until 3 days ago; its messages can still be in PDF_REQUESTS (pdf.requested, max age 7d): payload/title REQUIRED_PROPERTY_ADDED (pdf-worker 1.6.0 and pdf-api 2.3.0, statically)',
    )
  })

  it('says yes when the old provider version verified the contract by replay', () => {
    const input = { ...base(), verifications: [...base().verifications, verified({ contentHash: 'h16', providerVersion: '2.3.0' })] }
    const result = canIDeploy(input)
    expect(result.deployable).toBe(true)
    expect(result.rows.find((r) => r.providerVersion === '2.3.0')).toMatchObject({ status: 'verified', mode: 'replay' })
  })

  it('counts an old provider version without evidence as unknown, and asks the store for its schema', () => {
    const input = base()
    expect(canIDeploy(input).deployable).toBe(false)
    expect(staticCandidates(input).providers).toEqual([{ provider: 'pdf-api', version: '2.3.0' }])
  })

  it('changes nothing without retained pairs: today’s rule', () => {
    expect(canIDeploy({ ...base(), retained: [] })).toMatchObject({ deployable: true, rows: [{ providerVersion: '2.4.0' }] })
  })
})
