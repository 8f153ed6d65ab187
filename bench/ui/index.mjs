// bench/ui: time to first meaningful render of the web UI's overview (network graph laid out and drawn) and
// pairs dashboard (table rows on screen) in headless Debian chromium, against a broker seeded with the broker
// bench's data (200 services × 50 versions × 5 contracts, bench/broker/seed.mjs), plus the largest API
// payload each page loads.
//
// Baseline, measured in the same run and the same browser: a page that fetches the same API requests and
// does nothing with them (`fetch` + `json()`), so the ratio is what the UI adds over receiving its data.
// Each measurement opens a fresh page (cold JS parse, warm broker); median and spread over --runs (≥ 5).
// Excludes: seeding, broker and chromium start-up, and the first (warm-up) load of each page.
//
//   npm run bench:ui [-- --services 200 --versions 50 --contracts 5 --runs 7]
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { seed } from '../broker/seed.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../..')
const brokerDir = join(root, 'packages/broker')
// playwright-core is a dev dependency of @treaty/ui: resolve it from there.
const { chromium } = createRequire(join(root, 'packages/ui/package.json'))('playwright-core')
const { openStore } = await import(pathToFileURL(join(brokerDir, 'dist/index.js')).href)

const { values: flags } = parseArgs({
  options: {
    services: { type: 'string', default: '200' },
    versions: { type: 'string', default: '50' },
    contracts: { type: 'string', default: '5' },
    runs: { type: 'string', default: '7' },
  },
})
const size = { services: Number(flags.services), versions: Number(flags.versions), contracts: Number(flags.contracts) }
const runs = Math.max(5, Number(flags.runs))
const log = (line) => console.log(line)

function startBroker(env) {
  const child = spawn(process.execPath, [join(brokerDir, 'dist/server.js')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
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
    const timer = setTimeout(() => reject(new Error(`broker did not start:\n${out}`)), 300_000)
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        const stop = () => {
          // Already gone (it died during the run): say so with its log rather than fail on kill(ESRCH).
          if (child.exitCode !== null || child.signalCode !== null) {
            console.error(`broker had already exited (${child.exitCode ?? child.signalCode}):\n${out}`)
            return Promise.resolve()
          }
          const exited = new Promise((r) => child.once('exit', r))
          process.kill(child.pid, 'SIGTERM')
          return exited
        }
        resolve({ url: m[1], stop })
      }
    })
    child.once('exit', (code) => reject(new Error(`broker exited ${code}:\n${out}`)))
  })
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const spread = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`

/** The UI's requests per page (what the page itself asks the broker for). */
const PAGES = {
  overview: {
    hash: '#/',
    ready: '[data-testid="graph"][data-rendered]',
    api: ['/api/services', '/api/pairs?limit=1000', '/api/environments'],
  },
  pairs: { hash: '#/pairs', ready: '[data-testid="pairs"] tbody tr', api: ['/api/pairs?limit=100'] },
}

async function measure(browser, url, page) {
  const p = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  const payloads = []
  p.on('response', async (r) => {
    if (!r.url().includes('/api/')) return
    const body = await r.body().catch(() => Buffer.alloc(0))
    payloads.push({ url: r.url().replace(url, ''), bytes: body.length })
  })
  const start = Date.now()
  await p.goto(`${url}/${page.hash}`)
  await p.waitForSelector(page.ready, { timeout: 300_000 })
  const ms = Date.now() - start
  await p.close()
  return { ms, payloads }
}

async function baseline(browser, url, page) {
  const p = await browser.newPage()
  // A blank same-origin document (the JSON 404 of an unknown path), then the same requests, parsed, not rendered.
  await p.goto(`${url}/healthz`)
  const start = Date.now()
  await p.evaluate(`Promise.all(${JSON.stringify(page.api)}.map((u) => fetch(u).then((r) => r.json())))`)
  const ms = Date.now() - start
  await p.close()
  return ms
}

const tmp = mkdtempSync(join(tmpdir(), 'treaty-bench-ui-'))
let broker
let browser
try {
  const dataDir = join(tmp, 'data')
  log(`== seeding ${size.services} services × ${size.versions} versions × ${size.contracts} contracts (PGlite)`)
  const store = await openStore({ dataDir })
  const seeded = await seed(store, { ...size, parallelism: 1, log })
  await store.close()
  log(`  ${seeded.publications} contracts, ${seeded.verifications} verification results in ${seeded.seconds.toFixed(0)} s`)
  broker = await startBroker({ TREATY_DATA_DIR: dataDir })
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  for (const [name, page] of Object.entries(PAGES)) {
    await measure(browser, broker.url, page) // warm-up: broker caches, chromium's HTTP cache of app.js is not used (new page, same context)
    const ui = []
    const base = []
    let payloads = []
    for (let i = 0; i < runs; i++) {
      const m = await measure(browser, broker.url, page)
      ui.push(m.ms)
      payloads = m.payloads
      base.push(await baseline(browser, broker.url, page))
    }
    const largest = payloads.reduce((a, b) => (b.bytes > a.bytes ? b : a), { url: '-', bytes: 0 })
    log(`\n${name}: first meaningful render ${median(ui).toFixed(0)} ms (spread ${spread(ui)} ms over ${runs} runs)`)
    log(`  baseline (same requests, fetched and parsed, no UI): ${median(base).toFixed(0)} ms (spread ${spread(base)} ms)`)
    log(`  ratio UI / baseline: ${(median(ui) / Math.max(1, median(base))).toFixed(1)}×`)
    log(`  API payloads: ${payloads.map((p) => `${p.url} ${(p.bytes / 1024).toFixed(0)} KiB`).join(', ')}`)
    log(`  largest: ${largest.url} ${(largest.bytes / 1024).toFixed(0)} KiB`)
  }
} finally {
  await browser?.close()
  await broker?.stop()
  rmSync(tmp, { recursive: true, force: true })
}
