/**
 * codegen ↔ static verification: types generated from a contract, used as a provider's producer types,
 * pass `verifyStatically` against that same contract. Over the example's contracts and over generated
 * contracts (fast-check) whose schemas carry every refinement the static analysis reads as JSDoc tags.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { verifyStatically } from '../analysis/index.js'
import type { Contract } from '../contract/types.js'
import { generateModule, typeName } from './generate.js'

const dirs: string[] = []
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))))

/** Writes the generated module and a producers module typed with it; returns the static report's failures. */
async function roundTrip(contract: Contract): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-codegen-rt-'))
  dirs.push(dir)
  const module = await generateModule(contract)
  await writeFile(join(dir, module.fileName), module.text)
  const used = new Set<string>()
  const entries = [...contract.expectations]
    .sort((a, b) => (a.messageName ?? a.description).localeCompare(b.messageName ?? b.description))
    .map((e) => {
      // The same names generateModule gives (unique in canonical order is what it does; the corpus has no clashes).
      const base = typeName(e.messageName ?? e.description)
      used.add(base)
      const headers = e.headers ? `; headers: T.${base}Headers` : ''
      return `  ${JSON.stringify(e.description)}: (): { payload: T.${base}Payload${headers} } => {\n    throw new Error('types only')\n  },`
    })
  const producers = join(dir, 'producers.ts')
  const from = `./${module.fileName.replace(/\.ts$/, '.js')}`
  await writeFile(producers, `import type * as T from '${from}'\n\nexport const producers = {\n${entries.join('\n')}\n}\n`)
  const report = await verifyStatically({ provider: contract.provider, contracts: [contract], files: [producers] })
  const failures = report.contracts.flatMap((c) =>
    c.expectations.filter((e) => e.status !== 'passed').map((e) => `${e.description}: ${JSON.stringify(e)}`),
  )
  if (report.summary.total === 0) failures.push('nothing verified')
  return failures
}

describe('codegen → verify --static round trip', () => {
  it('passes for every contract of the example', async () => {
    const root = join(import.meta.dirname, '../../../../examples/pdf-service/contracts')
    for (const file of (await readdir(root)).filter((f) => f.endsWith('.json'))) {
      const contract = JSON.parse(await readFile(join(root, file), 'utf8')) as Contract
      expect(await roundTrip(contract), file).toEqual([])
    }
  }, 120_000)

  const leaf = fc.oneof(
    fc.constantFrom({ type: 'string', format: 'uuid' }, { type: 'string', format: 'date-time' }, { type: 'string', format: 'email' }),
    fc.record({ type: fc.constant('string'), minLength: fc.integer({ min: 1, max: 5 }), maxLength: fc.integer({ min: 6, max: 50 }) }),
    fc.record({ type: fc.constant('string'), pattern: fc.constantFrom('^[A-Z]{3}$', '^ord-[0-9]+$') }),
    fc.record({ type: fc.constant('integer'), minimum: fc.integer({ min: -5, max: 5 }), maximum: fc.integer({ min: 6, max: 1000 }) }),
    fc.record({ type: fc.constant('number'), exclusiveMinimum: fc.constant(0), multipleOf: fc.constantFrom(0.5, 2) }),
    fc.record({ type: fc.constant('array'), items: fc.constant({ type: 'string' }), minItems: fc.integer({ min: 0, max: 3 }) }),
    fc.constant({ enum: ['a', 'b'] }),
  )
  const payload = fc
    .dictionary(fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/), leaf, { minKeys: 1, maxKeys: 5 })
    .chain((properties) => fc.subarray(Object.keys(properties)).map((required) => ({ type: 'object', required, properties })))

  it('passes for generated contracts carrying every refinement the tags express', async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (schema) => {
        const contract = {
          treaty: '1',
          consumer: 'shipping',
          provider: 'orders',
          expectations: [{ description: 'an order', channel: 'orders.placed', providerStates: [], payload: { schema } }],
        } as unknown as Contract
        expect(await roundTrip(contract)).toEqual([])
      }),
      { numRuns: 12 },
    )
  }, 300_000)
})
