import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { maskedConfig, resolveConfig } from './config.js'
import { CliError } from './exit-codes.js'

async function dirWith(file: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-config-'))
  await writeFile(join(dir, file), text)
  return dir
}

describe('resolveConfig', () => {
  it('takes flags over env over the config file', async () => {
    const dir = await dirWith(
      'treaty.config.json',
      JSON.stringify({ service: 'from-file', broker: { url: 'http://file:1', token: 'file-token' }, contractsDir: 'pacts' }),
    )
    const env = { TREATY_SERVICE: 'from-env', TREATY_BROKER_URL: 'http://env:2' }
    expect(await resolveConfig({}, {}, dir)).toMatchObject({
      service: 'from-file',
      brokerUrl: 'http://file:1',
      token: 'file-token',
      contractsDir: join(dir, 'pacts'),
    })
    expect(await resolveConfig({}, env, dir)).toMatchObject({ service: 'from-env', brokerUrl: 'http://env:2', token: 'file-token' })
    expect(await resolveConfig({ service: 'from-flag', token: 'flag-token' }, env, dir)).toMatchObject({
      service: 'from-flag',
      brokerUrl: 'http://env:2',
      token: 'flag-token',
      configFile: join(dir, 'treaty.config.json'),
    })
  })

  it('loads a TypeScript config on Node 20', async () => {
    const dir = await dirWith(
      'treaty.config.ts',
      "interface Config { service: string; selectors: { mainBranch: true }[] }\nconst config: Config = { service: 'ts-service', selectors: [{ mainBranch: true }] }\nexport default config\n",
    )
    expect(await resolveConfig({}, {}, dir)).toMatchObject({ service: 'ts-service', selectors: [{ mainBranch: true }] })
  })

  it('loads an ES module config', async () => {
    const dir = await dirWith('treaty.config.mjs', "export default { service: 'mjs-service' }\n")
    expect((await resolveConfig({}, {}, dir)).service).toBe('mjs-service')
  })

  it('works without any config file, defaulting the contracts dir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'treaty-config-'))
    expect(await resolveConfig({}, {}, dir)).toEqual({ contractsDir: join(dir, 'contracts') })
  })

  it('reports a broken config file as a usage error naming the file', async () => {
    const dir = await dirWith('treaty.config.json', '{ nope')
    const err = await resolveConfig({}, {}, dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CliError)
    expect(err).toMatchObject({ exitCode: 2 })
    expect((err as Error).message).toContain('treaty.config.json')
  })

  it('refuses a field it does not know, naming it and the closest field, instead of ignoring it', async () => {
    const misplaced = await dirWith('treaty.config.mjs', "export default { service: 's', brokerUrl: 'http://b:1' }\n")
    const err = await resolveConfig({}, {}, misplaced).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CliError)
    expect(err).toMatchObject({ exitCode: 2, message: `${join(misplaced, 'treaty.config.mjs')}: unknown field brokerUrl` })
    expect((err as CliError).hint).toContain('did you mean broker?')
    const nested = await dirWith('treaty.config.json', JSON.stringify({ $schema: 'x', broker: { url: 'http://b:1', tokn: 't' } }))
    expect(await resolveConfig({}, {}, nested).catch((e: unknown) => e)).toMatchObject({
      message: `${join(nested, 'treaty.config.json')}: unknown field broker.tokn`,
      hint: expect.stringContaining('did you mean broker.token?'),
    })
  })

  it('masks the token when printed', () => {
    expect(maskedConfig({ contractsDir: 'c', token: 's3cret-token' })).toEqual({ contractsDir: 'c', token: '*** (12 characters)' })
  })
})
