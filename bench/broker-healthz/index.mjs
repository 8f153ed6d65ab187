// /healthz latency during one big publish: `npm run bench:broker-healthz` (builds first).
//
// Starts one broker process (embedded PGlite, temp directory) and, per run (--runs, default 5):
//   1. idle: --probes sequential GET /healthz, 10 ms apart, nothing else running (the baseline, same run);
//   2. busy: one publish of a contract with --expectations expectations (default 990: the broker allows 1000
//      distinct schemas per request), each with its own payload schema (a fresh tag per run, so nothing is
//      cached), while GET /healthz is probed every 10 ms (sequentially, a new connection each) until the
//      publish answers.
// Reports per run the probe latency p50 / p99 / max for both phases and the publish time, then the median and
// spread (min-max) over the runs of the busy p50 / p99 and of busy p99 / idle p99. Excludes: the publish's
// upload (the probes start when the body is sent), client-side GC. The target: busy p99 under 100 ms.
//
// Flags: --runs N --expectations N --probes N
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startBrokerProcess } from '../support/broker-process.mjs'

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    expectations: { type: 'string', default: '990' },
    probes: { type: 'string', default: '100' },
  },
})
const runs = Number(flags.runs)
const expectations = Number(flags.expectations)

/** One request on its own connection; resolves with [status, body, ms]. */
function send(url, method, path, body) {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    const req = request(`${url}${path}`, { method, agent: false, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = ''
      res.on('data', (d) => {
        text += d
      })
      res.on('end', () => resolve([res.statusCode, text, performance.now() - start]))
    })
    req.on('error', reject)
    req.end(body)
  })
}

function bigPublish(run, n = expectations) {
  const tag = `r${run}x${Date.now().toString(36)}`
  const consumer = `bench-consumer-${run}`
  const contract = {
    treaty: '1',
    consumer,
    provider: 'bench-provider',
    expectations: Array.from({ length: n }, (_, i) => ({
      description: `message ${i}`,
      channel: `bench.${i}`,
      providerStates: [],
      payload: {
        // additionalProperties: a keyword the schema interpreter leaves to ajv, so every schema compiles (the
        // worst case; a publish of schemas in the matchers' vocabulary compiles none).
        schema: {
          type: 'object',
          required: [`${tag}_${i}`],
          additionalProperties: false,
          properties: { [`${tag}_${i}`]: { type: 'string', minLength: 1, pattern: `^${tag}` } },
        },
        example: { [`${tag}_${i}`]: `${tag}-value` },
      },
    })),
  }
  return JSON.stringify({ consumer, version: '1.0.0', contracts: [contract] })
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}
const median = (xs) => pct(xs, 50)
const f = (x) => x.toFixed(1)

async function probeWhile(url, isDone) {
  const latencies = []
  while (!isDone()) {
    const [status, , ms] = await send(url, 'GET', '/healthz')
    if (status !== 200) throw new Error(`/healthz answered ${status}`)
    latencies.push(ms)
    await sleep(10)
  }
  return latencies
}

const dataDir = mkdtempSync(join(tmpdir(), 'treaty-bench-healthz-'))
const { url, child } = await startBrokerProcess({ TREATY_DATA_DIR: dataDir })
const results = []
try {
  // Warm-up: the first publish loads ajv and re2js; that is start-up cost, not what is measured.
  await send(url, 'POST', '/api/contracts', bigPublish(99, 5))
  console.log(`broker ${url}, ${expectations} expectations per publish, load average ${loadavg().map(f).join(' ')}`)
  console.log('run | idle p50 / p99 / max ms | busy p50 / p99 / max ms | probes during publish | publish s')
  for (let run = 0; run < runs; run++) {
    let n = 0
    const idle = await probeWhile(url, () => n++ >= Number(flags.probes))
    const body = bigPublish(run)
    let done = false
    const publishing = send(url, 'POST', '/api/contracts', body).then(([status, text, ms]) => {
      done = true
      if (status !== 201) throw new Error(`publish answered ${status}: ${text.slice(0, 300)}`)
      return ms
    })
    const busy = await probeWhile(url, () => done)
    const publishMs = await publishing
    const row = {
      idle: [pct(idle, 50), pct(idle, 99), Math.max(...idle)],
      busy: [pct(busy, 50), pct(busy, 99), Math.max(...busy)],
      probes: busy.length,
      publishMs,
    }
    results.push(row)
    console.log(
      `${run + 1} | ${row.idle.map(f).join(' / ')} | ${row.busy.map(f).join(' / ')} | ${row.probes} | ${(publishMs / 1000).toFixed(1)}`,
    )
  }
} finally {
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  rmSync(dataDir, { recursive: true, force: true })
}

const summary = (name, xs) => console.log(`${name}: median ${f(median(xs))} (spread ${f(Math.min(...xs))}-${f(Math.max(...xs))})`)
console.log(`\nover ${runs} runs, load average after: ${loadavg().map(f).join(' ')}`)
summary(
  'busy p50 ms',
  results.map((r) => r.busy[0]),
)
summary(
  'busy p99 ms',
  results.map((r) => r.busy[1]),
)
summary(
  'busy max ms',
  results.map((r) => r.busy[2]),
)
summary(
  'idle p99 ms (baseline)',
  results.map((r) => r.idle[1]),
)
summary(
  'busy p99 / idle p99',
  results.map((r) => r.busy[1] / r.idle[1]),
)
summary(
  'publish s',
  results.map((r) => r.publishMs / 1000),
)
