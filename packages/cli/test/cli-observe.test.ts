/**
 * `treaty observe` as an operator runs it: the built binary, a real broker over HTTP (in this process, in
 * memory: a broker process takes a minute to create its data dir on a loaded machine), a real nats-server.
 * Contracts of what is deployed come from the broker; the observations go back to it and can-i-deploy reads them.
 */

import { buildBroker, IN_MEMORY } from '@treaty/broker'
import { BrokerClient } from '@treaty/core'
import { type NatsTransport, natsTransport } from '@treaty/observe'
import { contractsProject, deployWorkerAndApi, encode, type NatsServer, startNatsServer, workerContract } from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Run, treaty } from './treaty.js'

let app: Awaited<ReturnType<typeof buildBroker>>
let broker: { url: string }
let nats: NatsServer
let pub: NatsTransport

beforeAll(async () => {
  app = await buildBroker({ dataDir: IN_MEMORY, logLevel: 'silent', webhooks: { enabled: false } })
  broker = { url: await app.listen({ port: 0, host: '127.0.0.1' }) }
  nats = await startNatsServer()
  pub = await natsTransport({ servers: nats.url })
  const client = new BrokerClient({ url: broker.url })
  await deployWorkerAndApi(client)
  // A broker process and a nats-server starting on a loaded CI machine.
}, 180_000)
afterAll(async () => {
  await pub?.close()
  await Promise.all([app?.close(), nats?.stop()])
})

/** Starts `treaty observe`, publishes once it says it is observing, and returns how it ended. */
async function observeWith(args: string[], send: () => Promise<void>): Promise<Run> {
  const run = treaty(['observe', '--broker-url', broker.url, '--nats', nats.url, ...args])
  const until = Date.now() + 20_000
  // The child prints "observing …" on stderr once its subscriptions are in place.
  while (!run.stderrSoFar().includes('observing ') && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
  await send()
  await pub.connection.flush()
  return run
}

describe('treaty observe', () => {
  it('names the deployed consumer version, channel and pointer a live message breaks, exits 1, and can-i-deploy then says no', async () => {
    const h = { 'Correlation-Id': 'c-1' }
    const result = await observeWith(
      ['--service', 'pdf-api', '--environment', 'production', '--max-messages', '2', '--duration', '20', '--fail-on-mismatch'],
      async () => {
        await pub.publish('pdf.requested', encode({ jobId: 'j-1', items: [{ qty: 1 }] }), h)
        await pub.publish('pdf.requested', encode({ jobId: 'j-2', items: [{}] }), h)
      },
    )
    expect(result.stdout).toContain(
      '✗ pdf-worker 1.4.0 (production) would reject pdf.requested: payload/items/0/qty missing (1 of 2 messages',
    )
    expect(result.code).toBe(1)

    const answer = await treaty([
      'can-i-deploy',
      '--broker-url',
      broker.url,
      '--service',
      'pdf-api',
      '--app-version',
      '2.0.0',
      '--to',
      'production',
    ])
    expect(answer.code).toBe(1)
    expect(answer.stdout).toContain('observed: live traffic of pdf-api 2.0.0 in production would break pdf-worker 1.4.0')
  })

  it('prints the report as JSON and exits 0 on clean traffic', async () => {
    const h = { 'Correlation-Id': 'c-2' }
    const result = await observeWith(
      [
        '--service',
        'pdf-api',
        '--environment',
        'production',
        '--max-messages',
        '1',
        '--duration',
        '20',
        '--json',
        '--no-publish',
        '--fail-on-mismatch',
      ],
      () => pub.publish('pdf.requested', encode({ jobId: 'j-3', items: [{ qty: 3 }] }), h),
    )
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ messages: 1, mismatches: [] })
  })

  it('refuses incomplete options with exit 2 and a hint naming the fix', async () => {
    const noService = await treaty(['observe', '--broker-url', broker.url, '--environment', 'production', '--nats', nats.url])
    expect([noService.code, noService.stderr]).toEqual([2, expect.stringContaining('--service')])
    const noTransport = await treaty(['observe', '--broker-url', broker.url, '--environment', 'production', '--all'])
    expect([noTransport.code, noTransport.stderr]).toEqual([2, expect.stringContaining('--nats')])
    const badSample = await treaty(['observe', '--all', '--environment', 'production', '--nats', nats.url, '--sample', '2'])
    expect(badSample.code).toBe(2)
    // --max-messages 0 never stopped (the count is compared after a message), --duration 0 stopped before observing.
    for (const [flag, value] of [
      ['--duration', '0'],
      ['--duration', '-5'],
      ['--max-messages', '0'],
      ['--max-messages', '1.5'],
    ]) {
      const args = ['observe', '--broker-url', broker.url, '--all', '--environment', 'production', '--nats', nats.url, flag!, value!]
      const run = await treaty(args, { timeoutMs: 15_000 })
      expect([run.code, run.stderr]).toEqual([2, expect.stringContaining(`${flag} ${value}`)])
    }
  })

  it('refuses a --subject that is no subject (a shell ate the > of pdf.>) with exit 2 instead of observing nothing until stopped', async () => {
    const project = await contractsProject([workerContract])
    const run = await treaty(
      ['observe', '--contracts', project.join('contracts'), '--nats', nats.url, '--subject', 'pdf.', '--no-publish'],
      {
        timeoutMs: 30_000,
      },
    )
    await project.remove()
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('--subject pdf.')])
    expect(run.stderr).toContain("'pdf.>'")
  })

  it('stops with exit 2 when the broker answers that the environment does not exist, instead of retrying it as an outage', async () => {
    const run = await treaty(
      ['observe', '--broker-url', broker.url, '--nats', nats.url, '--service', 'pdf-api', '--environment', 'prodution', '--duration', '20'],
      { timeoutMs: 15_000 },
    )
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('"prodution" does not exist')])
    expect(run.stderr).toContain('treaty environment create')
    expect(run.stdout).toBe('')
  })

  it('stops with exit 2 naming the closest service when the broker knows no service by the name given', async () => {
    const run = await treaty(
      [
        'observe',
        '--broker-url',
        broker.url,
        '--nats',
        nats.url,
        '--service',
        'pdf-apii',
        '--environment',
        'production',
        '--duration',
        '20',
      ],
      { timeoutMs: 15_000 },
    )
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('did you mean --service pdf-api?')])
  })

  it('does not print a check mark for a window in which no message was checked against a contract', async () => {
    const project = await contractsProject([workerContract])
    const run = await treaty(['observe', '--contracts', project.join('contracts'), '--nats', nats.url, '--duration', '1', '--no-publish'])
    await project.remove()
    expect(run.code).toBe(0)
    expect(run.stdout).not.toContain('✓')
    expect(run.stdout).toContain('no message was checked against a contract')
  })

  it('with a broker it never reached, --fail-on-mismatch exits 1 saying no contract was loaded, not to raise --duration', async () => {
    const unreachable = 'http://127.0.0.1:9'
    const args = ['observe', '--broker-url', unreachable, '--nats', nats.url, '--service', 'pdf-api', '--environment', 'production']
    const run = await treaty([...args, '--duration', '1', '--fail-on-mismatch', '--no-publish'])
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toContain(`error: no contract was loaded from the broker at ${unreachable}: the smoke test checked nothing`)
    expect(run.stderr).not.toContain('raise --duration')
  })

  it('refuses a --channel no contract has with exit 2, naming the channels the contracts have', async () => {
    const project = await contractsProject([workerContract])
    const args = ['observe', '--contracts', project.join('contracts'), '--nats', nats.url, '--channel', 'pdf.requsted', '--duration', '20']
    const run = await treaty([...args, '--no-publish'])
    await project.remove()
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('--channel pdf.requsted')])
    expect(run.stderr).toContain('pdf.requested, tenant.{id}.events')
  })
})
