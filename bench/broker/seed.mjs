// Seeds a broker store the way real pipelines would have filled it: every service publishes every version
// (contracts with 5 providers), every provider version verifies what its consumers currently publish,
// and two environments have deployments. Goes through the Store's own write paths (the same transactions
// the HTTP API runs), not raw SQL.

/** Service `i`'s name; zero-padded so names sort like numbers. */
export const serviceName = (i) => `svc-${String(i).padStart(3, '0')}`

/** The providers service `i` consumes from: the next `contracts` services, wrapping around. */
export function providersOf(i, services, contracts) {
  return Array.from({ length: contracts }, (_, k) => (i + 1 + k) % services)
}

/** A contract of 3 expectations; `variant` changes its content (it changes every 10 versions). */
function contract(consumer, provider, variant) {
  const channels = [`${provider}.requested`, `${provider}.updated`, `${provider}.deleted`]
  return {
    treaty: '1',
    consumer,
    provider,
    expectations: channels.map((channel, n) => ({
      description: `${consumer} handles ${channel}`,
      channel,
      providerStates: [{ name: 'a document exists', params: { id: 'doc-1' } }],
      payload: {
        schema: {
          type: 'object',
          required: ['id', 'tenant', `v${variant}`],
          properties: {
            id: { type: 'string', format: 'uuid' },
            tenant: { type: 'string', minLength: 1 },
            pages: { type: 'integer', minimum: 1 },
            [`v${variant}`]: { type: 'string' },
            [`f${n}`]: { type: 'boolean' },
          },
        },
        example: { id: '7f0c1c3e-59f8-4a4b-9d2c-2f3b6a1d8e11', tenant: 'acme', pages: 3, [`v${variant}`]: 'x' },
      },
    })),
  }
}

async function inParallel(items, limit, fn) {
  let next = 0
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]
      await fn(item)
    }
  })
  await Promise.all(workers)
}

/**
 * Fills `store` with `services` × `versions` × `contracts`. `parallelism` > 1 only helps PostgreSQL (PGlite
 * runs one transaction at a time). Reports progress through `log`.
 */
export async function seed(store, { services, versions, contracts, parallelism, log }) {
  await store.putEnvironment('production', true)
  await store.putEnvironment('staging', false)
  const all = Array.from({ length: services }, (_, i) => i)
  const started = Date.now()
  for (let v = 1; v <= versions; v++) {
    const version = `1.${v}.0`
    const variant = Math.floor((v - 1) / 10)
    // hashes[consumer][provider] for this version, for the verifications below.
    const hashes = new Map()
    await inParallel(all, parallelism, async (i) => {
      const consumer = serviceName(i)
      const docs = providersOf(i, services, contracts).map((p) => contract(consumer, serviceName(p), variant))
      const result = await store.publish({ consumer, version, branch: 'main', contracts: docs })
      hashes.set(i, result.contracts)
    })
    // Each provider version verifies the contents its consumers publish now; a few fail.
    const consumersOf = new Map(all.map((p) => [p, []]))
    for (const i of all) for (const p of providersOf(i, services, contracts)) consumersOf.get(p).push(i)
    await inParallel(all, parallelism, async (p) => {
      const provider = serviceName(p)
      const results = consumersOf.get(p).map((i) => ({
        contentHash: hashes.get(i).find((c) => c.provider === provider).contentHash,
        success: (p + i + v) % 23 !== 0,
        expectations: [],
      }))
      if (results.length > 0) await store.recordVerification({ provider, providerVersion: version, branch: 'main', results })
    })
    if (v === versions - 2 || (versions < 3 && v === versions)) {
      await inParallel(all, parallelism, (i) => store.recordDeployment('production', serviceName(i), version))
    }
    if (v === versions) await inParallel(all, parallelism, (i) => store.recordDeployment('staging', serviceName(i), version))
    if (v % 10 === 0 || v === versions) log(`  seeded ${v}/${versions} versions (${((Date.now() - started) / 1000).toFixed(0)} s)`)
  }
  return {
    publishes: services * versions,
    publications: services * versions * contracts,
    verifications: services * versions * contracts,
    seconds: (Date.now() - started) / 1000,
  }
}
