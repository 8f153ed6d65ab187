// Provider verification throughput against raw ajv, in one run: `npm run bench:verify` (builds first),
// then from contract files on disk with provider states against pact-js (from-disk.mjs).
//
// 10,000 expectations over 100 distinct payload schemas, trivial producers. The raw ajv baseline
// compiles each schema once (same ajv options as Treaty's engine) and validates the same messages
// in a loop. Treaty runs verifyContracts over the same messages, read from contract JSON the way
// readContracts reads files. Target: Treaty >= 50% of raw ajv.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const core = join(root, 'packages/core')
// ajv is a dependency of @treaty/core, not of the workspace root: resolve it from there.
const requireFromCore = createRequire(join(core, 'package.json'))
const { Ajv2020 } = requireFromCore('ajv/dist/2020.js')
const addFormats = requireFromCore('ajv-formats').default
const { parseContract, serializeContract, verifyContracts } = await import(pathToFileURL(join(core, 'dist/index.js')).href)

const SCHEMAS = 100
const CONSUMERS = 100
const PER_CONSUMER = 100 // 100 x 100 = 10,000 expectations
const ROUNDS = Number(process.env.ROUNDS ?? 15)

/** Schema `i`: a realistic event (ids, timestamps, an enum, bounded numbers, an array of objects), distinct per `i`. */
function schemaFor(i) {
  return {
    type: 'object',
    required: ['eventId', 'occurredAt', 'tenant', 'status', 'amount', 'lines', `field${i}`],
    properties: {
      eventId: { type: 'string', format: 'uuid' },
      occurredAt: { type: 'string', format: 'date-time' },
      tenant: { type: 'string', minLength: 1, maxLength: 64 },
      status: { enum: ['created', 'paid', 'cancelled', `status${i}`] },
      amount: { type: 'number', minimum: 0 },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      lines: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: {
          type: 'object',
          required: ['sku', 'qty'],
          properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 }, note: { type: ['string', 'null'] } },
        },
      },
      [`field${i}`]: i % 2 === 0 ? { type: 'integer', minimum: i } : { type: 'string', maxLength: 10 + i },
    },
  }
}

function messageFor(i, n) {
  const hex = n.toString(16).padStart(12, '0')
  return {
    eventId: `7f0c2a4e-3b1d-4c5e-9f6a-${hex}`,
    occurredAt: '2024-01-15T10:30:00.000Z',
    tenant: `tenant-${n % 17}`,
    status: n % 3 === 0 ? 'paid' : 'created',
    amount: (n % 1000) / 4,
    currency: 'EUR',
    lines: [
      { sku: `A-${n}`, qty: 1 + (n % 5), note: null },
      { sku: `B-${n}`, qty: 2, note: 'gift' },
    ],
    [`field${i}`]: i % 2 === 0 ? i + n : `v${n % 10}`,
  }
}

// The same 10,000 (schema, message) pairs for both sides.
const schemas = Array.from({ length: SCHEMAS }, (_, i) => schemaFor(i))
const messages = new Map() // description -> message
const contractTexts = []
const pairs = []
for (let c = 0; c < CONSUMERS; c++) {
  const expectations = []
  for (let k = 0; k < PER_CONSUMER; k++) {
    const n = c * PER_CONSUMER + k
    const i = n % SCHEMAS
    const description = `event ${n}`
    const message = messageFor(i, n)
    messages.set(description, message)
    pairs.push({ i, message })
    expectations.push({ description, channel: `events.${i}`, providerStates: [], payload: { schema: schemas[i], example: message } })
  }
  contractTexts.push(serializeContract({ treaty: '1', consumer: `consumer-${c}`, provider: 'bench-api', expectations }))
}
const total = pairs.length

// Raw ajv: compile once, validate in a loop.
const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true, logger: false, ownProperties: true })
addFormats(ajv)
const validators = schemas.map((s) => ajv.compile(s))
function rawRound() {
  let valid = 0
  for (const { i, message } of pairs) if (validators[i](message)) valid++
  if (valid !== total) throw new Error(`raw ajv: only ${valid} of ${total} messages valid`)
}

// Treaty: contracts as readContracts returns them (parsed from JSON, one schema object per expectation).
const contracts = contractTexts.map((text) => parseContract(JSON.parse(text)))
const producers = {}
// Trivial producers: the message for an expectation is the one raw ajv validates (`messages`).
for (let i = 0; i < SCHEMAS; i++) producers[`events.${i}`] = ({ expectation }) => ({ payload: messages.get(expectation.description) })
async function treatyRound() {
  const report = await verifyContracts({ provider: 'bench-api', contracts, producers })
  if (!report.success || report.summary.passed !== total) throw new Error(`treaty: ${JSON.stringify(report.summary)}`)
}

/** Rounds of both sides interleaved, so a noisy neighbour slows both alike; medians compared. */
async function measureBoth() {
  for (let w = 0; w < 3; w++) {
    rawRound() // warm-up: compile, JIT
    await treatyRound()
  }
  const raw = []
  const treaty = []
  for (let r = 0; r < ROUNDS; r++) {
    let start = process.hrtime.bigint()
    rawRound()
    raw.push(Number(process.hrtime.bigint() - start) / 1e6)
    start = process.hrtime.bigint()
    await treatyRound()
    treaty.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  const median = (times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]
  const summary = (times) => ({ median: median(times), perSecond: total / (median(times) / 1000) })
  return { raw: summary(raw), treaty: summary(treaty) }
}

const fmt = (n) => Math.round(n).toLocaleString('en-US')
console.log(
  `verify bench: ${fmt(total)} expectations over ${SCHEMAS} payload schemas, median of ${ROUNDS} interleaved rounds, node ${process.version}, ${availableParallelism()} CPUs`,
)
const { raw, treaty } = await measureBoth()
console.log(
  `  raw ajv (compiled once, validate in a loop)  ${fmt(raw.perSecond).padStart(10)} messages/s      ${raw.median.toFixed(2)} ms per 10k`,
)
console.log(
  `  treaty verifyContracts                       ${fmt(treaty.perSecond).padStart(10)} expectations/s  ${treaty.median.toFixed(2)} ms per 10k`,
)
const ratio = treaty.perSecond / raw.perSecond
const verdict = ratio >= 0.5 ? 'meets' : 'BELOW'
console.log(`  ratio treaty / raw ajv                       ${(ratio * 100).toFixed(1)}%  (${verdict} the target of >= 50%)`)

// From contract files on disk, with provider states, against pact-js. A child process, because pact's
// Rust verifier prints every interaction to stdout: only the summary is shown here.
const disk = spawnSync(process.execPath, [join(root, 'bench/verify/from-disk.mjs')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
})
if (disk.status !== 0) throw new Error(`bench/verify/from-disk.mjs failed (${disk.status}):\n${disk.stdout.slice(-4000)}`)
console.log(disk.stdout.slice(disk.stdout.indexOf('from contract files on disk')).trimEnd())
