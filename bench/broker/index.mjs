// Broker read-path throughput and latency against a bare fastify route, in one run: `npm run bench:broker`
// (builds first).
//
// Seeds 200 services × 50 versions × 5 contracts (flags change the size), then drives
// `contracts-for-verification` and `can-i-deploy` with autocannon on loopback, on PGlite and on a throwaway
// PostgreSQL, and a bare fastify route returning a constant in the same run. Each target runs twice: flat out
// (req/s, p50, p99) and at a fixed 500 req/s (the target: p99 < 25 ms for can-i-deploy on both stores).
// Servers run in their own processes; autocannon runs here. On a 2-core machine both share the CPUs, so the
// ratio to the bare route is the figure to compare across machines.
//
// Flags: --services N --versions N --contracts N --duration S --connections N --rate N --store pglite|postgres|both
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { seed, serviceName } from './seed.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../..')
const brokerDir = join(root, 'packages/broker')
// autocannon is a dev dependency of @treaty/broker, not of the workspace root: resolve it from there.
const autocannon = createRequire(join(brokerDir, 'package.json'))('autocannon')
const { openStore } = await import(pathToFileURL(join(brokerDir, 'dist/index.js')).href)
const { startPostgres } = await import(pathToFileURL(join(brokerDir, '../test-support/src/postgres.mjs')).href)

const { values: flags } = parseArgs({
  options: {
    services: { type: 'string', default: '200' },
    versions: { type: 'string', default: '50' },
    contracts: { type: 'string', default: '5' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    rate: { type: 'string', default: '500' },
    store: { type: 'string', default: 'both' },
  },
})
const size = { services: Number(flags.services), versions: Number(flags.versions), contracts: Number(flags.contracts) }
const duration = Number(flags.duration)
const connections = Number(flags.connections)
const rate = Number(flags.rate)
const log = (line) => console.log(line)

/** Starts `node <script>` and resolves with its URL once it prints "listening on <url>". */
function startServer(script, env) {
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => {
    out += d
  })
  child.stderr.on('data', (d) => {
    out += d
  })
  return new Promise((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ url: m[1], pid: child.pid, stop: () => stopChild(child) })
    })
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}):\n${out}`)))
  })
}

function stopChild(child) {
  if (child.exitCode !== null) return Promise.resolve()
  const exited = new Promise((resolve) => child.once('exit', resolve))
  process.kill(child.pid, 'SIGTERM')
  return exited
}

/** One autocannon run; `requestFor(n)` varies the request so every service is asked about in turn. */
async function load(url, requestFor, overallRate) {
  let n = 0
  const result = await autocannon({
    url,
    connections,
    duration,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        setupRequest: (req) => ({ ...req, ...requestFor(n++) }),
      },
    ],
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  }
}

const targets = {
  'bare fastify (constant)': () => ({ method: 'GET', path: '/' }),
  'can-i-deploy': (n) => ({
    method: 'GET',
    path: `/api/can-i-deploy?service=${serviceName(n % size.services)}&version=1.${size.versions}.0&environment=production`,
  }),
  'contracts-for-verification': (n) => ({
    method: 'POST',
    path: `/api/providers/${serviceName(n % size.services)}/contracts-for-verification`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      selectors: [{ mainBranch: true }, { deployed: true, environment: 'production' }],
      providerBranch: 'main',
      includePending: true,
    }),
  }),
}

async function benchStore(kind) {
  log(`\n== ${kind}: seeding ${size.services} services × ${size.versions} versions × ${size.contracts} contracts`)
  const tmp = mkdtempSync(join(tmpdir(), 'treaty-bench-'))
  let pg
  try {
    let env
    let storeOptions
    if (kind === 'postgres') {
      pg = await startPostgres()
      const databaseUrl = await pg.createDatabase('treaty_bench')
      env = { DATABASE_URL: databaseUrl }
      storeOptions = { databaseUrl, maxConnections: 8 }
    } else {
      const dataDir = join(tmp, 'data')
      env = { TREATY_DATA_DIR: dataDir, DATABASE_URL: '' }
      storeOptions = { dataDir }
    }
    const store = await openStore(storeOptions)
    const seeded = await seed(store, { ...size, parallelism: kind === 'postgres' ? 8 : 1, log })
    // What autovacuum (PostgreSQL) or the broker's own maintenance (PGlite) does shortly after a bulk load.
    await store.db.exec('ANALYZE')
    await store.close()
    log(
      `  ${seeded.publishes} publishes, ${seeded.publications} contracts, ${seeded.verifications} verification results in ${seeded.seconds.toFixed(0)} s`,
    )

    const rows = []
    const bare = await startServer(join(here, 'bare-server.mjs'), {})
    const broker = await startServer(join(brokerDir, 'dist/server.js'), env)
    try {
      // Warm up both (JIT, connection pools, PGlite caches) before measuring.
      for (const [name, requestFor] of Object.entries(targets)) {
        const url = name.startsWith('bare') ? bare.url : broker.url
        const check = await fetch(`${url}${requestFor(0).path}`, requestFor(0))
        if (!check.ok) throw new Error(`${name}: ${check.status} ${await check.text()}`)
        await autocannon({ url, connections, duration: 2, requests: [{ setupRequest: (r) => ({ ...r, ...requestFor(1) }) }] })
      }
      for (const [name, requestFor] of Object.entries(targets)) {
        const url = name.startsWith('bare') ? bare.url : broker.url
        rows.push({ target: name, mode: 'flat out', ...(await load(url, requestFor)) })
        rows.push({ target: name, mode: `${rate} req/s`, ...(await load(url, requestFor, rate)) })
      }
    } finally {
      await broker.stop()
      await bare.stop()
    }
    const bareRps = rows.find((r) => r.target.startsWith('bare') && r.mode === 'flat out').rps
    log(`\n  ${kind}: ${connections} connections, ${duration} s per run`)
    log(
      `  ${'target'.padEnd(28)}${'mode'.padEnd(13)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}  vs bare`,
    )
    for (const r of rows) {
      const ratio = r.mode === 'flat out' ? `${((r.rps / bareRps) * 100).toFixed(1)}%` : ''
      const errors = r.errors + r.non2xx
      log(
        `  ${r.target.padEnd(28)}${r.mode.padEnd(13)}${r.rps.toFixed(0).padStart(9)}${String(r.p50).padStart(9)}${String(r.p99).padStart(9)}${String(errors).padStart(8)}  ${ratio}`,
      )
    }
    const cid = rows.find((r) => r.target === 'can-i-deploy' && r.mode !== 'flat out')
    log(
      `  target p99 < 25 ms for can-i-deploy at ${rate} req/s: ${cid.p99 < 25 && cid.errors + cid.non2xx === 0 ? 'met' : 'NOT met'} (p99 ${cid.p99} ms)`,
    )
    return rows
  } finally {
    await pg?.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}

const stores = flags.store === 'both' ? ['pglite', 'postgres'] : [flags.store]
for (const kind of stores) await benchStore(kind)
