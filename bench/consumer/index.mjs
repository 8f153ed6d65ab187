// Consumer tests, Treaty against pact-js, in one run: `npm run bench:consumer` (builds first).
//
// The same PDF-job message (same fields, same matchers) declared N = 10, 100, 500 times in one vitest
// test file, one test per expectation: Treaty's messageContract(...).verify vs pact-js 17's
// MessageConsumerPact(...).verify. Each sample is a real `vitest run` of that file in a fresh process,
// A and B interleaved, PAIRS pairs per N. Reported per N, median and spread (min-max):
// - whole process: wall time of `vitest run` (vitest start-up and module loading included);
// - per expectation: from the file's first test to the end of its last afterAll hook (so Treaty's write
//   at the end of the file is included), divided by N. Excludes vitest start-up and module imports.
// Treaty also runs the handler on the variants the schema allows (7 messages per expectation here: the example and 6 variants);
// pact-js runs it on the one example. Neither side publishes anything.
// Treaty is loaded as an installed package would be: vitest hands files under node_modules to Node as they
// are, and transforms the rest (as its own source), so the bench marks the built core external the same way
// (transforming it cost ~700 ms of the whole process). The same N tests with empty bodies run in each pair too:
// the harness's own cost (vitest's per-test bookkeeping), which both sides pay and neither can shave. And a
// floor: the least any implementation must do in the same tests, with nothing of Treaty in it: run the handler on
// the same number of messages (structured clones of the example, the copies prepared outside the timer's
// tests) and write what was proven once, at the file's end (write + rename). Its ratio to pact-js is the
// best a per-expectation ratio can be on this machine.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '../..')
const PAIRS = Number(process.env.PAIRS ?? 5)
const SIZES = (process.env.SIZES ?? '10,100,500').split(',').map(Number)
// Per process, so two runs (e.g. SIZES=500 beside SIZES=10,100) do not share files.
const work = join(root, 'bench/consumer/.tmp', String(process.pid))
const core = pathToFileURL(join(root, 'packages/core/dist/index.js')).href

/** Writes the elapsed time of the file's tests (first test to last afterAll) where the bench reads it. */
const timing = (out) => `
let started
beforeAll(() => { started = performance.now() })
afterAll(() => { writeFileSync(${JSON.stringify(out)}, String(performance.now() - started)) })
`

const handler = `
function handle(request, headers) {
  const pageSize = request.options?.pageSize ?? 'A4'
  const lines = request.items.map((item) => \`\${item.qty} x \${item.sku}\`)
  return { correlationId: headers['Correlation-Id'], title: \`\${request.documentType} \${request.jobId}\`, pageSize, lines }
}
`

function treatyFile(n, out) {
  return `import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, test } from 'vitest'
import { boolean, datetime, eachLike, integer, messageContract, oneOf, string, uuid } from ${JSON.stringify(core)}
${handler}${timing(out)}
const contract = messageContract({ consumer: 'pdf-worker', provider: 'pdf-api', dir: 'contracts' })
for (let i = 0; i < ${n}; i++) {
  test(\`request \${i}\`, async () => {
    await contract
      .expects(\`a PDF generation request \${i}\`)
      .given('an invoice exists', { invoiceId: String(i) })
      .on('pdf.requested')
      .withHeaders({ 'Correlation-Id': string('c-1') })
      .withPayload({
        jobId: uuid(),
        documentType: oneOf(['invoice', 'report']),
        requestedAt: datetime(),
        options: { pageSize: oneOf(['A4', 'Letter']), landscape: boolean(false) },
        items: eachLike({ sku: string('A-1'), qty: integer(1) }, { min: 1 }),
      })
      .verify(async (m) => handle(m.payload, m.headers))
  })
}
`
}

function emptyFile(n, out) {
  return `import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, test } from 'vitest'
${timing(out)}
for (let i = 0; i < ${n}; i++) test(\`request \${i}\`, async () => {})
`
}

/** Messages per expectation Treaty runs the handler on here: the example and its 6 variants. */
const MESSAGES = 7

function floorFile(n, out) {
  return `import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, test } from 'vitest'
${handler}${timing(out)}
const example = {
  payload: { jobId: '7f0c2a4e-3b1d-4c5e-9f6a-000000000000', documentType: 'invoice', requestedAt: '2024-01-15T10:30:00.000Z',
    options: { pageSize: 'A4', landscape: false }, items: [{ sku: 'A-1', qty: 1 }] },
  headers: { 'Correlation-Id': 'c-1' },
}
const proven = []
afterAll(() => {
  mkdirSync('contracts', { recursive: true })
  writeFileSync('contracts/floor.json.tmp', JSON.stringify(proven, null, 2))
  renameSync('contracts/floor.json.tmp', 'contracts/floor.json')
})
for (let i = 0; i < ${n}; i++) {
  test(\`request \${i}\`, async () => {
    for (let k = 0; k < ${MESSAGES}; k++) {
      const m = structuredClone(example)
      await handle(m.payload, m.headers)
    }
    proven.push({ description: \`a PDF generation request \${i}\`, ...example })
  })
}
`
}

function pactFile(n, out) {
  return `import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, test } from 'vitest'
import { MatchersV3, MessageConsumerPact, asynchronousBodyHandler } from '@pact-foundation/pact'
const { boolean, datetime, eachLike, integer, regex, string, uuid } = MatchersV3
${handler}${timing(out)}
const pact = new MessageConsumerPact({ consumer: 'pdf-worker', provider: 'pdf-api', dir: 'pacts', logLevel: 'error' })
for (let i = 0; i < ${n}; i++) {
  test(\`request \${i}\`, async () => {
    await pact
      .given('an invoice exists', { invoiceId: String(i) })
      .expectsToReceive(\`a PDF generation request \${i}\`)
      .withMetadata({ 'Correlation-Id': string('c-1') })
      .withContent({
        jobId: uuid(),
        documentType: regex('^(invoice|report)$', 'invoice'),
        requestedAt: datetime("yyyy-MM-dd'T'HH:mm:ss.SSSX", '2024-01-15T10:30:00.000Z'),
        options: { pageSize: regex('^(A4|Letter)$', 'A4'), landscape: boolean(false) },
        items: eachLike({ sku: string('A-1'), qty: integer(1) }, 1),
      })
      .verify(asynchronousBodyHandler(async (body) => handle(body, { 'Correlation-Id': 'c-1' })))
  })
}
`
}

/** One `vitest run` of `file` in `dir`; returns wall ms and the in-file elapsed ms. */
function runOnce(dir, file) {
  rmSync(join(dir, 'contracts'), { recursive: true, force: true })
  rmSync(join(dir, 'pacts'), { recursive: true, force: true })
  const out = join(dir, `${file}.elapsed`)
  rmSync(out, { force: true })
  const start = process.hrtime.bigint()
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs'), file],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  )
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`vitest run ${file} failed (${r.status}):\n${r.stdout}\n${r.stderr}`)
  return { wall, inFile: Number(readFileSync(out, 'utf8')) }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const stat = (xs, digits = 1) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`

rmSync(work, { recursive: true, force: true })
console.log(
  `consumer bench: Treaty vs pact-js 17.1.4, ${PAIRS} interleaved pairs per N, node ${process.version}, ${availableParallelism()} CPUs`,
)
console.log(
  'N     whole process ms: treaty | pact-js          per expectation ms: treaty | pact-js      empty test (vitest) ms  floor ms               treaty/pact-js (per exp.) floor/pact-js             load avg',
)
const totals = []
for (const n of SIZES) {
  const dir = join(work, `n${n}`)
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'vitest.config.mjs'),
    `export default { test: { include: ['*.test.mjs'], testTimeout: 120000, hookTimeout: 120000, server: { deps: { external: [/${join(root, 'packages/core/dist/').replaceAll(/[/.*+?^${}()|[\]\\]/g, '\\$&')}/] } } } }\n`,
  )
  writeFileSync(join(dir, 'treaty.test.mjs'), treatyFile(n, join(dir, 'treaty.test.mjs.elapsed')))
  writeFileSync(join(dir, 'pact.test.mjs'), pactFile(n, join(dir, 'pact.test.mjs.elapsed')))
  writeFileSync(join(dir, 'empty.test.mjs'), emptyFile(n, join(dir, 'empty.test.mjs.elapsed')))
  writeFileSync(join(dir, 'floor.test.mjs'), floorFile(n, join(dir, 'floor.test.mjs.elapsed')))
  if (n === SIZES[0]) {
    // Warm-up once (file cache, node's compile cache); larger N reuse it, or pact-js at N = 500 would add minutes.
    runOnce(dir, 'treaty.test.mjs')
    runOnce(dir, 'pact.test.mjs')
  }
  const t = { wall: [], per: [] }
  const p = { wall: [], per: [] }
  const e = { wall: [], per: [] }
  const f = { wall: [], per: [] }
  for (let i = 0; i < PAIRS; i++) {
    for (const [side, file] of [
      [t, 'treaty.test.mjs'],
      [p, 'pact.test.mjs'],
      [e, 'empty.test.mjs'],
      [f, 'floor.test.mjs'],
    ]) {
      const { wall, inFile } = runOnce(dir, file)
      side.wall.push(wall)
      side.per.push(inFile / n)
    }
  }
  const ratios = t.per.map((x, i) => x / p.per[i])
  const floorRatios = f.per.map((x, i) => x / p.per[i])
  totals.push({ n, treaty: median(t.per) * n, pact: median(p.per) * n })
  console.log(
    `${String(n).padEnd(5)} ${stat(t.wall, 0).padStart(18)} | ${stat(p.wall, 0).padEnd(18)} ${stat(t.per, 2).padStart(20)} | ${stat(p.per, 2).padEnd(20)} ${stat(e.per, 3).padEnd(22)} ${stat(f.per, 3).padEnd(22)} ${stat(ratios, 3).padEnd(25)} ${stat(floorRatios, 3).padEnd(25)} ${loadavg()[0].toFixed(1)}`,
  )
}
// The cost of one more expectation, without the fixed cost of the first (ajv's first compile, pact's set-up).
for (let i = 1; i < totals.length; i++) {
  const [a, b] = [totals[i - 1], totals[i]]
  const t = (b.treaty - a.treaty) / (b.n - a.n)
  const p = (b.pact - a.pact) / (b.n - a.n)
  console.log(
    `marginal per expectation from N=${a.n} to N=${b.n}: treaty ${t.toFixed(3)} ms, pact-js ${p.toFixed(3)} ms, ratio ${(t / p).toFixed(3)}`,
  )
}
rmSync(work, { recursive: true, force: true })
