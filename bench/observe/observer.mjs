// Observer throughput on one core, in one run: `npm run bench:observe` (builds first).
//
// One channel (`events.{tenant}.created`, a parameter), 5 consumers x 10 expectations each (one per event
// kind, so a consumer checks about 5.5 expectations per message before one accepts), 10-field events, 1% defective.
// Baseline, measured in the same run: decoding the same bytes (UTF-8 + JSON.parse), the least any observer
// does per message. Excludes the transport (messages are handed to Observer.handle in process; NATS/AMQP
// delivery is not measured) and the first compilation of the 50 validators (a warm-up pass).
// RSS is read after 1,000,000 messages: bounded memory means it does not grow with the message count.
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { contracts, event, median, spread } from './shared.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const { Observer } = await import(pathToFileURL(join(root, 'packages/observe/dist/index.js')).href)

const ROUNDS = Number(process.env.ROUNDS ?? 5)
const PER_ROUND = Number(process.env.MESSAGES ?? 200_000)
const TOTAL = 1_000_000
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })
// 1,000 distinct encoded messages, reused: building a million would measure the generator.
const messages = Array.from({ length: 1000 }, (_, n) => ({
  subject: `events.tenant-${n % 17}.created`,
  headers: {},
  payload: encoder.encode(JSON.stringify(event(n))),
  receivedAt: new Date(),
}))

function baseline(count) {
  let sink = 0
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < count; i++) sink += JSON.parse(decoder.decode(messages[i % 1000].payload)).amount > 0 ? 1 : 0
  const s = Number(process.hrtime.bigint() - t0) / 1e9
  return { rate: count / s, sink }
}

function observed(observer, count) {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < count; i++) observer.handle(messages[i % 1000])
  return count / (Number(process.hrtime.bigint() - t0) / 1e9)
}

const observer = new Observer(contracts())
observed(observer, 5_000) // warm-up: compiles the validators
const base = []
const rates = []
for (let r = 0; r < ROUNDS; r++) {
  base.push(baseline(PER_ROUND).rate)
  rates.push(observed(observer, PER_ROUND))
}
const ratios = rates.map((x, i) => x / base[i])
console.log(
  `observer: ${Math.round(median(rates)).toLocaleString('en')} msgs/s median over ${ROUNDS} rounds of ${PER_ROUND.toLocaleString('en')} (${spread(rates.map((x) => x / 1000))} k msgs/s)`,
)
console.log(
  `baseline (UTF-8 decode + JSON.parse): ${Math.round(median(base)).toLocaleString('en')} msgs/s; observer/baseline ${median(ratios).toFixed(3)} (${spread(ratios)})`,
)

const gc = globalThis.gc ?? (() => {})
const rss = []
const fresh = new Observer(contracts())
for (let done = 0; done < TOTAL; done += 100_000) {
  observed(fresh, 100_000)
  gc()
  rss.push(process.memoryUsage().rss / 1024 / 1024)
}
const report = fresh.report()
console.log(`RSS after each 100k of ${TOTAL.toLocaleString('en')} messages (MB): ${rss.map((x) => x.toFixed(0)).join(' ')}`)
console.log(
  `counted ${report.messages.toLocaleString('en')} messages, ${report.mismatches.reduce((n, m) => n + m.rejected, 0).toLocaleString('en')} rejections kept as ${report.mismatches.reduce((n, m) => n + m.examples.length, 0)} examples`,
)
