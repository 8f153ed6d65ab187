/**
 * Bi-directional contract testing end to end: the provider publishes the schema its types allow
 * (`treaty verify --static --publish`, no producer code run, no replay), and the broker answers a consumer's
 * can-i-deploy from it — yes when compatible, no with the exact difference when the contract asks for more.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Broker, pdfRequestContract, startBroker } from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { treaty } from './treaty.js'

/** A contract requiring `required`; it only declares (and types) the fields it reads. */
function contract(required: string[]) {
  const types: Record<string, { type: string }> = { jobId: { type: 'string' }, title: { type: 'string' }, pages: { type: 'number' } }
  const properties = Object.fromEntries(required.map((f) => [f, types[f]!]))
  return pdfRequestContract({ type: 'object', required, properties }, { jobId: 'j-1', title: 't', pages: 1 })
}

describe('treaty verify --static --publish and a static can-i-deploy, against a real broker', () => {
  let broker: Broker
  // The broker's own start allows 180 s (PGlite's first start on a loaded machine); the hook must too.
  beforeAll(async () => {
    broker = await startBroker({ via: 'cli' })
  }, 200_000)
  afterAll(async () => {
    await broker?.stop()
  })

  it('answers yes for a compatible consumer and no, naming the field, when the new contract requires what the type lacks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-static-pipeline-'))
    const run = (args: string[]) => treaty(args, { cwd: dir, env: { TREATY_BROKER_URL: broker.url } })
    await writeFile(
      join(dir, 'producers.ts'),
      'export interface PdfRequested { jobId: string; pages: number }\n' +
        "export const producers = { 'pdf.requested': (): { payload: PdfRequested } => ({ payload: { jobId: 'j-9', pages: 2 } }) }\n",
    )
    const publishContract = async (version: string, required: string[]) => {
      const contracts = join(dir, `contracts-${version}`)
      await mkdir(contracts)
      await writeFile(join(contracts, 'pdf-worker--pdf-api.json'), JSON.stringify(contract(required)))
      const r = await run(['publish', contracts, '--app-version', version, '--branch', 'main'])
      expect(r.code, r.stdout + r.stderr).toBe(0)
    }

    expect((await run(['environment', 'create', 'production', '--production'])).code).toBe(0)
    await publishContract('1.0.0', ['jobId'])

    const published = await run([
      'verify',
      '--static',
      '--publish',
      '--service',
      'pdf-api',
      '--producers',
      'producers.ts',
      '--app-version',
      '2.0.0',
      '--branch',
      'main',
    ])
    expect(published.code, published.stdout + published.stderr).toBe(0)
    expect(published.stdout).toContain('published provider schema as pdf-api 2.0.0')
    // Another schema under the same version is refused: the report still shows, as a replay's does when its results are.
    await writeFile(join(dir, 'changed.ts'), (await readFile(join(dir, 'producers.ts'), 'utf8')).replace('pages: number', 'pages: string'))
    const staticArgs = ['verify', '--static', '--publish', '--service', 'pdf-api', '--app-version', '2.0.0', '--branch', 'main']
    const refused = await run([...staticArgs, '--producers', 'changed.ts'])
    expect(refused.code, refused.stdout + refused.stderr).toBe(2)
    expect(refused.stderr).toContain('pdf-api 2.0.0 already has a different provider schema')
    expect(refused.stdout).toContain('static: 1 passed, 0 failed (1 expectations)')
    const deployed = await run(['record-deployment', '--service', 'pdf-api', '--app-version', '2.0.0', '--environment', 'production'])
    expect(deployed.code, deployed.stderr).toBe(0)

    const yes = await run(['can-i-deploy', '--service', 'pdf-worker', '--app-version', '1.0.0', '--to', 'production', '--json'])
    expect(yes.code, yes.stdout + yes.stderr).toBe(0)
    expect(JSON.parse(yes.stdout).rows).toMatchObject([{ providerVersion: '2.0.0', status: 'verified', mode: 'static' }])

    await publishContract('1.1.0', ['jobId', 'title'])
    const no = await run(['can-i-deploy', '--service', 'pdf-worker', '--app-version', '1.1.0', '--to', 'production'])
    expect(no.code, no.stdout + no.stderr).toBe(1)
    expect(no.stdout).toContain(
      'pdf-worker 1.1.0 expects `pdf.requested`; pdf-api 2.0.0 (in production) publishes a schema that does not satisfy it: payload/title renamed or removed (producer sends `pages`)',
    )
  })
})
