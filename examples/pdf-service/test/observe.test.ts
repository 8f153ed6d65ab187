/**
 * Live conformance on the real system: `treaty observe`'s observer taps the 3-node cluster while pdf-api and
 * pdf-worker run. Correct services: zero mismatches. A worker started with a deliberate defect
 * (PDF_DEFECT=pdf.generated drops `sha256`): the observer names the consumer, version, channel and pointer
 * within 5 seconds of the message being on the wire. Killing the NATS node the observer is connected to does
 * not stop it.
 */
import { readContracts } from '@treaty/core'
import { natsTransport, type Observer, observe } from '@treaty/observe'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CONTRACTS_DIR } from '../src/contract/paths.js'
import { killNatsNode, natsUrls } from '../src/infra/nats-cluster.js'
import { sampleBody, startSystem, submit, type TestSystem, waitForStatus } from './harness.js'

let system: TestSystem
let observer: Observer | undefined
const stop = new AbortController()
let run: ReturnType<typeof observe>
let transport: Awaited<ReturnType<typeof natsTransport>>

beforeAll(async () => {
  system = await startSystem()
  const contracts = (await readContracts(CONTRACTS_DIR)).map((contract) => ({
    consumer: contract.consumer,
    consumerVersion: 'local',
    contract,
  }))
  transport = await natsTransport({ servers: natsUrls(system.state) })
  let ready: () => void = () => {}
  const subscribed = new Promise<void>((r) => (ready = r))
  run = observe({
    transport,
    contracts,
    subjects: ['pdf.>'],
    signal: stop.signal,
    onSubscribed: () => ready(),
    onObserver: (o) => (observer = o),
  })
  await subscribed
  await system.start('api')
}, 240_000)

afterAll(async () => {
  stop.abort()
  await run?.catch(() => undefined)
  await transport?.close()
  await system?.close()
}, 120_000)

describe('treaty observe beside pdf-service', () => {
  test('correct services: every message observed is accepted by every consumer', async () => {
    const worker = await system.start('worker')
    const jobs = await Promise.all([0, 1, 2].map((i) => submit(system.apiUrl, sampleBody(i))))
    for (const job of jobs) await waitForStatus(system.apiUrl, job.jobId!, 'done')
    const report = observer!.report()
    expect(report.channels.find((c) => c.channel === 'pdf.requested')!.accepted).toBeGreaterThanOrEqual(3)
    expect(report.channels.find((c) => c.channel === 'pdf.generated')!.accepted).toBeGreaterThanOrEqual(3)
    expect(report.mismatches).toEqual([])
    expect(report.notJson).toEqual([])
    await system.stop(worker)
  })

  test('the NATS node the observer is connected to is killed: it says so, reconnects, and its counts carry on', async () => {
    const server = transport.connection.info?.server_name
    const node = system.state.nats.find((n) => n.name === server)
    expect(node, `observer connected to ${server}`).toBeDefined()
    const before = observer!.report().channels.find((c) => c.channel === 'pdf.generated')!.accepted
    // The worker is running before the kill, as in production: its start-up creates JetStream consumers, which
    // cannot answer during the stream leader election the kill causes.
    const worker = await system.start('worker')
    killNatsNode(node!)
    // The api answers 503 without a leader (4.5–8.5 s in the chaos test); a client retries.
    let job = await submit(system.apiUrl, sampleBody(5))
    for (const until = Date.now() + 60_000; job.status !== 202 && Date.now() < until; job = await submit(system.apiUrl, sampleBody(5)))
      await new Promise((r) => setTimeout(r, 500))
    expect(job.status).toBe(202)
    await waitForStatus(system.apiUrl, job.jobId!, 'done')
    const until = Date.now() + 30_000
    while (observer!.report().channels.find((c) => c.channel === 'pdf.generated')!.accepted <= before && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100))
    }
    const report = observer!.report()
    expect(report.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['disconnected', 'reconnected']))
    expect(report.channels.find((c) => c.channel === 'pdf.generated')!.accepted).toBeGreaterThan(before)
    expect(report.mismatches).toEqual([])
    await system.stop(worker)
    // A stream leader election after the kill takes seconds (4.5–8.5 s measured in the chaos test), on top of the job.
  }, 120_000)

  test('a worker with a deliberate defect is reported within 5 s, naming consumer, version, channel and pointer', async () => {
    await system.start('worker', { PDF_DEFECT: 'pdf.generated' })
    const job = await submit(system.apiUrl, sampleBody(7))
    expect(job.status).toBe(202)
    const until = Date.now() + 60_000
    let seenAt: number | undefined
    while (Date.now() < until) {
      const finding = observer!.report().mismatches.find((m) => m.channel === 'pdf.generated')
      if (finding) {
        seenAt = Date.now()
        expect(finding).toMatchObject({ consumer: 'pdf-api', consumerVersion: 'local', channel: 'pdf.generated' })
        expect(finding.pointers.map((p) => p.pointer)).toContain('payload/sha256')
        // From the message's arrival on the wire (as the observer stamped it) to the report.
        expect(seenAt - Date.parse(finding.examples[0]!.at)).toBeLessThan(5_000)
        break
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(seenAt).toBeDefined()
    // The 5 s are asserted above, from the message's arrival; starting a worker takes longer on a busy machine.
  }, 120_000)
})
