/**
 * `treaty impact` and `treaty channel set|sync`, as the built binary against a real broker process and a
 * real nats-server with JetStream.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jetstreamManager, RetentionPolicy } from '@nats-io/jetstream'
import { connect, nanos } from '@nats-io/transport-node'
import type { Contract } from '@treaty/core'
import { BrokerClient } from '@treaty/core/client'
import { type Broker, type NatsServer, startBroker, startNatsServer } from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { treaty } from './treaty.js'

const DAY = 86_400_000

let broker: Broker
let nats: NatsServer
let dir: string

function contract(consumer: string, fields: string[]): Contract {
  return {
    treaty: '1',
    consumer,
    provider: 'pdf-api',
    expectations: [
      {
        description: `what ${consumer} reads`,
        channel: 'pdf.generated',
        providerStates: [],
        payload: {
          schema: {
            type: 'object',
            required: fields,
            properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' }])),
          },
          example: Object.fromEntries(fields.map((f) => [f, 'x'])),
        },
      },
    ],
  }
}

/** A provider schema sending exactly these string fields on pdf.generated. */
function providerSchema(fields: string[]) {
  return {
    producers: [
      {
        key: 'pdf.generated',
        payload: {
          type: 'object',
          required: fields,
          properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' }])),
          additionalProperties: false,
        },
        headers: { type: 'object' },
      },
    ],
  }
}

const run = (...args: string[]) => treaty([...args, '--broker-url', broker.url], { cwd: dir })

beforeAll(async () => {
  // One after the other, each assigned as soon as it runs, so afterAll stops whatever did start.
  nats = await startNatsServer()
  broker = await startBroker({ via: 'cli' })
  dir = await mkdtemp(join(tmpdir(), 'treaty-impact-'))
  const api = new BrokerClient({ url: broker.url })
  await api.putEnvironment('production', { production: true })
  await api.publishContracts({
    consumer: 'pdf-worker',
    version: '1.4.0',
    branch: 'main',
    contracts: [contract('pdf-worker', ['jobId', 'url'])],
  })
  await api.publishContracts({
    consumer: 'pdf-archiver',
    version: '3.0.0',
    branch: 'main',
    contracts: [contract('pdf-archiver', ['jobId'])],
  })
  await api.recordDeployment('production', { service: 'pdf-worker', version: '1.4.0' })
  await api.publishProviderSchema('pdf-api', { providerVersion: '2.0.0', ...providerSchema(['jobId']) })
  await writeFile(join(dir, 'drops-url.json'), JSON.stringify(providerSchema(['jobId'])))
  await writeFile(join(dir, 'adds-size.json'), JSON.stringify(providerSchema(['jobId', 'url', 'size'])))
  await writeFile(
    join(dir, 'producers.ts'),
    'export interface PdfGenerated { jobId: string }\n' +
      "export const producers = { 'pdf.generated': (): { payload: PdfGenerated } => ({ payload: { jobId: 'j-1' } }) }\n",
  )
  // For replay: the changed producers, run as treaty verify runs them.
  await writeFile(
    join(dir, 'drops-url.mjs'),
    "export const producers = { 'pdf.generated': () => ({ payload: { jobId: 'j-1', link: 'https://x/1.pdf' } }) }\n",
  )
  await writeFile(
    join(dir, 'adds-size.mjs'),
    "export const producers = { 'pdf.generated': () => ({ payload: { jobId: 'j-1', url: 'https://x/1.pdf', size: 3 } }) }\n",
  )
}, 240_000)

afterAll(async () => {
  await Promise.all([broker?.stop(), nats?.stop()])
})

describe('treaty impact', () => {
  it('names the deployed consumer version a change breaks, per field, and exits 1', async () => {
    const res = await run('impact', '--service', 'pdf-api', '--schema', 'drops-url.json')
    expect(res.code).toBe(1)
    expect(res.stdout).toContain('✗ this change to pdf-api breaks 1 deployed consumer version (1 finding)')
    expect(res.stdout).toContain(
      'removes or makes optional payload/url on pdf.generated: breaks pdf-worker 1.4.0 (production); pdf-archiver never reads it',
    )
  })

  it('prints a Markdown table for a pull request, and JSON for machines', async () => {
    const md = await run('impact', '--service', 'pdf-api', '--schema', 'drops-url.json', '--markdown')
    expect(md.code).toBe(1)
    expect(md.stdout).toContain('| Field | Channel | Change | Breaks | Never reads it |')
    expect(md.stdout).toContain(
      '| `payload/url` | `pdf.generated` | removes or makes optional | pdf-worker 1.4.0 (production) | pdf-archiver |',
    )
    const json = await run('impact', '--service', 'pdf-api', '--schema', 'drops-url.json', '--json')
    expect(JSON.parse(json.stdout)).toMatchObject({
      breaksDeployed: true,
      findings: [{ pointer: '/url', kind: 'REQUIRED_PROPERTY_ADDED' }],
    })
  })

  it('reads the change from a provider version’s published schema, for the environments asked', async () => {
    const res = await run('impact', '--service', 'pdf-api', '--app-version', '2.0.0', '--environment', 'production', '--json')
    expect(res.code).toBe(1)
    expect(JSON.parse(res.stdout).findings[0].breaks).toEqual([
      { consumer: 'pdf-worker', version: '1.4.0', environments: ['production'], mainBranch: true },
    ])
  })

  it('reads the change from the producers’ TypeScript types with --static: one finding for the dropped field', async () => {
    const res = await run('impact', '--service', 'pdf-api', '--producers', 'producers.ts', '--static')
    expect(res.code, res.stderr).toBe(1)
    expect(res.stdout).toContain('breaks 1 deployed consumer version (1 finding)')
    expect(res.stdout).toContain('payload/url on pdf.generated: breaks pdf-worker 1.4.0 (production); pdf-archiver never reads it')
  })

  it('exits 0 for a change every consumer can read', async () => {
    const res = await run('impact', '--service', 'pdf-api', '--schema', 'adds-size.json')
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('✓ no consumer of pdf-api reads anything this change breaks (2 consumer versions checked)')
  })

  it('by replay: runs the changed producers against every consumer contract and names the deployed version it breaks (exit 1)', async () => {
    const res = await run('impact', '--service', 'pdf-api', '--producers', 'drops-url.mjs')
    expect(res.code, res.stderr).toBe(1)
    expect(res.stdout).toContain('✗ this change to pdf-api breaks 1 deployed consumer version (1 finding)')
    expect(res.stdout).toContain(
      'removes or makes optional payload/url on pdf.generated: breaks pdf-worker 1.4.0 (production); pdf-archiver never reads it',
    )
    expect(res.stdout).toContain('    payload/url: missing required property `url`')
    const md = await run('impact', '--service', 'pdf-api', '--producers', 'drops-url.mjs', '--markdown')
    expect(md.code).toBe(1)
    expect(md.stdout).toContain(
      '| `payload/url` | `pdf.generated` | removes or makes optional | pdf-worker 1.4.0 (production) | pdf-archiver |',
    )
    const json = await run('impact', '--service', 'pdf-api', '--producers', 'drops-url.mjs', '--json', '--environment', 'production')
    expect(JSON.parse(json.stdout)).toMatchObject({
      breaksDeployed: true,
      findings: [{ pointer: '/url', kind: 'REQUIRED_PROPERTY_ADDED', breaks: [{ consumer: 'pdf-worker', version: '1.4.0' }] }],
    })
  })

  it('by replay: exits 0 for a producer change every consumer can read', async () => {
    const res = await run('impact', '--service', 'pdf-api', '--producers', 'adds-size.mjs')
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toContain('✓ no consumer of pdf-api reads anything this change breaks (2 consumer versions checked)')
  })

  it('refuses to guess what the provider would send (exit 2, naming the options)', async () => {
    const none = await run('impact', '--service', 'pdf-api')
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('--schema, --app-version and --producers')
    const missing = await run('impact', '--service', 'pdf-api', '--producers', 'nowhere.mjs')
    expect(missing.code).toBe(2)
  })
})

describe('treaty channel', () => {
  it('declares retention, merges later changes into it, and rejects a bad duration before asking the broker', async () => {
    const set = await run('channel', 'set', 'pdf.requested', '--max-age', '7d', '--stream', 'PDF_REQUESTS')
    expect(set.code).toBe(0)
    expect(set.stdout).toContain('pdf.requested (PDF_REQUESTS): kept 7d')
    const dead = await run('channel', 'set', 'pdf.requested', '--dead-letter', 'pdf.dead-letter', '--json')
    expect(JSON.parse(dead.stdout)).toMatchObject({ maxAgeMs: 7 * DAY, deadLetter: 'pdf.dead-letter', source: 'declared' })
    const bad = await run('channel', 'set', 'pdf.requested', '--max-age', 'soon')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--max-age soon is not a duration')
    const policy = await run('channel', 'set', 'x', '--policy', 'forever')
    expect(policy.code).toBe(2)
    expect(policy.stderr).toContain('--policy forever is not a retention policy')
  })

  it('syncs every JetStream stream config into the broker, keeping a declared dead-letter channel', async () => {
    const nc = await connect({ servers: nats.url })
    try {
      const jsm = await jetstreamManager(nc)
      await jsm.streams.add({ name: 'PDF_REQUESTS', subjects: ['pdf.requested'], retention: RetentionPolicy.Workqueue })
      await jsm.streams.add({
        name: 'PDF_EVENTS',
        subjects: ['pdf.generated', 'pdf.dead-letter'],
        retention: RetentionPolicy.Limits,
        max_age: nanos(7 * DAY),
        max_msgs: 100_000,
      })
    } finally {
      await nc.close()
    }
    const res = await run('channel', 'sync', '--nats', nats.url, '--json')
    expect(res.code).toBe(0)
    const byChannel = Object.fromEntries(JSON.parse(res.stdout).channels.map((c: { channel: string }) => [c.channel, c]))
    expect(byChannel['pdf.requested']).toMatchObject({
      policy: 'workqueue',
      stream: 'PDF_REQUESTS',
      deadLetter: 'pdf.dead-letter',
      source: 'jetstream',
    })
    expect(byChannel['pdf.generated']).toMatchObject({ policy: 'limits', maxAgeMs: 7 * DAY, maxMessages: 100_000, stream: 'PDF_EVENTS' })
    expect(byChannel['pdf.dead-letter']).toMatchObject({ policy: 'limits', maxAgeMs: 7 * DAY })
    const human = await run('channel', 'sync', '--nats', nats.url)
    expect(human.stdout).toContain('pdf.generated (PDF_EVENTS): kept 7d')
    expect(human.stdout).toContain('✓ 3 channels synced from JetStream')
  })

  it('says which NATS it could not reach (exit 2)', async () => {
    const res = await run('channel', 'sync', '--nats', 'nats://127.0.0.1:1')
    expect(res.code).toBe(2)
    expect(res.stderr).toContain('cannot connect to NATS at nats://127.0.0.1:1')
  })
})
