import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { META_SCHEMA_2020 } from './engine.js'
import { metaSchema2020Validator } from './precompiled.generated.js'
import { precompiledSource } from './precompiled.js'

const file = join(dirname(fileURLToPath(import.meta.url)), 'precompiled.generated.ts')
type Check = ((value: unknown) => boolean) & { errors?: unknown }

describe('the precompiled meta-schema validator', () => {
  it('is what the generator makes from ajv', async () => {
    const source = precompiledSource()
    if (process.env.UPDATE_GENERATED === '1') await writeFile(file, source)
    expect(await readFile(file, 'utf8'), 'run: UPDATE_GENERATED=1 npx vitest run packages/core/src/schema/precompiled.test.ts').toBe(source)
  })

  it('gives the verdicts and errors ajv gives', () => {
    const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: new (options: object) => Ajv2020 }
    const ajv = new Ajv({ allErrors: true, strict: false, logger: false, ownProperties: true })
    const pairs: [Check, Check, unknown[]][] = [
      [
        metaSchema2020Validator() as Check,
        ajv.getSchema(META_SCHEMA_2020) as Check,
        [
          { type: 'string' },
          { type: 'nope' },
          { properties: { a: { minimum: 'x' } } },
          { $defs: { a: { $dynamicAnchor: '1x' } } },
          true,
          3,
        ],
      ],
    ]
    for (const [pre, live, samples] of pairs) {
      for (const sample of samples) {
        expect(pre(sample)).toBe(live(sample))
        expect(pre.errors ?? null).toEqual(live.errors ?? null)
      }
    }
  })
})
