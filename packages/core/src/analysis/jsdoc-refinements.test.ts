import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ts } from 'ts-morph'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Contract, Expectation } from '../contract/types.js'
import type { JsonSchema } from '../json/types.js'
import { assertValidSchema, validatorFor } from '../schema/engine.js'
import { compile, eachLike, integer, nullable, string, uuid } from '../schema/matchers.js'
import { REFINEMENT_TAGS } from '../schema/refinement-tags.js'
import { type FixtureProject, writeFixtureProject } from './__fixtures__/fixture-project.js'
import { verifyStatically } from './check.js'
import { loadProject } from './project.js'
import { SchemaDeriver } from './type-to-schema.js'
import type { StaticExpectationResult, StaticReport } from './types.js'

// JSDoc is attached only to a comment that starts its own line, so every tag here does.
const TYPES = `
import type { Currency, Sku, Uuid } from './shared/ids.js'

export type JobId = Uuid
/**
 * How many, counted.
 * @integer
 * @minimum 1
 */
export type Quantity = number
export type BrandedJob = Uuid & { readonly __brand: 'Job' }

export interface StringTags {
  /** @format uuid */
  id: string
  /** @pattern ^[A-Z]{3}-\\d+$ */
  code: string
  /**
   * @minLength 1
   * @maxLength 80
   */
  title: string
  /** @format date */
  day: string
  currency: Currency
}

export interface NumberTags {
  /** @integer */
  count: number
  /** @minimum 0 @maximum 100 */
  percent: number
  /** @exclusiveMinimum 0 @exclusiveMaximum 1 */
  ratio: number
  /** @multipleOf 0.01 */
  price: number
  /** @format int32 */
  small: number
}

export interface ArrayTags {
  /** @minItems 1 @maxItems 100 */
  lines: string[]
  /** @uniqueItems */
  tags: string[]
  /** @uniqueItems true */
  more: string[]
}

export interface AliasUses {
  id: Uuid
  job: JobId
  branded: BrandedJob
  qty: Quantity
  ids: Uuid[]
  readonlyIds: readonly Uuid[]
  generic: Array<Uuid>
  parent?: Uuid
  maybe: Uuid | null
  maybeIds: (Uuid | null)[] | null
}

export interface Nullables {
  /** @format uuid */
  id: string | null
  /** @integer @minimum 1 */
  qty: number | null
  /** @minItems 1 */
  lines: string[] | null
  /** @format uuid */
  either: string | number
  /** @minLength 24 */
  at: Date | null
}

export interface Merged {
  /** @maxLength 36 */
  id: Uuid
  /** @minItems 2 */
  pair: [string, ...string[]]
  /** @minimum 0 */
  qty: Quantity
  /** @format uuid */
  same: Uuid
  /** @format date-time */
  at: Date
}

export interface Page<T> {
  /** @minItems 1 */
  items: T[]
}
export type UuidPage = Page<Uuid>
export interface NumberPage extends Page<number> {}
export type PartialTags = Partial<StringTags>
export type PickedTags = Pick<StringTags, 'id' | 'title'>
export type OmittedTags = Omit<StringTags, 'code'>
export type AsStrings<T> = { [K in keyof T]: string }
export type StringifiedTags = AsStrings<StringTags>
export type PartialStringified = Partial<AsStrings<StringTags>>
export type Nullified<T> = { [K in keyof T]: T[K] | null }
export type NullifiedTags = Nullified<StringTags>
export type Both = { a: StringTags['id'] } & Pick<StringTags, 'id'>
declare const stringified: StringifiedTags
const spreadStringified = { ...stringified }
export type SpreadStringified = typeof spreadStringified
export const literal = {
  /** @format uuid */
  id: 'x' as string,
}
export type Literal = typeof literal

/** @format uuid */
export type NotAString = number

export interface Node {
  name: string
  children: Node[]
}
export interface UsesRecursion {
  /** @format uuid */
  ref: string | Node
  /** @minItems 1 */
  nodes: Node[]
}
export interface MisfitRecursion {
  /** @minLength 1 */
  node: Node
}

export interface Tree {
  name: string
  /** @minLength 1 */
  parent?: Tree
}

export interface Misfits {
  /** @minimum 1 */
  name: string
  /** @format uuid */
  count: number
  /** @minItems 1 */
  label: string
  /** @minimum one */
  qty: number
  /** @minLength -1 */
  short: string
  /** @maxItems 1.5 */
  few: string[]
  /** @multipleOf 0 */
  step: number
  /** @format uudi */
  typo: string
  /** @pattern [a-z */
  broken: string
  /** @integer yes */
  whole: number
  /** @minimum 5 @maximum 1 */
  empty: number
  /** @format uuid */
  kind: 'a' | 'b'
  /** @integer */
  level: 1 | 2.5
  /** @format date */
  at: Date
  either: Uuid | number
  wrong: NotAString
  tree: Tree
  /** @uniqueItems false */
  unique: string[]
  /** @minimum 1 */
  never: undefined
  sku: Sku
  inline: { a: string; /** @integer */ n: number }
}
`

const IDS = `
/** @format uuid */
export type Uuid = string
/** @pattern ^[A-Z]{3}$ */
export type Currency = string
/** @minimum 1 */
export type Sku = string
`

let fixture: FixtureProject
let program: ts.Program

beforeAll(() => {
  fixture = writeFixtureProject({ 'types.ts': TYPES, 'shared/ids.ts': IDS })
  program = loadProject({ files: [fixture.path('types.ts')] }).getProgram().compilerObject
})
afterAll(() => fixture?.remove())

function derive(name: string) {
  const source = program.getSourceFile(fixture.path('types.ts'))!
  const declaration = source.statements.find((s) => (s as { name?: ts.Identifier }).name?.text === name) as ts.DeclarationStatement
  if (!declaration) throw new Error(`no ${name} in the fixture`)
  const type = program.getTypeChecker().getTypeAtLocation(declaration.name!)
  const result = new SchemaDeriver(program).derive(type, declaration, 'payload')
  assertValidSchema(result.schema)
  return result
}

/** The property schemas of `name`, asserting that every tag fitted. */
function propertiesOf(name: string): Record<string, unknown> {
  const { schema, diagnostics } = derive(name)
  expect(diagnostics).toEqual([])
  return (schema as { properties: Record<string, unknown> }).properties
}

describe('JSDoc refinement tags on properties', () => {
  it('refines strings with @format, @pattern, @minLength and @maxLength', () => {
    expect(propertiesOf('StringTags')).toEqual({
      id: { type: 'string', format: 'uuid' },
      code: { type: 'string', pattern: '^[A-Z]{3}-\\d+$' },
      title: { type: 'string', minLength: 1, maxLength: 80 },
      day: { type: 'string', format: 'date' },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    })
  })

  it('refines numbers with @integer, bounds, @multipleOf and numeric formats', () => {
    expect(propertiesOf('NumberTags')).toEqual({
      count: { type: 'integer' },
      percent: { type: 'number', minimum: 0, maximum: 100 },
      ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      price: { type: 'number', multipleOf: 0.01 },
      small: { type: 'number', format: 'int32' },
    })
  })

  it('refines arrays with @minItems, @maxItems and @uniqueItems', () => {
    expect(propertiesOf('ArrayTags')).toEqual({
      lines: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 100 },
      tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      more: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    })
  })

  it('refines only the non-null part of a nullable type, as JSON Schema type-specific keywords do', () => {
    const properties = propertiesOf('Nullables')
    expect(properties).toEqual({
      id: { type: ['null', 'string'], format: 'uuid' },
      qty: { type: ['integer', 'null'], minimum: 1 },
      lines: { anyOf: [{ type: 'array', items: { type: 'string' }, minItems: 1 }, { type: 'null' }] },
      either: { type: ['number', 'string'], format: 'uuid' },
      at: { anyOf: [{ type: 'string', format: 'date-time', minLength: 24 }, { type: 'null' }] },
    })
    const id = validatorFor(properties.id as JsonSchema)
    expect([id(null), id('7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a'), id('x')]).toEqual([true, true, false])
  })
})

describe('JSDoc refinement tags on type aliases', () => {
  it('apply wherever the alias is named: directly, through other aliases, intersections, arrays and | null', () => {
    const uuidString = { type: 'string', format: 'uuid' }
    expect(propertiesOf('AliasUses')).toEqual({
      id: uuidString,
      job: uuidString,
      branded: uuidString,
      qty: { type: 'integer', minimum: 1 },
      ids: { type: 'array', items: uuidString },
      readonlyIds: { type: 'array', items: uuidString },
      generic: { type: 'array', items: uuidString },
      parent: uuidString,
      maybe: { type: ['null', 'string'], format: 'uuid' },
      maybeIds: {
        anyOf: [{ type: 'array', items: { type: ['null', 'string'], format: 'uuid' } }, { type: 'null' }],
      },
    })
  })

  it('merge with property tags: bounds tighten, an equal format agrees', () => {
    expect(propertiesOf('Merged')).toEqual({
      id: { type: 'string', format: 'uuid', maxLength: 36 },
      pair: { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'string' }, minItems: 2 },
      qty: { type: 'integer', minimum: 1 },
      same: { type: 'string', format: 'uuid' },
      at: { type: 'string', format: 'date-time' },
    })
  })

  it('do not follow an alias through a type argument (the schema stays wider, never narrower)', () => {
    expect(propertiesOf('UuidPage')).toEqual({ items: { type: 'array', items: { type: 'string' }, minItems: 1 } })
    expect(propertiesOf('NumberPage')).toEqual({ items: { type: 'array', items: { type: 'number' }, minItems: 1 } })
  })
})

describe('JSDoc refinement tags next to recursive types', () => {
  it('refine the parts they fit and leave the $ref alone', () => {
    const { schema, diagnostics } = derive('UsesRecursion')
    expect(diagnostics).toEqual([])
    expect((schema as { properties: unknown }).properties).toEqual({
      ref: { anyOf: [{ $ref: '#/$defs/Node' }, { type: 'string', format: 'uuid' }] },
      nodes: { type: 'array', items: { $ref: '#/$defs/Node' }, minItems: 1 },
    })
  })

  it('report a tag that does not fit the recursive type it is on', () => {
    expect(derive('MisfitRecursion').diagnostics).toEqual([
      expect.objectContaining({
        path: 'payload.node',
        message: expect.stringMatching(/it is an object, and its JSDoc tag @minLength 1 applies to strings/),
      }),
    ])
  })
})

describe('JSDoc refinement tags through mapped types and spreads', () => {
  it('are kept by Partial, Pick and Omit, which copy each value unchanged', () => {
    expect(propertiesOf('PartialTags')).toMatchObject({
      id: { format: 'uuid' },
      title: { minLength: 1 },
      currency: { pattern: '^[A-Z]{3}$' },
    })
    expect(propertiesOf('PickedTags')).toEqual({
      id: { type: 'string', format: 'uuid' },
      title: { type: 'string', minLength: 1, maxLength: 80 },
    })
    expect(propertiesOf('OmittedTags')).toMatchObject({ id: { format: 'uuid' }, day: { format: 'date' } })
    expect(propertiesOf('Both')).toEqual({ a: { type: 'string' }, id: { type: 'string', format: 'uuid' } })
  })

  it('are dropped by a mapped type that changes the values, even behind Partial', () => {
    for (const name of ['StringifiedTags', 'PartialStringified']) {
      const properties = propertiesOf(name)
      expect(properties.id, name).toEqual({ type: 'string' })
      expect(properties.title, name).toEqual({ type: 'string' })
    }
    expect(propertiesOf('NullifiedTags').id).toEqual({ type: ['null', 'string'] })
  })

  it('are not followed through a spread, which copies declarations whatever their values became', () => {
    expect(propertiesOf('SpreadStringified').id).toEqual({ type: 'string' })
    // A property written in the object literal itself keeps its own tag.
    expect(propertiesOf('Literal')).toEqual({ id: { type: 'string', format: 'uuid' } })
  })
})

describe('JSDoc refinement tags that do not fit', () => {
  // [path, a line of the fixture (searched from `export interface Misfits`, or the whole file), lines from it to the tag, why]
  const expected: [path: string, anchor: string, offset: number, why: RegExp][] = [
    ['payload.name', 'name: string', -1, /is a string, and its JSDoc tag @minimum 1 applies to numbers/],
    ['payload.count', 'count: number', -1, /is a number, and its JSDoc tag @format uuid applies to strings/],
    ['payload.label', 'label: string', -1, /is a string, and its JSDoc tag @minItems 1 applies to arrays/],
    ['payload.qty', '@minimum one', 0, /@minimum "one", whose value is not a number/],
    ['payload.short', '@minLength -1', 0, /@minLength "-1", whose value is not a whole number >= 0/],
    ['payload.few', '@maxItems 1.5', 0, /@maxItems "1.5", whose value is not a whole number >= 0/],
    ['payload.step', '@multipleOf 0', 0, /@multipleOf "0", whose value is not greater than 0/],
    ['payload.typo', '@format uudi', 0, /names no format the schema engine knows/],
    ['payload.broken', '@pattern [a-z', 0, /not an ECMAScript regular expression/],
    ['payload.whole', '@integer yes', 0, /@integer "yes", which takes no value/],
    ['payload.empty', '@minimum 5 @maximum 1', 0, /bounds no value satisfies \(minimum 5, maximum 1\)/],
    ['payload.kind', "kind: 'a' | 'b'", -1, /may be "a", which breaks its JSDoc tag @format uuid/],
    ['payload.level', 'level: 1 | 2.5', -1, /may be 2\.5, which breaks its JSDoc tag @integer/],
    ['payload.at', 'at: Date', -1, /@format date, which contradicts the format "date-time" its type already has/],
    ['payload.either', 'either: Uuid | number', 0, /is `Uuid \| number`, whose member `Uuid` carries JSDoc refinement tags/],
    [
      'payload.inline.n',
      'inline: {',
      0,
      /has a doc comment with @integer after other code on its line, which TypeScript attaches to nothing/,
    ],
    // The alias's tag, wherever the alias is used.
    ['payload.wrong', 'export type NotAString', -1, /is a number, and its JSDoc tag @format uuid applies to strings/],
    ['payload.tree.parent', 'parent?: Tree', -1, /is a recursive type, which its JSDoc tag @minLength 1 cannot refine/],
    ['payload.unique', '@uniqueItems false', 0, /takes no value \(or `true`\)/],
    ['payload.never', 'never: undefined', -1, /is never sent/],
  ]

  function tagLine(anchor: string, offset: number): number {
    const lines = TYPES.split('\n')
    const from = lines.findIndex((l) => l.includes('export interface Misfits'))
    let index = lines.findIndex((l, i) => i > from && l.includes(anchor))
    if (index === -1) index = lines.findIndex((l) => l.includes(anchor))
    if (index === -1) throw new Error(`${anchor} is not in the fixture`)
    return index + 1 + offset
  }

  it('each gives one diagnostic at the tag, in the file:line diagnostic style', () => {
    const { diagnostics } = derive('Misfits')
    const here = diagnostics.filter((d) => d.path !== 'payload.sku') // declared in another file: the next test
    expect(here.map((d) => d.path).sort()).toEqual(expected.map(([path]) => path).sort())
    for (const [path, anchor, offset, why] of expected) {
      const d = here.find((x) => x.path === path)!
      expect(d, path).toMatchObject({
        code: 'TREATY_ANALYSIS_CANNOT_DERIVE',
        file: fixture.path('types.ts'),
        line: tagLine(anchor, offset),
      })
      expect(d.message, path).toMatch(new RegExp(`^cannot derive ${path.replace(/[.?]/g, '\\$&')}: it `))
      expect(d.message, path).toMatch(why)
    }
  })

  it('leaves a tag that does not fit out of the schema, which stays what the type says', () => {
    const { schema } = derive('Misfits')
    expect((schema as { properties: Record<string, unknown> }).properties).toMatchObject({
      name: { type: 'string' },
      count: { type: 'number' },
      qty: { type: 'number' },
      typo: { type: 'string' },
      empty: { type: 'number', minimum: 5 },
      kind: { enum: ['a', 'b'] },
      at: { type: 'string', format: 'date-time' },
      either: { type: ['number', 'string'] },
      wrong: { type: 'number' },
      tree: { $ref: '#/$defs/Tree' },
    })
    const properties = (schema as { properties: Record<string, Record<string, unknown>> }).properties
    for (const name of ['name', 'qty', 'typo', 'either', 'wrong']) expect(Object.keys(properties[name]!), name).toEqual(['type'])
  })

  it('reports a tag on an alias at the alias, in the file that declares it', () => {
    const { diagnostics } = derive('Misfits')
    expect(diagnostics.filter((d) => d.path === 'payload.sku')).toEqual([
      expect.objectContaining({
        file: fixture.path('shared/ids.ts'),
        line: fixture.lineOf('shared/ids.ts', '@minimum 1'),
        message: expect.stringMatching(/^cannot derive payload\.sku: it is a string, and its JSDoc tag @minimum 1 applies to numbers/),
      }),
    ])
  })
})

// ---- end to end: a consumer's uuid / integer >= 1 / at least one item, proven from the producer's types

const PROVIDER_TYPES = fileURLToPath(new URL('../provider/types.js', import.meta.url)).replaceAll('\\', '/')

const PRODUCERS = `
import type { Producers } from '${PROVIDER_TYPES}'

/** @format uuid */
export type Uuid = string
/**
 * @integer
 * @minimum 1
 */
export type Copies = number

export interface TaggedRequest {
  jobId: Uuid
  copies: Copies
  /** @minItems 1 */
  lines: { sku: string }[]
  parent: Uuid | null
}

export interface PlainRequest {
  jobId: string
  copies: number
  lines: { sku: string }[]
  parent: string | null
}

export interface HalfTaggedRequest {
  jobId: Uuid
  /** @integer */
  copies: number
  lines: { sku: string }[]
  parent: Uuid | null
}

export interface MisusedRequest {
  /** @minimum 1 */
  jobId: Uuid
  copies: Copies
  /** @minItems 1 */
  lines: { sku: string }[]
  parent: Uuid | null
}

const job = { jobId: '7f0c2a4e-3b1d-4c5e-9f6a-8b7c6d5e4f3a', copies: 1, lines: [{ sku: 'A-1' }], parent: null }

export const producers = {
  'pdf.tagged': (): { payload: TaggedRequest } => ({ payload: job }),
  'pdf.plain': (): { payload: PlainRequest } => ({ payload: job }),
  'pdf.half': (): { payload: HalfTaggedRequest } => ({ payload: job }),
  'pdf.misused': (): { payload: MisusedRequest } => ({ payload: job }),
} satisfies Producers
`

describe('static verification with JSDoc refinement tags', () => {
  const request = {
    jobId: uuid(),
    copies: integer(1, { minimum: 1 }),
    lines: eachLike({ sku: string('A-1') }, { min: 1 }),
    parent: nullable(uuid()),
  }
  const expectation = (channel: string): Expectation => ({
    description: `a request on ${channel}`,
    channel,
    providerStates: [],
    payload: compile(request),
  })
  const contract: Contract = {
    treaty: '1',
    consumer: 'pdf-worker',
    provider: 'pdf-api',
    expectations: ['pdf.tagged', 'pdf.plain', 'pdf.half', 'pdf.misused'].map(expectation),
  }

  let producers: FixtureProject
  let report: StaticReport
  beforeAll(async () => {
    producers = writeFixtureProject({ 'producers.ts': PRODUCERS })
    const project = loadProject({ files: [producers.path('producers.ts')] })
    report = await verifyStatically({ project, provider: 'pdf-api', contracts: [contract] })
  })
  afterAll(() => producers?.remove())

  function result(channel: string): StaticExpectationResult {
    return report.contracts[0]!.expectations.find((e) => e.channel === channel)!
  }

  it('passes when the producer types carry the tags the consumer relies on', () => {
    expect(result('pdf.tagged')).toMatchObject({ status: 'passed', differences: [], diagnostics: [] })
  })

  it('fails the same expectation against the same types without the tags, at each untagged field', () => {
    const r = result('pdf.plain')
    expect(r.status).toBe('failed')
    expect(r.diagnostics).toEqual([])
    expect(r.differences.map((d) => [d.pointer, d.kind]).sort()).toEqual([
      ['/copies', 'TYPE_NARROWED'],
      ['/jobId', 'FORMAT_ADDED'],
      ['/lines', 'MIN_ITEMS_INCREASED'],
      ['/parent', 'FORMAT_ADDED'],
    ])
  })

  it('needs each tag: @integer without @minimum does not prove >= 1, nor a plain array one item', () => {
    const r = result('pdf.half')
    expect(r.status).toBe('failed')
    expect(r.differences.map((d) => [d.pointer, d.kind]).sort()).toEqual([
      ['/copies', 'MINIMUM_INCREASED'],
      ['/lines', 'MIN_ITEMS_INCREASED'],
    ])
  })

  it('fails when a tag does not fit, with the diagnostic at the tag', () => {
    const r = result('pdf.misused')
    expect(r.status).toBe('failed')
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'TREATY_ANALYSIS_CANNOT_DERIVE',
        path: 'payload.jobId',
        file: producers.path('producers.ts'),
        line: producers.lineOf('producers.ts', '/** @minimum 1 */'),
      }),
    ])
  })
})

describe('the README', () => {
  it('lists exactly the refinement tags there are, in its static verification section', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8')
    const section = readme.slice(readme.indexOf('### Static verification'), readme.indexOf('## The `treaty` command line'))
    const firstCells = section.split('\n').flatMap((line) => (/^\s*\| `@/.test(line) ? [line.split('|')[1]!] : []))
    const documented = firstCells.flatMap((cell) => [...cell.matchAll(/`@(\w+)/g)].map((m) => m[1]))
    expect(documented.sort()).toEqual([...REFINEMENT_TAGS.keys()].sort())
  })
})
