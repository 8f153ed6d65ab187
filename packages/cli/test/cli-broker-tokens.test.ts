// `treaty broker --tokens-file`: the broker reads named, service-scoped tokens from the file; a file it cannot
// use stops it at start with exit 2 and the field named.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { treaty } from './treaty.js'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'treaty-cli-tokens-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('treaty broker --tokens-file', () => {
  it('refuses a missing file at start (exit 2, naming it)', async () => {
    const missing = join(dir, 'missing.yaml')
    const run = await treaty(['broker', '--port', '0', '--data-dir', join(dir, 'data'), '--tokens-file', missing], { timeoutMs: 120_000 })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`TREATY_TOKENS_FILE ${missing}: cannot read the file (ENOENT)`)
  }, 150_000)

  it('refuses an entry that breaks the token rules, naming the field and never the token', async () => {
    const file = join(dir, 'tokens.yaml')
    await writeFile(file, 'tokens:\n  - { name: worker-ci, token: short-secret, services: [pdf-worker] }\n')
    const run = await treaty(['broker', '--port', '0', '--data-dir', join(dir, 'data'), '--tokens-file', file], { timeoutMs: 120_000 })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('tokens[0].token (worker-ci) is 12 characters')
    expect(run.stderr).not.toContain('short-secret')
  }, 150_000)
})
