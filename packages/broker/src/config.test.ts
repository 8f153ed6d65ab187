import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.js'
import { BrokerErrorCodes } from './errors.js'
import { startBroker } from './start.js'

describe('loadConfig', () => {
  it('defaults to the embedded store on 127.0.0.1:9292 at info level', () => {
    expect(loadConfig({}, [])).toEqual({ port: 9292, host: '127.0.0.1', logLevel: 'info', tokens: {} })
  })

  it('reads env, and flags win over env', () => {
    const config = loadConfig(
      { PORT: '8080', TREATY_DATA_DIR: '/var/lib/treaty', LOG_LEVEL: 'DEBUG', TREATY_WRITE_TOKEN: 'w', TREATY_BODY_LIMIT: '2048' },
      ['--port', '9000', '--host=0.0.0.0'],
    )
    expect(config).toEqual({
      port: 9000,
      host: '0.0.0.0',
      logLevel: 'debug',
      tokens: { write: 'w' },
      dataDir: '/var/lib/treaty',
      bodyLimit: 2048,
    })
  })

  it('uses PostgreSQL when DATABASE_URL is set, and warn level in production', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db/treaty', NODE_ENV: 'production', TREATY_DB_POOL_SIZE: '20' }, [])
    expect(config).toMatchObject({ databaseUrl: 'postgres://u:p@db/treaty', logLevel: 'warn', maxConnections: 20 })
  })

  it('rejects bad values with a config error naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' }, [])).toThrowError(expect.objectContaining({ code: BrokerErrorCodes.CONFIG_INVALID }))
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, [])).toThrowError(/LOG_LEVEL/)
    expect(() => loadConfig({}, ['--colour'])).toThrowError(expect.objectContaining({ code: BrokerErrorCodes.CONFIG_INVALID }))
  })

  it('reads --insecure-open (or TREATY_INSECURE_OPEN=1) and TREATY_ALLOWED_HOSTS', () => {
    expect(loadConfig({}, ['--insecure-open'])).toMatchObject({ insecureOpen: true })
    expect(loadConfig({ TREATY_INSECURE_OPEN: '1', TREATY_ALLOWED_HOSTS: 'broker.internal, ci.example' }, [])).toMatchObject({
      insecureOpen: true,
      allowedHosts: ['broker.internal', 'ci.example'],
    })
    expect(loadConfig({}, [])).not.toHaveProperty('insecureOpen')
  })

  it('startBroker refuses a non-loopback address without tokens before opening anything', async () => {
    await expect(startBroker({ host: '0.0.0.0', dataDir: '/nonexistent/never-created' })).rejects.toMatchObject({
      code: BrokerErrorCodes.CONFIG_INVALID,
    })
  })

  it('reads named tokens from --tokens-file (or TREATY_TOKENS_FILE) and TREATY_TOKENS, naming the source in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'treaty-config-'))
    const file = join(dir, 'tokens.yaml')
    writeFileSync(file, 'tokens:\n  - { name: worker-ci, token: worker-token-0123456789, services: [pdf-worker] }\n')
    const config = loadConfig({ TREATY_TOKENS: '{"tokens":[{"name":"dash","token":"dash-token-0123456789","level":"read"}]}' }, [
      '--tokens-file',
      file,
    ])
    expect(config.tokens?.entries?.map((e) => [e.name, e.level, e.services])).toEqual([
      ['worker-ci', 'write', ['pdf-worker']],
      ['dash', 'read', undefined],
    ])
    expect(() => loadConfig({ TREATY_TOKENS_FILE: join(dir, 'missing.yaml') }, [])).toThrowError(
      /TREATY_TOKENS_FILE .*missing\.yaml: cannot read the file \(ENOENT\)/,
    )
    rmSync(dir, { recursive: true, force: true })
  })

  it('reads the connection limit and the request and header timeouts', () => {
    expect(loadConfig({ TREATY_MAX_CONNECTIONS: '50', TREATY_REQUEST_TIMEOUT_MS: '2000' }, ['--headers-timeout', '1000'])).toMatchObject({
      maxClientConnections: 50,
      requestTimeoutMs: 2000,
      headersTimeoutMs: 1000,
    })
    expect(() => loadConfig({ TREATY_MAX_CONNECTIONS: '0' }, [])).toThrowError(/TREATY_MAX_CONNECTIONS/)
    expect(() => loadConfig({ TREATY_REQUEST_TIMEOUT_MS: '2s' }, [])).toThrowError(/TREATY_REQUEST_TIMEOUT_MS/)
  })

  it('has no flag for DATABASE_URL: a password on the command line shows in ps', () => {
    expect(() => loadConfig({}, ['--database-url', 'postgres://u:p@db/x'])).toThrowError(/database-url/)
  })
})
