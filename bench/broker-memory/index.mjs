// Broker memory under distinct schemas: `npm run bench:broker-memory` (builds first).
//
// Starts a broker process (PostgreSQL, throwaway; the store's own memory is not the broker's) and publishes
// --schemas distinct payload schemas (default 100,000), --per-request at a time (default 1000, the broker's
// limit), each in its own consumer version. After every tenth of the total it reads the broker's RSS from
// /proc/<pid>/status. The baseline is the RSS after the second tenth (20,000 by default), measured in the same
// run: by then the validator cache is full (5000 validators, up to two ajv generations alive), so "flat" means
// the final/baseline ratio stays near 1 while the schema count grows fivefold. Repeated --runs times (default 5,
// fresh broker and database each) for median and spread. Excludes: PostgreSQL's memory, HTTP client cost,
// GC timing (RSS is read as is, no forced GC).
//
// Flags: --schemas N --per-request N --runs N
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { startBrokerProcess } from '../support/broker-process.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../..')
const brokerDir = join(root, 'packages/broker')
const { startPostgres } = await import(pathToFileURL(join(brokerDir, '../test-support/src/postgres.mjs')).href)

const { values: flags } = parseArgs({
  options: {
    schemas: { type: 'string', default: '100000' },
    'per-request': { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
  },
})
const total = Number(flags.schemas)
const perRequest = Number(flags['per-request'])
const runs = Number(flags.runs)

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024

/** One request's worth of distinct schemas: each expectation's payload has its own `minimum`. */
function publishBody(batch) {
  const expectations = Array.from({ length: perRequest }, (_, i) => {
    const n = batch * perRequest + i
    return {
      description: `message ${i}`,
      channel: `ch.${i}`,
      providerStates: [],
      // additionalProperties: a keyword the schema interpreter leaves to ajv, so every schema compiles and the
      // validator cache fills (schemas in the matchers' vocabulary compile nothing and leave it empty).
      payload: {
        schema: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer', minimum: n } } },
        example: { n },
      },
    }
  })
  const contract = { treaty: '1', consumer: 'mem-consumer', provider: 'mem-provider', expectations }
  return JSON.stringify({ consumer: 'mem-consumer', version: `1.0.${batch}`, contracts: [contract] })
}

async function run(server, index) {
  const databaseUrl = await server.createDatabase(`treaty_mem_${process.pid}_${index}`)
  const { url, child } = await startBrokerProcess({ DATABASE_URL: databaseUrl })
  const samples = []
  try {
    const batches = Math.ceil(total / perRequest)
    const every = Math.max(1, Math.round(batches / 10))
    for (let b = 0; b < batches; b++) {
      const res = await fetch(`${url}/api/contracts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: publishBody(b),
      })
      if (res.status !== 201) throw new Error(`publish ${b} answered ${res.status}: ${await res.text()}`)
      if ((b + 1) % every === 0 || b === batches - 1) samples.push({ schemas: (b + 1) * perRequest, rss: rssMb(child.pid) })
    }
  } finally {
    child.kill('SIGTERM')
  }
  return samples
}

const samples0 = (n) => `the second tenth (${Math.round(n / 5)})`
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const server = await startPostgres()
try {
  const ratios = []
  const finals = []
  for (let i = 0; i < runs; i++) {
    const samples = await run(server, i)
    const base = samples[Math.min(1, samples.length - 1)]
    const last = samples[samples.length - 1]
    ratios.push(last.rss / base.rss)
    finals.push(last.rss)
    console.log(`run ${i + 1}: ${samples.map((s) => `${s.schemas}:${s.rss.toFixed(0)}MB`).join(' ')}`)
  }
  console.log(
    `RSS after ${total} distinct schemas / after ${samples0(total)}: median ${median(ratios).toFixed(2)}× (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)}); final RSS median ${median(finals).toFixed(0)} MB (min ${Math.min(...finals).toFixed(0)}, max ${Math.max(...finals).toFixed(0)})`,
  )
} finally {
  await server.stop()
}
