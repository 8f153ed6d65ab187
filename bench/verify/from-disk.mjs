// Provider verification from contract files on disk, with provider states, against pact-js 17.1.4's
// MessageProviderPact on the same messages, in one run (`npm run bench:verify` runs it after the
// in-memory bench; `node bench/verify/from-disk.mjs` alone).
//
// N = 500 expectations (one per interaction), each with a provider state that has params, over 100
// distinct payload schemas. Treaty: verifyContracts({ contracts: dir, states, producers }) — reading,
// parsing and validating the contract file are inside the timer. pact-js: MessageProviderPact.verify()
// of a V3 message pact with the same 500 messages (type matching on the body) and the same states;
// pact's Rust verifier reads the pact file and calls back into node per interaction (inside the timer).
// Samples interleaved, Treaty then pact-js, each side's sample a process of its own (so neither pays for the
// other's heap, or for V8 dropping its optimised code during the other's long rounds): the first round (what
// one `treaty verify` run pays: each distinct schema checked once, code not yet optimised), reported on its own, then warm
// rounds (Treaty: the median of 5, since one of its rounds lasts ~1/100 of pact-js's; pact-js: one), then
// Treaty's steady state (rounds 21-30, once V8 has optimised its hot code; pact-js's rounds do not get faster,
// so its steady state is its warm round). Median and spread (min-max) per expectation over the samples. Excludes process start-up and module loading on
// both sides; nothing is published.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '../..')
const { serializeContract, verifyContracts } = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href)
// The parent only starts samples; each sample process builds its own side's files (and loads pact-js only there).
const side = process.argv[2]
const { MessageProviderPact } = side === 'pact' ? await import('@pact-foundation/pact') : {}

const N = Number(process.env.N ?? 500)
const SCHEMAS = 100
const ROUNDS = Number(process.env.DISK_ROUNDS ?? 5)
const TREATY_PER_SLOT = 5
// Treaty's rounds keep getting faster until V8 has optimised the hot code (~10 rounds here); its steady state is
// the median of these rounds. pact-js's cost per interaction is its Rust core's and does not fall after round 1.
const STEADY_FROM = 21
const STEADY_TO = 30

function schemaFor(i) {
  return {
    type: 'object',
    required: ['jobId', 'documentType', 'requestedAt', 'items', `field${i}`],
    properties: {
      jobId: { type: 'string', format: 'uuid' },
      documentType: { enum: ['invoice', 'report', `kind${i}`] },
      requestedAt: { type: 'string', format: 'date-time' },
      options: { type: 'object', properties: { pageSize: { enum: ['A4', 'Letter'] }, landscape: { type: 'boolean' } } },
      items: {
        type: 'array',
        minItems: 1,
        items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } } },
      },
      [`field${i}`]: { type: 'integer', minimum: 0 },
    },
  }
}

function messageFor(i, n) {
  return {
    jobId: `7f0c2a4e-3b1d-4c5e-9f6a-${n.toString(16).padStart(12, '0')}`,
    documentType: 'invoice',
    requestedAt: '2024-01-15T10:30:00.000Z',
    options: { pageSize: 'A4', landscape: n % 2 === 0 },
    items: [{ sku: `A-${n}`, qty: 1 + (n % 5) }],
    [`field${i}`]: n,
  }
}

const dir = side ? mkdtempSync(join(tmpdir(), 'treaty-bench-disk-')) : undefined
const messages = new Map()
const expectations = []
const interactions = []
for (let n = 0; n < N; n++) {
  const i = n % SCHEMAS
  const description = `a PDF generation request ${n}`
  const message = messageFor(i, n)
  const state = { name: 'an invoice exists', params: { invoiceId: String(n) } }
  messages.set(description, message)
  expectations.push({ description, channel: 'pdf.requested', providerStates: [state], payload: { schema: schemaFor(i), example: message } })
  interactions.push({
    description,
    providerStates: [state],
    contents: message,
    matchingRules: { body: { $: { combine: 'AND', matchers: [{ match: 'type' }] } } },
    metadata: { contentType: 'application/json' },
  })
}
const contractDir = dir && join(dir, 'contracts')
const pactFile = dir && join(dir, 'pdf-worker-pdf-api.json')
if (side === 'treaty') {
  mkdirSync(contractDir)
  writeFileSync(
    join(contractDir, 'pdf-worker--pdf-api.json'),
    serializeContract({ treaty: '1', consumer: 'pdf-worker', provider: 'pdf-api', expectations }),
  )
} else if (side === 'pact') {
  writeFileSync(
    pactFile,
    JSON.stringify({
      consumer: { name: 'pdf-worker' },
      provider: { name: 'pdf-api' },
      messages: interactions,
      metadata: { pactSpecification: { version: '3.0.0' } },
    }),
  )
}

const seenStates = { treaty: 0, pact: 0 }
async function treatyRound() {
  const report = await verifyContracts({
    provider: 'pdf-api',
    contracts: contractDir,
    states: { 'an invoice exists': () => void seenStates.treaty++ },
    producers: { 'pdf.requested': ({ expectation }) => ({ payload: messages.get(expectation.description) }) },
  })
  if (!report.success || report.summary.passed !== N) throw new Error(`treaty: ${JSON.stringify(report.summary)}`)
}

async function pactRound() {
  const messageProviders = {}
  for (const description of messages.keys()) messageProviders[description] = () => messages.get(description)
  await new MessageProviderPact({
    provider: 'pdf-api',
    pactUrls: [pactFile],
    logLevel: 'error',
    messageProviders,
    stateHandlers: { 'an invoice exists': async () => void seenStates.pact++ },
  }).verify()
}

const time = async (fn) => {
  const start = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - start) / 1e6
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const stat = (xs, unit = 1, digits = 1) =>
  `${(median(xs) * unit).toFixed(digits)} (${(Math.min(...xs) * unit).toFixed(digits)}-${(Math.max(...xs) * unit).toFixed(digits)})`
const ratio = (t, p) => {
  const rs = t.map((x, i) => x / p[i])
  return `1/${(1 / median(rs)).toFixed(0)} (spread 1/${(1 / Math.max(...rs)).toFixed(0)}-1/${(1 / Math.min(...rs)).toFixed(0)})`
}

/**
 * One sample of one side, in this (child) process: the first round (cold, what a single `treaty verify` run
 * pays: every distinct schema checked against the meta-schema, nothing JIT-compiled yet; these schemas are
 * answered by the interpreter, so ajv compiles none), then warm rounds. Each side runs
 * in its own process so neither pays for the other's heap or for V8 dropping its compiled code while the
 * other runs (pact-js's rounds are ~100 times longer).
 */
async function sample(side) {
  const round = side === 'treaty' ? treatyRound : pactRound
  const first = (await time(round)) / N
  const warm = []
  for (let k = 0; k < (side === 'treaty' ? TREATY_PER_SLOT : 1); k++) warm.push((await time(round)) / N)
  const steady = []
  if (side === 'treaty') {
    for (let r = 2 + warm.length; r <= STEADY_TO; r++) {
      const ms = (await time(round)) / N
      if (r >= STEADY_FROM) steady.push(ms)
    }
  }
  const rounds = side === 'treaty' ? STEADY_TO : 1 + warm.length
  const seen = seenStates[side]
  if (side === 'treaty' ? seen !== N * rounds : seen < N * rounds) {
    throw new Error(`provider states not set up for every expectation: ${side} ${seen} of ${N * rounds}`)
  }
  return { first, warm: median(warm), steady: steady.length ? median(steady) : median(warm) }
}

const fail = (side, out) => {
  throw new Error(`${side} sample printed no result:\n${out}`)
}

if (side === 'treaty' || side === 'pact') {
  try {
    // pact-js's verifier prints its report on stdout too: the sample is the last line, marked.
    process.stdout.write(`\nSAMPLE ${JSON.stringify(await sample(side))}\n`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
} else {
  const results = { treaty: [], pact: [] }
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of ['treaty', 'pact']) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), s], { encoding: 'utf8', env: process.env })
      if (child.status !== 0) throw new Error(`${s} sample failed (${child.status}):\n${child.stdout}\n${child.stderr}`)
      results[s].push(JSON.parse(/^SAMPLE (.*)$/m.exec(child.stdout)?.[1] ?? 'null') ?? fail(s, child.stdout))
    }
  }
  const pick = (s, k) => results[s].map((x) => x[k])
  console.log(
    `from contract files on disk, with provider states: N = ${N}, ${ROUNDS} interleaved samples, each side in its own process, per expectation, load average ${loadavg()[0].toFixed(1)}`,
  )
  console.log(`  warm (Treaty: median of the ${TREATY_PER_SLOT} rounds after the first; pact-js: the round after the first)`)
  console.log(`    treaty verifyContracts (read + validate + verify)  ${stat(pick('treaty', 'warm'), 1000)} µs`)
  console.log(`    pact-js MessageProviderPact.verify                 ${stat(pick('pact', 'warm'), 1000)} µs`)
  console.log(`    ratio treaty / pact-js                             ${ratio(pick('treaty', 'warm'), pick('pact', 'warm'))}`)
  console.log(
    `  steady state (Treaty: median of rounds ${STEADY_FROM}-${STEADY_TO}, its hot code optimised; pact-js: the round after the first, as above)`,
  )
  console.log(`    treaty verifyContracts (read + validate + verify)  ${stat(pick('treaty', 'steady'), 1000)} µs`)
  console.log(`    pact-js MessageProviderPact.verify                 ${stat(pick('pact', 'steady'), 1000)} µs`)
  console.log(`    ratio treaty / pact-js                             ${ratio(pick('treaty', 'steady'), pick('pact', 'steady'))}`)
  console.log('  first round alone (a single run: each distinct schema checked once, nothing JIT-compiled yet)')
  console.log(`    treaty                                             ${stat(pick('treaty', 'first'), 1000)} µs`)
  console.log(`    pact-js                                            ${stat(pick('pact', 'first'), 1000)} µs`)
  console.log(`    ratio treaty / pact-js                             ${ratio(pick('treaty', 'first'), pick('pact', 'first'))}`)
}
