/**
 * "The gate never lies": every command in the CLI's table parses and validates its whole command line
 * before it acts. A mistaken invocation exits 2 and sends nothing to the broker, counted by a proxy in
 * front of a real broker process. Iterates the exported `commands` table, so new commands are covered.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Broker, contractsProject, freePort, pdfRequestContract, startBroker, tempDir } from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commands } from '../src/cli.js'
import { type CountingServer, countingProxy, fixedServer } from './counting-proxy.js'
import { treaty } from './treaty.js'

/** A command line that is valid for each command, so the only mistake in a test is the one it adds. */
const VALID: Record<string, string[]> = {
  publish: ['publish', 'contracts', '--app-version', '1.0.0'],
  verify: ['verify', '--service', 'pdf-api', '--producers', 'producers.mjs', '--app-version', '1.0.0', '--publish'],
  'can-i-deploy': ['can-i-deploy', '--service', 'pdf-worker', '--app-version', '1.0.0', '--to', 'production'],
  'record-deployment': ['record-deployment', '--service', 'pdf-worker', '--app-version', '1.0.0', '--environment', 'production'],
  'record-undeployment': ['record-undeployment', '--service', 'pdf-worker', '--environment', 'production'],
  'record-release': ['record-release', '--service', 'pdf-worker', '--app-version', '1.0.0', '--environment', 'production'],
  'record-support-ended': ['record-support-ended', '--service', 'pdf-worker', '--app-version', '1.0.0', '--environment', 'production'],
  environment: ['environment', 'create', 'staging'],
  version: ['version', 'create', '--service', 'pdf-api', '--app-version', '2.0.0', '--branch', 'main'],
  delete: ['delete', 'version', 'pdf-worker', '1.0.0', '--yes'],
  codegen: ['codegen', 'contracts', '--out', 'gen'],
  compat: ['compat', 'contracts/pdf-worker--pdf-api.json', 'contracts/pdf-worker--pdf-api.json'],
  broker: ['broker', '--port', '0', '--data-dir', 'broker-data'],
  config: ['config'],
  channel: ['channel', 'set', 'pdf.requested', '--max-age', '7d'],
  export: ['export', 'pact', '--out', 'pacts'],
  contracts: ['contracts', 'prune', '--dry-run'],
  service: ['service', 'set', 'pdf-worker', '--main-branch', 'main'],
}

/** Commands that talk to the broker, with a valid command line each (exit codes 2 and 3 apply to them). */
const BROKER_COMMANDS = [
  'publish',
  'verify',
  'can-i-deploy',
  'record-deployment',
  'record-undeployment',
  'record-release',
  'record-support-ended',
  'environment',
  'version',
  'delete',
  'service',
]

function commandName(command: unknown): string {
  return String(command).split(' ')[0]!
}

/** A command line for any command in the table: the known-valid one, else its required positionals filled in. */
function validArgs(command: unknown): string[] {
  const [name, ...rest] = String(command).split(' ')
  return VALID[name!] ?? [name!, ...rest.filter((w) => w.startsWith('<')).map(() => 'x')]
}

// Each test runs the CLI a few times as a child process; on a loaded machine that is slow, not wrong.
describe('treaty: parse, validate, then act', { timeout: 180_000 }, () => {
  let broker: Broker
  let proxy: CountingServer
  let dir: string
  const env = () => ({ TREATY_BROKER_URL: proxy.url, TREATY_TOKEN: 'admin-token-0123456789' })

  beforeAll(async () => {
    broker = await startBroker({ via: 'cli', env: { TREATY_ADMIN_TOKEN: 'admin-token-0123456789' } })
    proxy = await countingProxy(broker.url)
    dir = (await contractsProject()).path
    await writeFile(join(dir, 'producers.mjs'), "export const producers = { 'pdf.requested': () => ({ payload: { jobId: 'j' } }) }\n")
  }, 150_000)

  afterAll(async () => {
    await proxy?.close()
    await broker?.stop()
  })

  const names = commands.map((c) => commandName(c.command))

  it.each(names)('%s with an unknown option exits 2, names the option and sends nothing', async (name) => {
    const command = commands.find((c) => commandName(c.command) === name)!.command
    const before = proxy.requests.length
    const r = await treaty([...validArgs(command), '--frobnicate'], { cwd: dir, env: env(), timeoutMs: 20_000 })
    expect(r.code, r.stdout + r.stderr).toBe(2)
    expect(r.stderr).toContain('--frobnicate')
    expect(r.stderr).toContain('usage: treaty')
    expect(proxy.requests.slice(before)).toEqual([])
  })

  it.each(names)('%s --version exits 2 pointing at --app-version, and sends nothing', async (name) => {
    const command = commands.find((c) => commandName(c.command) === name)!.command
    const before = proxy.requests.length
    const r = await treaty([...validArgs(command), '--version'], { cwd: dir, env: env(), timeoutMs: 20_000 })
    expect(r.code, r.stdout + r.stderr).toBe(2)
    expect(r.stderr).toContain('--app-version')
    expect(r.stdout).not.toMatch(/^\d+\.\d+\.\d+/)
    expect(proxy.requests.slice(before)).toEqual([])
  })

  it('record-deployment --dry-rn does not record the deployment (issue: it did, then failed)', async () => {
    const before = proxy.requests.length
    const r = await treaty([...VALID['record-deployment']!, '--dry-rn'], { cwd: dir, env: env() })
    expect(r.code).toBe(2)
    expect(r.stdout).not.toContain('recorded')
    expect(r.stderr).toContain('did you mean --dry-run')
    expect(proxy.requests.slice(before)).toEqual([])
  })

  it('an option given twice with different values exits 2 naming both, and sends nothing', async () => {
    const before = proxy.requests.length
    for (const args of [
      [...VALID['can-i-deploy']!, '--to', 'staging'],
      [...VALID['can-i-deploy']!, '--to=staging'],
      [...VALID['record-deployment']!, '--app-version', '0.9.0'],
      [...VALID['can-i-deploy']!, '--broker-url', proxy.url, '--broker-url', broker.url],
    ]) {
      const r = await treaty(args, { cwd: dir, env: env() })
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(2)
      expect(r.stderr).toMatch(/--(to|app-version|broker-url) is given twice/)
      expect(r.stdout).not.toContain('can be deployed')
    }
    expect(proxy.requests.slice(before)).toEqual([])
  })

  it('verify --contracts with --selector or --include-wip-since (which only pick from the broker) exits 2, sending nothing', async () => {
    const before = proxy.requests.length
    for (const flags of [
      ['--selector', 'deployed=production'],
      ['--include-wip-since', '2026-01-01'],
    ]) {
      const r = await treaty(['verify', '--service', 'pdf-api', '--producers', 'producers.mjs', '--contracts', 'contracts', ...flags], {
        cwd: dir,
        env: env(),
      })
      expect(r.code, r.stdout + r.stderr).toBe(2)
      expect(r.stderr).toContain(`${flags[0]} cannot be used with --contracts`)
    }
    expect(proxy.requests.slice(before)).toEqual([])
  })

  it('publish with Pact spellings (--consumer-app-version, -v) exits 2 before publishing, suggesting --app-version', async () => {
    const before = proxy.requests.length
    for (const flags of [
      ['--consumer-app-version', '1.2.3'],
      ['-v', '1.2.3'],
    ]) {
      const r = await treaty(['publish', 'contracts', ...flags], { cwd: dir, env: env() })
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('--app-version')
    }
    expect(proxy.requests.slice(before)).toEqual([])
  })

  it('--dry-run prints exactly the request publish and record-deployment would send, and sends nothing', async () => {
    const before = proxy.requests.length
    const pub = await treaty([...VALID.publish!, '--dry-run', '--json'], { cwd: dir, env: env() })
    expect(pub.code, pub.stderr).toBe(0)
    const planned = JSON.parse(pub.stdout)
    expect(planned.requests).toMatchObject([
      {
        method: 'POST',
        url: `${proxy.url}/api/contracts`,
        body: { consumer: 'pdf-worker', version: '1.0.0', contracts: [pdfRequestContract()] },
      },
    ])
    const rec = await treaty([...VALID['record-deployment']!, '--dry-run'], { cwd: dir, env: env() })
    expect(rec.code, rec.stderr).toBe(0)
    expect(rec.stdout).toContain(`POST ${proxy.url}/api/environments/production/deployments`)
    expect(rec.stdout).toContain('"service": "pdf-worker"')
    expect(proxy.requests.slice(before)).toEqual([])
  })

  it('verify --publish --dry-run reads contracts from the broker but publishes nothing', async () => {
    const before = proxy.requests.length
    const r = await treaty([...VALID.verify!, '--dry-run'], { cwd: dir, env: env() })
    expect(r.code, r.stderr).toBe(0)
    // Reads only (contracts for verification, the service list for a did-you-mean); no results published.
    const sent = proxy.requests.slice(before)
    expect(sent.filter((req) => req.startsWith('GET ') || req.includes('contracts-for-verification'))).toEqual(sent)
    const without = await treaty(['verify', '--service', 'pdf-api', '--producers', 'producers.mjs', '--dry-run'], { cwd: dir, env: env() })
    expect(without.code).toBe(2)
  })

  describe('no phantom data, hints that name commands', () => {
    beforeAll(async () => {
      const pub = await treaty(['publish', 'contracts', '--app-version', '1.0.0', '--branch', 'main'], { cwd: dir, env: env() })
      expect(pub.code, pub.stderr).toBe(0)
      expect((await treaty(['environment', 'create', 'production', '--production'], { cwd: dir, env: env() })).code).toBe(0)
    }, 60_000)

    it('record-deployment of a service the broker never saw exits 2 with did-you-mean and creates nothing', async () => {
      const r = await treaty(['record-deployment', '--service', 'pdf-worke', '--app-version', '1.0.0', '--environment', 'production'], {
        cwd: dir,
        env: env(),
      })
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain('did you mean "pdf-worker"?')
      const phantom = await fetch(`${broker.url}/api/services/pdf-worke`, { headers: { authorization: 'Bearer admin-token-0123456789' } })
      expect(phantom.status).toBe(404)
      const version = await treaty(
        ['record-deployment', '--service', 'pdf-worker', '--app-version', '1.0.1', '--environment', 'production'],
        {
          cwd: dir,
          env: env(),
        },
      )
      expect(version.code).toBe(2)
      expect(version.stderr).toContain('did you mean "1.0.0"?')
    })

    it('a provider nobody consumes yet records its deployment after treaty version create (idempotent, validated)', async () => {
      const run = (args: string[]) => treaty(args, { cwd: dir, env: env() })
      const deploy = ['record-deployment', '--service', 'pdf-notifier', '--app-version', '3.1.0', '--environment', 'production']
      const refused = await run(deploy)
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain('treaty version create --service pdf-notifier --app-version <version>')
      const before = proxy.requests.length
      const dry = await run(['version', 'create', '--service', 'pdf-notifier', '--app-version', '3.1.0', '--dry-run'])
      expect(dry.code, dry.stderr).toBe(0)
      expect(dry.stdout).toContain(`PUT ${proxy.url}/api/services/pdf-notifier/versions/3.1.0`)
      const bad = await run(['version', 'create', '--service', 'pdf..notifier', '--app-version', '3.1.0'])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain('name')
      expect(proxy.requests.slice(before).filter((r) => !r.startsWith('PUT /api/services/pdf..notifier'))).toEqual([])
      const created = await run(['version', 'create', '--service', 'pdf-notifier', '--app-version', '3.1.0', '--branch', 'main'])
      expect(created.code, created.stderr).toBe(0)
      expect(created.stdout).toContain('pdf-notifier 3.1.0 registered (branches: main)')
      const again = await run(['version', 'create', '--service', 'pdf-notifier', '--app-version', '3.1.0', '--branch', 'main', '--json'])
      expect(JSON.parse(again.stdout)).toEqual({ service: 'pdf-notifier', version: '3.1.0', branches: ['main'], changed: false })
      const deployed = await run(deploy)
      expect(deployed.code, deployed.stderr).toBe(0)
      const unknownVersion = await run([...deploy.slice(0, 4), '3.2.0', ...deploy.slice(5)])
      expect(unknownVersion.code).toBe(2)
      expect(unknownVersion.stderr).toContain('treaty version create --service pdf-notifier --app-version 3.2.0')
    })

    it('records a release and its end of support, and an undeployment; --dry-run sends none of them', async () => {
      const run = (args: string[]) => treaty(args, { cwd: dir, env: env() })
      const before = proxy.requests.length
      for (const name of ['record-release', 'record-support-ended', 'record-undeployment'])
        expect((await run([...VALID[name]!, '--dry-run'])).code).toBe(0)
      expect(proxy.requests.slice(before)).toEqual([])
      const released = await run(VALID['record-release']!)
      expect(released.code, released.stderr).toBe(0)
      expect(released.stdout).toContain('released to production')
      expect((await run(VALID['record-support-ended']!)).code).toBe(0)
      expect((await run(VALID['record-deployment']!)).code).toBe(0)
      expect((await run(VALID['record-undeployment']!)).code).toBe(0)
      const again = await run(VALID['record-undeployment']!)
      expect(again.code).toBe(2)
      expect(again.stderr).toContain('treaty record-deployment')
    })

    it('verify for a provider name the broker does not know warns with did-you-mean', async () => {
      const r = await treaty(['verify', '--service', 'pdf-ap', '--producers', 'producers.mjs'], { cwd: dir, env: env() })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toContain('did you mean --service pdf-api?')
    })

    it('can-i-deploy to an environment nobody created hints the command that creates it', async () => {
      const r = await treaty(['can-i-deploy', '--service', 'pdf-worker', '--app-version', '1.0.0', '--to', 'qa'], { cwd: dir, env: env() })
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('treaty environment create qa')
      expect(r.stderr).not.toContain('PUT /api')
    })

    it('verify with a selector naming a consumer or consumer version the broker never saw exits 2 with did-you-mean', async () => {
      const verify = (selector: string) =>
        treaty(['verify', '--service', 'pdf-api', '--producers', 'producers.mjs', '--selector', selector], { cwd: dir, env: env() })
      for (const [selector, hint] of [
        ['consumer=pdf-workr@1.0.0', 'did you mean "pdf-worker"?'],
        ['latest=pdf-workr', 'did you mean "pdf-worker"?'],
        ['consumer=pdf-worker@1.0.9', 'did you mean "1.0.0"?'],
      ] as const) {
        const r = await verify(selector)
        expect(r.code, `${selector}: ${r.stdout}${r.stderr}`).toBe(2)
        expect(r.stderr).toContain(hint)
        expect(r.stderr).toContain('selectors[0]')
      }
      const known = await verify('consumer=pdf-worker@1.0.0')
      expect(known.code, known.stderr).toBe(0)
      expect(known.stdout).toContain('1 passed')
    })

    it('an environment named like an existing one but for case is refused, so can-i-deploy cannot ask an empty twin', async () => {
      const twin = await treaty(['environment', 'create', 'Production', '--production'], { cwd: dir, env: env() })
      expect(twin.code, twin.stdout + twin.stderr).toBe(2)
      expect(twin.stderr).toContain('"production"')
      const gate = await treaty(['can-i-deploy', '--service', 'pdf-worker', '--app-version', '1.0.0', '--to', 'Production'], {
        cwd: dir,
        env: env(),
      })
      expect(gate.code, gate.stdout + gate.stderr).toBe(2)
      expect(gate.stderr).toContain('did you mean "production"?')
      // The same name again stays an update.
      expect((await treaty(['environment', 'create', 'production', '--production'], { cwd: dir, env: env() })).code).toBe(0)
    })

    it('--include-wip-since takes a plain date; a non-date exits 2 before asking the broker', async () => {
      const args = ['verify', '--service', 'pdf-api', '--producers', 'producers.mjs', '--branch', 'feat']
      const ok = await treaty([...args, '--include-wip-since', '2026-01-01'], { cwd: dir, env: env() })
      expect(ok.code, ok.stderr).toBe(0)
      const before = proxy.requests.length
      const bad = await treaty([...args, '--include-wip-since', 'last tuesday'], { cwd: dir, env: env() })
      expect(bad.code).toBe(2)
      expect(proxy.requests.slice(before)).toEqual([])
    })
  })

  it('delete without --yes exits 2 and sends nothing; a mistyped subcommand gets a did-you-mean', async () => {
    const before = proxy.requests.length
    const r = await treaty(['delete', 'service', 'pdf-worker'], { cwd: dir, env: env() })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--yes')
    const typo = await treaty(['delete', 'servic', 'pdf-worker', '--yes'], { cwd: dir, env: env() })
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('did you mean "treaty delete service"?')
    expect(proxy.requests.slice(before)).toEqual([])
  })

  it('a mistyped command suggests the command', async () => {
    const r = await treaty(['verfy', '--service', 'pdf-api'], { cwd: dir, env: env() })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown command "verfy"')
    expect(r.stderr).toContain('did you mean "treaty verify"?')
  })

  it('treaty --version prints the version at the top level only', async () => {
    const r = await treaty(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('can-i-deploy exits 3, never 0, when a 200 answer is JSON but not a can-i-deploy decision', async () => {
    const failed = { consumer: 'pdf-worker', consumerVersion: '1.0.0', provider: 'pdf-api', providerVersion: '2.0.0', status: 'failed' }
    for (const body of [
      '{"deployable":"false","reasons":[],"rows":[]}',
      '{"deployable":1,"reasons":[],"rows":[]}',
      '{"status":"ok"}',
      '[]',
      'null',
      '',
      JSON.stringify({ deployable: true, reasons: [], rows: [failed] }),
    ]) {
      const server = await fixedServer(200, 'application/json', body)
      try {
        const r = await treaty([...VALID['can-i-deploy']!, '--broker-url', server.url], { cwd: dir })
        expect(r.code, `${body}: ${r.stdout}${r.stderr}`).toBe(3)
        expect(r.stdout).not.toContain('can be deployed')
        expect(r.stderr).toContain('not a can-i-deploy answer')
      } finally {
        await server.close()
      }
    }
  })

  it('verify exits 3, not as a crash, when a 200 answer is JSON but not contracts for verification', async () => {
    for (const body of ['{}', 'null', '{"contracts":{}}', '{"provider":"pdf-api","contracts":[{"contentHash":"x"}]}']) {
      const server = await fixedServer(200, 'application/json', body)
      try {
        const r = await treaty(['verify', '--service', 'pdf-api', '--producers', 'producers.mjs', '--broker-url', server.url], { cwd: dir })
        expect(r.code, `${body}: ${r.stdout}${r.stderr}`).toBe(3)
        expect(r.stderr).toContain('which is not contracts for verification')
      } finally {
        await server.close()
      }
    }
  })

  /** Publishes `consumer` 1.0.0's pdf.requested contract with `provider`, from `branch`. */
  const publishFrom = async (branch: string, consumer: string, provider: string) => {
    const published = await fetch(`${broker.url}/api/contracts`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ consumer, version: '1.0.0', branch, contracts: [{ ...pdfRequestContract(), consumer, provider }] }),
    })
    expect(published.status).toBe(201)
  }

  it('verify without a provider branch: once such a run verified a contract, a regression exits 1, not a pending warning', async () => {
    await publishFrom('main', 'lane-worker', 'lane-api')
    // Not a git checkout and no CI branch variable: the provider names no branch, as a detached HEAD would not.
    const project = await tempDir('treaty-branchless')
    await writeFile(project.join('good.mjs'), "export const producers = { 'pdf.requested': () => ({ payload: { jobId: 'j' } }) }\n")
    await writeFile(project.join('bad.mjs'), "export const producers = { 'pdf.requested': () => ({ payload: { jobId: 7 } }) }\n")
    const noBranch = { ...env(), BRANCH_NAME: '', BUILDKITE_BRANCH: '', CIRCLE_BRANCH: '', BITBUCKET_BRANCH: '', TRAVIS_BRANCH: '' }
    const verify = (producers: string, version: string) =>
      treaty(['verify', '--service', 'lane-api', '--producers', producers, '--app-version', version, '--publish'], {
        cwd: project.path,
        env: noBranch,
      })
    const pending = await verify('bad.mjs', '1.0.0')
    expect(pending.code, pending.stderr).toBe(0)
    expect(pending.stderr).toContain('pending contracts failed; they do not fail the build (no provider branch was found: pass --branch')
    expect((await verify('good.mjs', '1.0.1')).code).toBe(0)
    // Before, no success without a branch ever ended pending: this regression exited 0 with the same warning.
    const regression = await verify('bad.mjs', '1.0.2')
    expect(regression.code, regression.stdout + regression.stderr).toBe(1)
    expect(regression.stdout).toContain('jobId')
  })

  it('service set --main-branch: a consumer publishing from master is then picked by mainBranch; a typo changes nothing', async () => {
    await publishFrom('master', 'master-worker', 'master-api')
    const project = await tempDir('treaty-master')
    await writeFile(project.join('producers.mjs'), "export const producers = { 'pdf.requested': () => ({ payload: { jobId: 'j' } }) }\n")
    const verify = () =>
      treaty(['verify', '--service', 'master-api', '--producers', 'producers.mjs', '--selector', 'mainBranch', '--fail-if-none'], {
        cwd: project.path,
        env: env(),
      })
    const before = await verify()
    expect(before.code).toBe(1)
    expect(before.stderr).toContain('treaty service set master-worker --main-branch master')

    const typo = await treaty(['service', 'set', 'master-wroker', '--main-branch', 'master'], { cwd: dir, env: env() })
    expect(typo.code, typo.stderr).toBe(2)
    expect(typo.stderr).toContain('master-worker')
    const dry = await treaty(['service', 'set', 'master-worker', '--main-branch', 'master', '--dry-run'], { cwd: dir, env: env() })
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('PATCH')
    expect((await verify()).code).toBe(1)

    const set = await treaty(['service', 'set', 'master-worker', '--main-branch', 'master'], { cwd: dir, env: env() })
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toContain('master-worker: main branch master')
    const after = await verify()
    expect(after.code, after.stdout + after.stderr).toBe(0)
    expect(after.stdout).toContain('a PDF generation request')
  })

  it('can-i-deploy never counts a provider schema that allows no message as proof', async () => {
    const api = (path: string, method: string, body: unknown) =>
      fetch(`${broker.url}${path}`, {
        method,
        headers: { authorization: 'Bearer admin-token-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const contract = { ...pdfRequestContract(), consumer: 'static-worker' }
    expect((await api('/api/contracts', 'POST', { consumer: 'static-worker', version: '1.0.0', contracts: [contract] })).status).toBe(201)
    expect((await api('/api/environments/static-env', 'PUT', {})).ok).toBe(true)
    for (const [version, payload] of [
      ['8.0.0', false],
      ['8.0.1', { not: {} }],
      ['8.0.2', { type: 'string', minLength: 3, maxLength: 1 }],
    ] as const) {
      const schema = await api('/api/providers/pdf-api/schemas', 'POST', {
        providerVersion: version,
        producers: [{ key: 'pdf.requested', payload, headers: {} }],
      })
      expect(schema.status).toBe(201)
      expect((await api('/api/environments/static-env/deployments', 'POST', { service: 'pdf-api', version })).status).toBe(201)
      const r = await treaty(['can-i-deploy', '--service', 'static-worker', '--app-version', '1.0.0', '--to', 'static-env'], {
        cwd: dir,
        env: env(),
      })
      expect(r.code, `${JSON.stringify(payload)}: ${r.stdout}${r.stderr}`).toBe(1)
      expect(r.stdout).toContain('publishes a schema that does not satisfy it: payload CANNOT_PROVE')
    }
  })

  describe.each(BROKER_COMMANDS)('%s: exit codes for broker faults', (name) => {
    it('exits 2 for a broker URL without a scheme, sending nothing', async () => {
      const r = await treaty([...VALID[name]!, '--broker-url', '127.0.0.1:9292'], { cwd: dir })
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain('http://127.0.0.1:9292')
    })

    it('exits 3 when the broker is unreachable', async () => {
      const r = await treaty([...VALID[name]!, '--broker-url', `http://127.0.0.1:${await freePort()}`], { cwd: dir })
      expect(r.code, r.stderr).toBe(3)
    })

    it('exits 3 when the URL answers an HTML page, summarised in one line', async () => {
      const page = `<!doctype html><html><head><title>Sign in</title></head><body>${'<p>x</p>'.repeat(500)}</body></html>`
      for (const status of [200, 404]) {
        const html = await fixedServer(status, 'text/html; charset=utf-8', page)
        try {
          const r = await treaty([...VALID[name]!, '--broker-url', html.url], { cwd: dir })
          expect(r.code, r.stderr).toBe(3)
          expect(r.stderr).toContain('text/html "Sign in"')
          expect(r.stderr).not.toContain('<p>')
          expect(r.stderr.split('\n').length).toBeLessThan(5)
        } finally {
          await html.close()
        }
      }
    })
  })
})
