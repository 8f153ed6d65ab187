import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { contractsProject, freePort, pdfRequestContract } from '@treaty/test-support'
import { describe, expect, it } from 'vitest'
import { treaty } from './treaty.js'

const contract = pdfRequestContract()

async function project(): Promise<string> {
  return (await contractsProject()).path
}

describe('treaty basics', () => {
  it('prints help with every command and the exit codes, and its version', async () => {
    const help = await treaty(['--help'])
    expect(help.code).toBe(0)
    for (const cmd of ['publish', 'can-i-deploy', 'record-deployment', 'environment', 'codegen', 'config'])
      expect(help.stdout).toContain(`treaty ${cmd}`)
    expect(help.stdout).toContain('Exit codes: 0 ok / deployable, 1 verification failed / not deployable, 2 usage or config error, 3')
    const version = await treaty(['--version'])
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('exits 2 with a hint on a usage error, without a stack trace', async () => {
    const r = await treaty(['no-such-command'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: unknown command "no-such-command"')
    expect(r.stderr).toContain('hint:')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('exits 2 asking for --app-version in a git repository without a commit, saying a commit would do', async () => {
    const dir = await project()
    execFileSync('git', ['init', '-q'], { cwd: dir })
    const r = await treaty(['publish', 'contracts', '--branch', 'main', '--broker-url', `http://127.0.0.1:${await freePort()}`], {
      cwd: dir,
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: --app-version is required')
    expect(r.stderr).toContain('hint: pass --app-version or run inside a git repository with a commit')
  })

  it('exits 2 naming the file and JSON path of an invalid contract, sending nothing', async () => {
    const dir = await project()
    await writeFile(
      join(dir, 'contracts/bad.json'),
      JSON.stringify({ ...contract, expectations: [{ ...contract.expectations[0], channel: 7 }] }),
    )
    const r = await treaty(['publish', 'contracts', '--app-version', '1', '--broker-url', `http://127.0.0.1:${await freePort()}`], {
      cwd: dir,
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: bad.json: expectations[0].channel: expected string (found 7)')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('exits 3 naming the URL when the broker is unreachable; --debug adds the stack', async () => {
    const dir = await project()
    const url = `http://127.0.0.1:${await freePort()}`
    const r = await treaty(['publish', '--app-version', '1.0.0', '--broker-url', url], { cwd: dir })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`error: cannot reach the broker at ${url} (ECONNREFUSED)`)
    expect(r.stderr).toContain('hint: check --broker-url')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    const debug = await treaty(['publish', '--app-version', '1.0.0', '--broker-url', url, '--debug'], { cwd: dir })
    expect(debug.stderr).toMatch(/\n\s+at /)
  })

  it('exits 2 when no broker is configured, saying how to configure one', async () => {
    const r = await treaty(['can-i-deploy', '--service', 'a', '--app-version', '1', '--to', 'production'], { cwd: await project() })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: no broker URL configured')
    expect(r.stderr).toContain('TREATY_BROKER_URL')
  })

  it('exits 2 on a retry count that is not a whole number, or no number at all, before asking the broker', async () => {
    const canIDeploy = (retries: string) =>
      treaty([
        'can-i-deploy',
        '--service',
        'a',
        '--app-version',
        '1',
        '--to',
        'prod',
        '--retry-while-unknown',
        retries,
        '--broker-url',
        'http://127.0.0.1:9',
      ])
    const fraction = await canIDeploy('1.5')
    expect(fraction.code).toBe(2)
    expect(fraction.stderr).toContain('--retry-while-unknown must be a whole number >= 0 (got 1.5)')
    const word = await canIDeploy('abc')
    expect(word.code).toBe(2)
    expect(word.stderr).toContain(`option '--retry-while-unknown <value>' argument 'abc' is invalid. "abc" is not a number`)
  })

  it('prints the resolved config with the token masked', async () => {
    const dir = await project()
    await writeFile(
      join(dir, 'treaty.config.json'),
      JSON.stringify({ service: 'pdf-api', broker: { url: 'http://b:1', token: 'file-secret' } }),
    )
    const r = await treaty(['config'], { cwd: dir, env: { TREATY_TOKEN: 'env-secret-token' } })
    expect(r.code).toBe(0)
    const printed = JSON.parse(r.stdout)
    expect(printed).toMatchObject({ service: 'pdf-api', brokerUrl: 'http://b:1', token: '*** (16 characters)' })
    expect(r.stdout).not.toContain('secret')
  })

  it('generates types, then --check passes until the contract changes', async () => {
    const dir = await project()
    const gen = await treaty(['codegen', 'contracts', '--out', 'gen'], { cwd: dir })
    expect(gen.code, gen.stderr).toBe(0)
    const text = await readFile(join(dir, 'gen/pdf-worker--pdf-api.ts'), 'utf8')
    expect(text).toContain('export interface APdfGenerationRequestPayload {\n  jobId: string\n}')
    expect((await treaty(['codegen', 'contracts', '--out', 'gen', '--check'], { cwd: dir })).code).toBe(0)
    const changed = structuredClone(contract)
    ;(changed.expectations[0]!.payload.schema as { properties: unknown }).properties = {
      jobId: { type: 'string' },
      pages: { type: 'integer' },
    }
    await writeFile(join(dir, 'contracts/pdf-worker--pdf-api.json'), JSON.stringify(changed))
    const check = await treaty(['codegen', 'contracts', '--out', 'gen', '--check'], { cwd: dir })
    expect(check.code).toBe(1)
    expect(check.stdout).toContain('stale:')
    expect(await readFile(join(dir, 'gen/pdf-worker--pdf-api.ts'), 'utf8')).toBe(text)
  })
})
