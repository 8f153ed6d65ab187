// `@treaty/core/wire` is plain data and pure functions: the broker registers its schemas, the client, the CLI
// and the web UI use its types. Loading it (or the client, which sits on it) loads no schema engine and no
// server, and the types derived from it are the client's types.
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { BrokerClient } from '../src/client/index.js'
import type {
  Answer,
  canIDeployResponseSchema,
  contractsForVerificationRequestSchema,
  publishContractsRequestSchema,
  publishContractsResponseSchema,
  Sent,
  verificationRequestSchema,
} from '../src/wire/index.js'
import { staticGraph } from './import-graph.js'

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..')

describe('@treaty/core/wire', () => {
  it('is exported with the same conditions as the main entry', async () => {
    const { exports } = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8'))
    expect(exports['./wire']).toEqual({ source: './src/wire/index.ts', types: './dist/wire/index.d.ts', default: './dist/wire/index.js' })
  })

  it('loads no package at all, and of core outside wire/ only the service-name rule it shares with the contract format', async () => {
    const graph = await staticGraph(join(pkg, 'src/wire/index.ts'))
    expect([...graph.bare]).toEqual([])
    expect([...graph.files].filter((f) => !f.includes('/src/wire/')).map((f) => f.slice(f.indexOf('/src/')))).toEqual([
      '/src/contract/contract-schema.ts',
    ])
  })

  it('keeps the client free of the schema engine', async () => {
    const graph = await staticGraph(join(pkg, 'src/client/index.ts'))
    expect([...graph.bare].filter((s) => s.startsWith('ajv') || s === 're2js' || s === 'fastify')).toEqual([])
  })

  it('types the client with what is derived from the route schemas', () => {
    type Param<K extends keyof BrokerClient, I extends number = 0> = BrokerClient[K] extends (...args: infer A) => unknown ? A[I] : never
    type Result<K extends keyof BrokerClient> = BrokerClient[K] extends (...args: never[]) => Promise<infer R> ? R : never
    expectTypeOf<Param<'publishContracts'>>().toEqualTypeOf<Sent<typeof publishContractsRequestSchema>>()
    expectTypeOf<Result<'publishContracts'>>().toEqualTypeOf<Answer<typeof publishContractsResponseSchema>>()
    expectTypeOf<Param<'contractsForVerification', 1>>().toEqualTypeOf<Sent<typeof contractsForVerificationRequestSchema>>()
    expectTypeOf<Param<'publishVerification'>>().toEqualTypeOf<Sent<typeof verificationRequestSchema>>()
    expectTypeOf<Result<'canIDeploy'>>().toEqualTypeOf<Answer<typeof canIDeployResponseSchema>>()
  })
})
