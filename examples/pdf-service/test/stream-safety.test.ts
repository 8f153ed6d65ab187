/**
 * Proof 5: stream-aware deployment safety, against the real R3 JetStream cluster and a real broker.
 * `treaty channel sync` reads the cluster's stream configs; a pdf-api change that cannot read a
 * `pdf.generated` message an older pdf-worker left in PDF_EVENTS (kept 7 days) is refused by can-i-deploy
 * with that reason; `treaty impact` on a pdf-worker change names the pdf-api versions it breaks.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE_DIR, type LocalBroker, runPipeline, startLocalBroker } from '../src/pipeline/pipeline.js'
import { startSystem, type TestSystem } from './harness.js'

const TREATY_BIN = join(dirname(createRequire(import.meta.url).resolve('@treaty/cli/package.json')), 'dist/bin.js')

interface Run {
  code: number
  output: string
}

function treaty(brokerUrl: string, args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [TREATY_BIN, ...args], {
    cwd: EXAMPLE_DIR,
    env: { ...process.env, TREATY_BROKER_URL: brokerUrl, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  return new Promise((done) => child.on('close', (code) => done({ code: code ?? 1, output })))
}

type Schema = { required: string[]; properties: Record<string, unknown> }
type Producer = { key: string; channel?: string; payload: Schema; headers: unknown }

describe('stream-aware deployment safety on the real cluster', () => {
  let system: TestSystem
  let broker: LocalBroker
  let dir: string
  beforeAll(async () => {
    // One after the other: both are CPU-heavy to start, and each cleans up after itself when it fails.
    broker = await startLocalBroker()
    system = await startSystem()
    dir = await mkdtemp(join(tmpdir(), 'pdf-stream-safety-'))
  }, 480_000)
  afterAll(async () => {
    await broker?.stop()
    await system?.close()
  })

  it('syncs retention, refuses a consumer that cannot read retained messages, and names who a change breaks', {
    timeout: 400_000,
  }, async () => {
    const cli = (...args: string[]) => treaty(broker.url, args)
    // Both services at 1.0.0 in production, through the example's own pipeline.
    const first = await runPipeline({ brokerUrl: broker.url, version: '1.0.0', consumerTests: false })
    expect(first.ok, first.steps.map((s) => `${s.name}: ${s.code}\n${s.output}`).join('\n')).toBe(true)

    const sync = await cli('channel', 'sync', '--nats', ...system.env.NATS_URLS!.split(','))
    expect(sync.code, sync.output).toBe(0)
    expect(sync.output).toContain('pdf.requested (PDF_REQUESTS): workqueue (a message leaves once acknowledged)')
    expect(sync.output).toContain('pdf.generated (PDF_EVENTS): kept 7d')

    // pdf-worker 1.0.0's provider schema, derived from its types; 1.1.0 also sends `renderMs` and replaces it.
    const derived = await cli(
      'verify',
      '--static',
      '--service',
      'pdf-worker',
      '--producers',
      'src/contract/pdf-worker.producers.ts',
      '--app-version',
      '1.0.0',
      '--publish',
    )
    expect(derived.code, derived.output).toBe(0)
    const res = await fetch(`${broker.url}/api/providers/pdf-worker/schemas?version=1.0.0`)
    const producers = ((await res.json()) as { producers: Producer[] }).producers
    const withRenderMs = structuredClone(producers)
    for (const p of withRenderMs) {
      p.payload.properties.renderMs = { type: 'integer', minimum: 0 }
      p.payload.required.push('renderMs')
    }
    const published = await fetch(`${broker.url}/api/providers/pdf-worker/schemas`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ providerVersion: '1.1.0', branch: 'main', producers: withRenderMs }),
    })
    expect(published.status).toBe(201)
    expect((await cli('record-deployment', '--service', 'pdf-worker', '--app-version', '1.1.0', '--environment', 'production')).code).toBe(
      0,
    )

    // pdf-api 1.1.0 now requires renderMs: 1.1.0 sends it, but what 1.0.0 wrote is still in PDF_EVENTS.
    const contract = JSON.parse(await readFile(join(EXAMPLE_DIR, 'contracts/pdf-api--pdf-worker.json'), 'utf8'))
    const payload = contract.expectations[0].payload
    payload.schema.properties.renderMs = { type: 'integer', minimum: 0 }
    payload.schema.required.push('renderMs')
    payload.example.renderMs = 12
    await writeFile(join(dir, 'pdf-api--pdf-worker.json'), JSON.stringify(contract))
    expect((await cli('publish', dir, '--app-version', '1.1.0', '--branch', 'main')).code).toBe(0)

    const refused = await cli('can-i-deploy', '--service', 'pdf-api', '--app-version', '1.1.0', '--to', 'production')
    expect(refused.code, refused.output).toBe(1)
    expect(refused.output).toContain(
      'pdf-worker 1.0.0 was deployed in production until less than a minute ago; its messages can still be in PDF_EVENTS (pdf.generated, max age 7d): payload/renderMs renamed or removed (producer does not send it)',
    )
    expect(refused.output).toContain('pdf-worker 1.1.0 (in production) publishes a schema that satisfies the contract of pdf-api 1.1.0')

    // A pdf-worker change that stops sending sha256 breaks pdf-api 1.1.0 (main branch) and 1.0.0 (deployed).
    const withoutSha = structuredClone(withRenderMs)
    for (const p of withoutSha) {
      delete p.payload.properties.sha256
      p.payload.required = p.payload.required.filter((f) => f !== 'sha256')
    }
    await writeFile(join(dir, 'worker-schema.json'), JSON.stringify({ producers: withoutSha }))
    const impact = await cli('impact', '--service', 'pdf-worker', '--schema', join(dir, 'worker-schema.json'))
    expect(impact.code, impact.output).toBe(1)
    expect(impact.output).toContain(
      'removes or makes optional payload/sha256 on pdf.generated: breaks pdf-api 1.1.0 (main branch) and pdf-api 1.0.0 (production)',
    )
    const markdown = await cli('impact', '--service', 'pdf-worker', '--schema', join(dir, 'worker-schema.json'), '--markdown')
    expect(markdown.output).toContain('| `payload/sha256` | `pdf.generated` | removes or makes optional |')
  })
})
