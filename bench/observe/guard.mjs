// Guard overhead per message against the bare publish, in one run: `npm run bench:guard` (builds first).
//
// A real nats-server (started here on a free loopback port, stopped by PID), one connection. Bare: JSON.stringify
// + encode + nc.publish of a 10-field event. Guarded: the same through guardNats (reject mode) with the
// contracts of 5 consumers x 10 expectations on the channel. Reported: the per-message difference (target
// <= 10 µs). Excludes the network round trip (publish is buffered; a flush per chunk of 1000 is included in both).
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { contracts, event, median, spread } from './shared.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const { Guard, guardNats, natsTransport } = await import(pathToFileURL(join(root, 'packages/observe/dist/index.js')).href)

const ROUNDS = Number(process.env.ROUNDS ?? 7)
const PER_ROUND = Number(process.env.MESSAGES ?? 50_000)

const port = await new Promise((resolve) => {
  const s = createServer()
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port
    s.close(() => resolve(p))
  })
})
const server = spawn(process.env.NATS_SERVER ?? '/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' })
try {
  let transport
  for (let i = 0; i < 100 && !transport; i++) {
    transport = await natsTransport({ servers: `nats://127.0.0.1:${port}` }).catch(() => undefined)
    if (!transport) await new Promise((r) => setTimeout(r, 100))
  }
  const nc = transport.connection
  const encoder = new TextEncoder()
  // Valid events only: a rejected message is not published, which would flatter the guard.
  const events = Array.from({ length: 1000 }, (_, n) => event(n * 100 + 1))
  const subject = (n) => `events.tenant-${n % 17}.created`
  const guarded = guardNats(nc, new Guard({ contracts: contracts(), mode: 'reject', onViolation: () => {} }))
  // The guard must be checking: a defective event (event(0) lacks lines[0].qty) is refused.
  let refused = false
  try {
    guarded.publish(subject(0), event(0))
  } catch {
    refused = true
  }
  if (!refused) throw new Error('the guard let a defective event through: the benchmark would measure nothing')

  async function bare(count) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < count; i++) nc.publish(subject(i), encoder.encode(JSON.stringify(events[i % 1000])))
    await nc.flush()
    return Number(process.hrtime.bigint() - t0) / count / 1000
  }
  async function withGuard(count) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < count; i++) guarded.publish(subject(i), events[i % 1000])
    await nc.flush()
    return Number(process.hrtime.bigint() - t0) / count / 1000
  }
  await bare(5000)
  await withGuard(5000)
  // Interleaved in chunks, alternating which goes first: a load spike on a shared machine then falls on both sides.
  const CHUNK = 1000
  const b = []
  const g = []
  for (let r = 0; r < ROUNDS; r++) {
    let sb = 0
    let sg = 0
    for (let k = 0; k < PER_ROUND / CHUNK; k++) {
      if (k % 2 === 0) {
        sb += await bare(CHUNK)
        sg += await withGuard(CHUNK)
      } else {
        sg += await withGuard(CHUNK)
        sb += await bare(CHUNK)
      }
    }
    b.push(sb / (PER_ROUND / CHUNK))
    g.push(sg / (PER_ROUND / CHUNK))
  }
  const overhead = g.map((x, i) => x - b[i])
  console.log(`bare publish: ${median(b).toFixed(2)} µs/msg (${spread(b)}); guarded: ${median(g).toFixed(2)} µs/msg (${spread(g)})`)
  console.log(
    `guard overhead: ${median(overhead).toFixed(2)} µs per message, median of ${ROUNDS} rounds of ${PER_ROUND.toLocaleString('en')} (${spread(overhead)}); target <= 10 µs`,
  )
  await transport.close()
} finally {
  server.kill('SIGTERM')
}
