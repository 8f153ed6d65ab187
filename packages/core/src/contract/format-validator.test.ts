import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { contractSchema } from './contract-schema.js'
import { contractFormatValidator } from './format-validator.generated.js'
import { formatValidatorSource } from './format-validator.js'

const file = join(dirname(fileURLToPath(import.meta.url)), 'format-validator.generated.ts')
type Check = ((value: unknown) => boolean) & { errors?: unknown }

describe('the precompiled contract-format validator', () => {
  it('is what the generator makes from the current contract schema and ajv', async () => {
    const source = formatValidatorSource()
    if (process.env.UPDATE_GENERATED === '1') await writeFile(file, source)
    expect(await readFile(file, 'utf8'), 'run: UPDATE_GENERATED=1 npx vitest run packages/core/src/contract/format-validator.test.ts').toBe(
      source,
    )
  })

  it('gives the verdicts and errors ajv gives', () => {
    const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: new (options: object) => Ajv2020 }
    const live = new Ajv({ allErrors: true, strict: false, logger: false, ownProperties: true }).compile(contractSchema) as Check
    const pre = contractFormatValidator() as Check
    for (const sample of [
      { treaty: '1', consumer: 'a', provider: 'b', expectations: [] },
      { treaty: '1', consumer: '-a', provider: 'b', expectations: [{ description: '' }] },
      { treaty: '2' },
    ]) {
      expect(pre(sample)).toBe(live(sample))
      expect(pre.errors ?? null).toEqual(live.errors ?? null)
    }
  })
})
