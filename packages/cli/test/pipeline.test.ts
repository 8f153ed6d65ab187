/**
 * The CI flow end to end, as pipelines run it: the built `treaty` binary against a real broker process.
 * consumer publishes → provider verifies and publishes results → can-i-deploy → record-deployment.
 */
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Broker, pdfRequestContract, startBroker } from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { treaty } from './treaty.js'

const TOKENS = {
  TREATY_READ_TOKEN: 'read-token-0123456789',
  TREATY_WRITE_TOKEN: 'write-token-0123456789',
  TREATY_ADMIN_TOKEN: 'admin-token-0123456789',
}

function contract(required: string[]) {
  return pdfRequestContract(
    { type: 'object', required, properties: { jobId: { type: 'string' }, title: { type: 'string' }, pages: { type: 'integer' } } },
    { jobId: 'j-1', title: 't', pages: 1 },
  )
}

async function consumerRepo(
  branch = 'main',
  names: { consumer: string; provider: string } = { consumer: 'pdf-worker', provider: 'pdf-api' },
): Promise<{ dir: string; sha: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-consumer-'))
  await mkdir(join(dir, 'contracts'))
  const file = `contracts/${names.consumer}--${names.provider}.json`
  await writeFile(join(dir, file), JSON.stringify({ ...contract(['jobId', 'title']), ...names }))
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim()
  git('init', '-q', '-b', branch)
  git('add', '.')
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'contracts')
  return { dir, sha: git('rev-parse', 'HEAD') }
}

async function providerDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-provider-'))
  await writeFile(
    join(dir, 'producers.ts'),
    "export const producers = { 'pdf.requested': () => ({ payload: { jobId: 'j-9', title: 'Invoice 9', pages: 2 } }) }\n",
  )
  // The breaking change: `title` renamed to `name`.
  await writeFile(
    join(dir, 'broken.ts'),
    "export const producers = { 'pdf.requested': () => ({ payload: { jobId: 'j-9', name: 'Invoice 9', pages: 2 } }) }\n",
  )
  return dir
}

// About fifteen CLI runs as child processes: on a loaded machine that is slow, not wrong (as in cli-gate).
describe('treaty in a pipeline, against a real broker', { timeout: 180_000 }, () => {
  let broker: Broker
  const env = (token = 'admin-token-0123456789') => ({ TREATY_BROKER_URL: broker.url, TREATY_TOKEN: token })

  // The broker's own start allows 180 s (PGlite's first start on a loaded machine); the hook must too.
  beforeAll(async () => {
    broker = await startBroker({ via: 'cli', env: TOKENS })
  }, 200_000)
  afterAll(async () => {
    await broker?.stop()
  })

  it('runs publish → verify → can-i-deploy → record-deployment with honest exit codes', async () => {
    const consumer = await consumerRepo()
    const provider = await providerDir()
    const run = (args: string[], cwd: string, token?: string) => treaty(args, { cwd, env: env(token) })

    // Rejected credentials: exit 3, naming what to set.
    const noToken = await treaty(['publish', 'contracts'], { cwd: consumer.dir, env: { TREATY_BROKER_URL: broker.url } })
    expect(noToken.code).toBe(3)
    expect(noToken.stderr).toContain('hint: set --token or TREATY_TOKEN')
    const readOnly = await run(['publish', 'contracts'], consumer.dir, 'read-token-0123456789')
    expect(readOnly.code).toBe(3)
    expect(readOnly.stderr).toContain('(403)')

    expect((await run(['environment', 'create', 'production', '--production'], consumer.dir)).code).toBe(0)

    // Publish with no flags: version and branch from git.
    const published = await run(['publish', 'contracts', '--json'], consumer.dir, 'write-token-0123456789')
    expect(published.code, published.stderr).toBe(0)
    expect(JSON.parse(published.stdout)).toMatchObject({ version: consumer.sha, branch: 'main' })

    // pdf-api 1.0.0 is known to the broker (as a consumer of pdf-archive): deployments of versions it never saw are refused.
    await mkdir(join(provider, 'own-contracts'))
    const own = { ...contract(['jobId']), consumer: 'pdf-api', provider: 'pdf-archive' }
    await writeFile(join(provider, 'own-contracts/pdf-api--pdf-archive.json'), JSON.stringify(own))
    const ownPublished = await run(
      ['publish', 'own-contracts', '--app-version', '1.0.0', '--branch', 'main'],
      provider,
      'write-token-0123456789',
    )
    expect(ownPublished.code, ownPublished.stderr).toBe(0)

    // Before verification: pdf-api 1.0.0 runs in production and never verified this contract: no.
    const deployApi = await run(
      ['record-deployment', '--service', 'pdf-api', '--app-version', '1.0.0', '--environment', 'production'],
      provider,
      'write-token-0123456789',
    )
    expect(deployApi.code, deployApi.stderr).toBe(0)
    const canWorker = ['can-i-deploy', '--service', 'pdf-worker', '--app-version', consumer.sha, '--to', 'production']
    const before = await run([...canWorker, '--retry-while-unknown', '1', '--retry-interval', '0.2'], consumer.dir)
    expect(before.code, before.stdout + before.stderr).toBe(1)
    expect(before.stderr).toContain('asking again (1/1)')
    expect(before.stdout).toContain('cannot be deployed to production')
    expect(before.stdout).toContain('pdf-api 1.0.0')

    const verified = await run(
      ['verify', '--service', 'pdf-api', '--producers', 'producers.ts', '--app-version', '1.0.0', '--branch', 'main', '--publish'],
      provider,
      'write-token-0123456789',
    )
    expect(verified.code, verified.stdout + verified.stderr).toBe(0)
    expect(verified.stdout).toContain('published results as pdf-api 1.0.0')

    const after = await run([...canWorker, '--json'], consumer.dir)
    expect(after.code, after.stdout).toBe(0)
    expect(JSON.parse(after.stdout).deployable).toBe(true)

    // A breaking producer change: verify fails with the field named, and publishes the failure.
    const broken = await run(
      ['verify', '--service', 'pdf-api', '--producers', 'broken.ts', '--app-version', '1.1.0', '--branch', 'main', '--publish'],
      provider,
      'write-token-0123456789',
    )
    expect(broken.code).toBe(1)
    expect(broken.stdout).toContain('title')

    // record-deployment changes the answer for the other side: with no consumer in production the broken
    // provider breaks nothing there; once pdf-worker is recorded there, it is refused with the reason.
    const canApi = ['can-i-deploy', '--service', 'pdf-api', '--app-version', '1.1.0', '--to', 'production']
    expect((await run(canApi, provider)).code).toBe(0)
    const deployWorker = await run(
      ['record-deployment', '--service', 'pdf-worker', '--app-version', consumer.sha, '--environment', 'production'],
      consumer.dir,
      'write-token-0123456789',
    )
    expect(deployWorker.code, deployWorker.stderr).toBe(0)
    const refused = await run(canApi, provider)
    expect(refused.code, refused.stdout).toBe(1)
    expect(refused.stdout).toContain(`pdf-worker ${consumer.sha}`)
    expect(refused.stdout).toMatch(/failed/)

    // The deployed consumer's contract cannot be replaced under its version, even by an admin with --overwrite:
    // can-i-deploy would then judge pdf-api 1.1.0 against a contract the running pdf-worker does not hold.
    const file = join(consumer.dir, 'contracts/pdf-worker--pdf-api.json')
    await writeFile(file, JSON.stringify({ ...contract(['jobId']), consumer: 'pdf-worker', provider: 'pdf-api' }))
    const overwrite = await run(['publish', 'contracts', '--app-version', consumer.sha, '--overwrite'], consumer.dir)
    expect(overwrite.code, overwrite.stderr).toBe(2)
    expect(overwrite.stderr).toContain(`pdf-worker ${consumer.sha} deployed in production`)
    expect(overwrite.stderr).toContain('hint: publish the change under a new version')
    expect(overwrite.stderr).toContain('treaty record-undeployment --service pdf-worker --environment production')
    expect((await run(canApi, provider)).code).toBe(1)

    // A provider nobody consumes yet: nothing to verify or publish, a warning and exit 0.
    const lonely = await run(
      ['verify', '--service', 'billing', '--producers', 'producers.ts', '--app-version', '1.0.0', '--publish'],
      provider,
      'write-token-0123456789',
    )
    expect(lonely.code, lonely.stderr).toBe(0)
    expect(lonely.stderr).toContain('no contracts to verify for billing')

    // Selectors that pick nothing of what is published (a mistyped branch): the contracts left out are named.
    const typo = await run(['verify', '--service', 'pdf-api', '--producers', 'producers.ts', '--selector', 'branch=mian'], provider)
    expect(typo.code, typo.stderr).toBe(0)
    expect(typo.stderr).toContain(`pdf-worker ${consumer.sha} (on its main branch, main); check --selector`)

    // An unknown version is a usage error (exit 2), not a silent "no".
    const unknown = await run(['can-i-deploy', '--service', 'pdf-api', '--app-version', '9.9.9', '--to', 'production'], provider)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('error: broker: pdf-api 9.9.9 is not known to the broker')
  })
  it('names the contracts the selectors left out when there are some: a consumer publishing from master, its main branch main', async () => {
    const consumer = await consumerRepo('master', { consumer: 'report-worker', provider: 'report-api' })
    const provider = await providerDir()
    const published = await treaty(['publish', 'contracts'], { cwd: consumer.dir, env: env('write-token-0123456789') })
    expect(published.code, published.stderr).toBe(0)
    const verified = await treaty(['verify', '--service', 'report-api', '--producers', 'producers.ts'], { cwd: provider, env: env() })
    expect(verified.code, verified.stderr).toBe(0)
    expect(verified.stderr).toContain('no contracts to verify for report-api')
    expect(verified.stderr).toContain(
      `warning: the selectors picked none of the contracts published for report-api: report-worker ${consumer.sha} (branch master; its main branch is main)`,
    )
  })
})
