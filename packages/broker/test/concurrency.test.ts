// Two broker processes on one PostgreSQL, started together (migrations must not race) and hit with 50
// concurrent publishes over real HTTP: the store must end consistent, with 409s exactly where they are due.
import { contractHash } from '@treaty/core'
import type { PublishRequest } from '@treaty/core/wire'
import { type BrokerProcess, ensureBrokerBuilt, spawnBroker } from '@treaty/test-support'
import { startPostgres, type ThrowawayPostgres } from '@treaty/test-support/postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordDeployment } from '../src/store/environments.js'
import { MIGRATIONS } from '../src/store/schema.js'
import { openStore, type Store } from '../src/store/store.js'
import { contractDoc } from './support/fixtures.js'
import { type Receiver, startReceiver } from './support/receiver.js'

let server: ThrowawayPostgres
let databaseUrl: string
let brokers: BrokerProcess[] = []
let store: Store
let receiver: Receiver

beforeAll(async () => {
  ensureBrokerBuilt()
  receiver = await startReceiver()
  server = await startPostgres()
  databaseUrl = await server.createDatabase(`treaty_concurrency_${process.pid}`)
  brokers = await Promise.all([spawnBroker({ DATABASE_URL: databaseUrl }), spawnBroker({ DATABASE_URL: databaseUrl })])
  store = await openStore({ databaseUrl })
})

afterAll(async () => {
  await store?.close()
  await Promise.all(brokers.map((b) => b.kill('SIGTERM')))
  await server?.stop()
  await receiver?.close()
})

async function post(url: string, body: PublishRequest): Promise<{ status: number; body: { contracts?: { contentHash: string }[] } }> {
  const res = await fetch(`${url}/api/contracts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as never }
}

describe('two brokers on one PostgreSQL', () => {
  it('started together, migrate exactly once', async () => {
    const rows = await store.db.query<{ version: number }>('SELECT version FROM treaty_migrations ORDER BY version')
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version))
    for (const b of brokers) expect((await fetch(`${b.url}/readyz`)).status).toBe(200)
  })

  it('50 concurrent publishes, same and different content, end consistent', async () => {
    const requests: { group: 'same' | 'conflict' | 'distinct'; body: PublishRequest }[] = []
    // 20 identical publishes of one consumer version: one creates, 19 find it unchanged.
    for (let i = 0; i < 20; i++) {
      requests.push({
        group: 'same',
        body: { consumer: 'worker-same', version: '1.0.0', branch: 'main', contracts: [contractDoc('worker-same', 'api-a')] },
      })
    }
    // 10 different contents for one consumer version and provider: one wins, nine are 409.
    for (let i = 0; i < 10; i++) {
      requests.push({
        group: 'conflict',
        body: { consumer: 'worker-conflict', version: '1.0.0', contracts: [contractDoc('worker-conflict', 'api-a', { variant: i })] },
      })
    }
    // 20 distinct versions of one consumer, each with contracts for two shared providers created on first sight.
    for (let i = 0; i < 20; i++) {
      requests.push({
        group: 'distinct',
        body: {
          consumer: 'worker-many',
          version: `1.${i}.0`,
          branch: i % 2 ? 'main' : 'feat/x',
          contracts: [contractDoc('worker-many', 'api-b', { variant: i % 3 }), contractDoc('worker-many', 'api-c', { variant: i % 2 })],
        },
      })
    }
    expect(requests).toHaveLength(50)
    // Both brokers deliver webhooks from the one outbox: every event must arrive, each delivery attempted once.
    const created = await fetch(`${brokers[0]!.url}/api/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['contract_published'] }),
    })
    expect(created.status).toBe(201)
    // Interleave the groups and alternate the brokers, then fire everything at once.
    const shuffled = requests
      .map((r, i) => ({ r, k: (i * 7919) % 50 }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.r)
    const results = await Promise.all(shuffled.map((r, i) => post(brokers[i % 2]!.url, r.body).then((res) => ({ ...r, ...res }))))

    const statuses = (group: string) =>
      results
        .filter((r) => r.group === group)
        .map((r) => r.status)
        .sort((a, b) => a - b)
    expect(statuses('same')).toEqual([...Array(19).fill(200), 201])
    expect(statuses('conflict')).toEqual([201, ...Array(9).fill(409)])
    expect(statuses('distinct')).toEqual(Array(20).fill(201))

    // The store holds exactly what the answers said, once.
    const count = async (sql: string, params: unknown[] = []) => (await store.db.query<{ n: number }>(sql, params))[0]!.n
    expect(await count("SELECT count(*) AS n FROM services WHERE name LIKE 'worker-%' OR name LIKE 'api-%'")).toBe(6)
    expect(
      await count("SELECT count(*) AS n FROM service_versions v JOIN services s ON s.id = v.service_id WHERE s.name = 'worker-many'"),
    ).toBe(20)
    expect(await count('SELECT count(*) AS n FROM publications')).toBe(1 + 1 + 40)
    expect(
      await count(
        'SELECT count(*) AS n FROM (SELECT consumer_version_id, provider_id FROM publications GROUP BY 1, 2 HAVING count(*) > 1) d',
      ),
    ).toBe(0)
    const expectedContents = new Set([
      contractHash(contractDoc('worker-same', 'api-a')),
      results.find((r) => r.group === 'conflict' && r.status === 201)!.body.contracts![0]!.contentHash,
      ...[0, 1, 2].map((v) => contractHash(contractDoc('worker-many', 'api-b', { variant: v }))),
      ...[0, 1].map((v) => contractHash(contractDoc('worker-many', 'api-c', { variant: v }))),
    ])
    const stored = await store.db.query<{ hash: string }>('SELECT hash FROM contents')
    expect(new Set(stored.map((s) => s.hash))).toEqual(expectedContents)
    expect(stored).toHaveLength(expectedContents.size)

    // One contract_published event per publish that changed something (22), delivered once each.
    await receiver.waitFor((r) => new Set(r.map((x) => JSON.parse(x.body).id)).size === 22)
    await new Promise((r) => setTimeout(r, 1500))
    expect(receiver.received).toHaveLength(22)
    const deliveries = await store.db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM webhook_deliveries')
    expect(deliveries).toHaveLength(22)
    expect(deliveries.every((d) => d.status === 'succeeded' && d.attempts === 1)).toBe(true)

    // The conflict's winner is what both brokers now serve.
    const winner = results.find((r) => r.group === 'conflict' && r.status === 201)!.body.contracts![0]!.contentHash
    for (const b of brokers) {
      const res = await fetch(`${b.url}/api/contracts/worker-conflict/api-a?version=1.0.0`)
      expect(((await res.json()) as { contentHash: string }).contentHash).toBe(winner)
    }
  })

  it('an overwrite racing a deployment of that version waits for it, then refuses: no version runs a contract it was not deployed with', async () => {
    const [consumer, env] = ['worker-deploy-race', 'deploy-race']
    expect((await post(brokers[0]!.url, { consumer, version: '1.0.0', contracts: [contractDoc(consumer, 'api-a')] })).status).toBe(201)
    await fetch(`${brokers[0]!.url}/api/environments/${env}`, {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    })
    // A deployment recorded but not yet committed, as another broker instance would hold it mid-request.
    let commit!: () => void
    const held = new Promise<void>((resolve) => {
      commit = resolve
    })
    let recorded!: () => void
    const inserted = new Promise<void>((resolve) => {
      recorded = resolve
    })
    const deploying = store.db.transaction(async (tx) => {
      await recordDeployment(tx, env, consumer, '1.0.0', new Date())
      recorded()
      await held
    })
    await inserted
    const overwrite = post(brokers[1]!.url, {
      consumer,
      version: '1.0.0',
      overwrite: true,
      contracts: [contractDoc(consumer, 'api-a', { variant: 1 })],
    })
    const early = await Promise.race([overwrite.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 500))])
    commit()
    await deploying
    const answer = await overwrite
    expect(early).toBe('waiting')
    expect(answer.status).toBe(409)
    const stored = await fetch(`${brokers[0]!.url}/api/contracts/${consumer}/api-a?version=1.0.0`)
    expect(((await stored.json()) as { contentHash: string }).contentHash).toBe(contractHash(contractDoc(consumer, 'api-a')))
  })

  it('environments differing only in case, created at once on both brokers: exactly one of each pair exists', async () => {
    const put = (url: string, name: string) =>
      fetch(`${url}/api/environments/${name}`, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } })
    const pairs = Array.from({ length: 200 }, (_, k) => [`Race${k}`, `race${k}`] as const)
    const answers = await Promise.all(pairs.flatMap(([a, b]) => [put(brokers[0]!.url, a), put(brokers[1]!.url, b)]))
    const rows = await store.db.query<{ name: string }>("SELECT name FROM environments WHERE lower(name) LIKE 'race%'")
    // A twin would let can-i-deploy ask the empty one and say yes.
    expect(rows).toHaveLength(pairs.length)
    for (let k = 0; k < pairs.length; k++) {
      expect([answers[2 * k]!.status, answers[2 * k + 1]!.status].sort()).toEqual([201, 400])
    }
  })
})
