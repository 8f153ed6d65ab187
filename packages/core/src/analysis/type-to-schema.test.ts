import type { Project, ts } from 'ts-morph'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JsonSchema } from '../json/types.js'
import { assertValidSchema, validatorFor } from '../schema/engine.js'
import { type FixtureProject, writeFixtureProject } from './__fixtures__/fixture-project.js'
import { loadProject } from './project.js'
import { SchemaDeriver } from './type-to-schema.js'

// One project for the whole file: loading one costs about a second.
const TYPES = `
import type { Currency, Money } from './shared/money.js'

export interface Scalars { s: string; n: number; b: boolean; z: null }
export type Kind = 'a' | 'b'
export type OnlyA = 'a'
export type Small = 1 | 2 | 3
export type Flag = true
export type MaybeKind = 'a' | 'b' | null
export type MaybeString = string | null
export type Mixed = string | number | boolean
export enum Color { Red = 'red', Green = 'green' }
export enum Level { Low = 1, High = 2 }
export interface Enums { color: Color; level: Level; green: Color.Green }
export interface Optionals { a?: string; b: string | undefined; c: undefined; d?: boolean | null }
export interface Readonlys { readonly id: string; readonly tags: readonly string[] }
export interface Arrays { a: string[]; b: Array<number>; c: ReadonlyArray<boolean>; holes: (string | undefined)[] }
export type Pair = [string, number]
export type Named = readonly [id: string, qty?: number]
export type WithRest = [string, ...number[]]
export type RestThenLast = [string, ...number[], boolean]
export type Empty = []
export interface Customer { id: string; name: string; email?: string }
export interface Line { sku: string; qty: number; price: Money }
export type Lines = Line[]
export interface Order { customer: Customer; lines: Lines; currency: Currency }
export type Counts = Record<string, number>
export interface Flags { [name: string]: boolean | undefined; fixed: boolean }
export type Fixed = Record<'a' | 'b', number>
export type Shape = { kind: 'circle'; radius: number } | { kind: 'square'; side: number }
export interface Dated { at: Date; maybe: Date | null; list: Date[] }
export class Cents { constructor(readonly value: number) {} toJSON(): string { return String(this.value) } }
export interface UsesToJson { price: Cents }
export interface Page<T> { items: T[]; next?: string }
export type OrderPage = Page<Order>
export type Wrapped<T> = { value: T; at: Date }
export type WrappedKind = Wrapped<Kind>
export interface Tree { name: string; children: Tree[] }
export interface Forest { oak: Tree; elm?: Tree }
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }
export type PartialCustomer = Partial<Customer>
export type CustomerName = Pick<Customer, 'name'>
export type NoEmail = Omit<Customer, 'email'>
export type Both = { a: string } & { b: number }
export type OrderId = string & { readonly __brand: 'OrderId' }
export interface Branded { id: OrderId }
export type Templated = \`order-\${string}\`
export interface EmptyTypeHolder { meta: {} }
export class DataOnly { id = 'x'; count = 0; private secret = 's' }

export interface Unsupported {
  callback: () => void
  total: bigint
  key: symbol
  loose: any
  vague: unknown
  thing: object
  byId: Map<string, number>
  tags: Set<string>
  later: Promise<string>
  byIndex: { [i: number]: string }
  describe(): string
}
export class WithMethods { id = 'x'; get upper() { return this.id.toUpperCase() } }
export interface Broken { missing: NotDeclaredAnywhere }
export interface Expanding<T> { value: T; next?: Expanding<T[]> }
export type ExpandingString = Expanding<string>
`

const MONEY = `
export type Currency = 'EUR' | 'USD'
export interface Money { amount: number; currency: Currency }
`

let fixture: FixtureProject
let project: Project
let program: ts.Program

beforeAll(() => {
  fixture = writeFixtureProject({ 'types.ts': TYPES, 'shared/money.ts': MONEY })
  project = loadProject({ files: [fixture.path('types.ts')] })
  program = project.getProgram().compilerObject
})
afterAll(() => fixture?.remove())

function derive(name: string, options: { exactObjects?: boolean } = {}) {
  const source = program.getSourceFile(fixture.path('types.ts'))!
  const declaration = source.statements.find((s) => (s as { name?: ts.Identifier }).name?.text === name) as ts.DeclarationStatement
  if (!declaration) throw new Error(`no ${name} in the fixture`)
  const type = program.getTypeChecker().getTypeAtLocation(declaration.name!)
  const result = new SchemaDeriver(program, options).derive(type, declaration, 'payload')
  assertValidSchema(result.schema)
  return result
}

/** The schema of `name`, asserting that nothing went untranslated. */
function schemaOf(name: string, options: { exactObjects?: boolean } = {}): JsonSchema {
  const { schema, diagnostics } = derive(name, options)
  expect(diagnostics).toEqual([])
  return schema
}

const accepts = (schema: JsonSchema, value: unknown) => validatorFor(schema)(value)

describe('SchemaDeriver: scalars and literals', () => {
  it('translates primitives and marks every non-optional property required', () => {
    expect(schemaOf('Scalars')).toEqual({
      type: 'object',
      properties: { s: { type: 'string' }, n: { type: 'number' }, b: { type: 'boolean' }, z: { type: 'null' } },
      required: ['s', 'n', 'b', 'z'],
    })
  })

  it('turns a literal into const and a union of literals into enum', () => {
    expect(schemaOf('OnlyA')).toEqual({ const: 'a' })
    expect(schemaOf('Kind')).toEqual({ enum: ['a', 'b'] })
    expect(schemaOf('Small')).toEqual({ enum: [1, 2, 3] })
    expect(schemaOf('Flag')).toEqual({ const: true })
  })

  it('folds null into an enum, and primitives into a type array', () => {
    expect(schemaOf('MaybeKind')).toEqual({ enum: ['a', 'b', null] })
    expect(schemaOf('MaybeString')).toEqual({ type: ['null', 'string'] })
    expect(schemaOf('Mixed')).toEqual({ type: ['boolean', 'number', 'string'] })
  })

  it('turns string and numeric enums into their member values', () => {
    expect(schemaOf('Enums')).toMatchObject({
      properties: { color: { enum: ['green', 'red'] }, level: { enum: [1, 2] }, green: { const: 'green' } },
    })
  })

  it('widens template literal types to string (sound: never narrower than the truth)', () => {
    expect(schemaOf('Templated')).toEqual({ type: 'string' })
  })

  it('sends a branded primitive as the primitive', () => {
    expect(schemaOf('Branded')).toEqual({ type: 'object', properties: { id: { type: 'string' } }, required: ['id'] })
  })
})

describe('SchemaDeriver: objects', () => {
  it('leaves optional and possibly-undefined properties out of required; an only-undefined property is never sent', () => {
    expect(schemaOf('Optionals')).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' }, c: false, d: { type: ['boolean', 'null'] } },
    })
  })

  it('ignores readonly: it changes nothing on the wire', () => {
    expect(schemaOf('Readonlys')).toEqual({
      type: 'object',
      properties: { id: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['id', 'tags'],
    })
  })

  it('follows nested interfaces, aliases and types imported from other files', () => {
    const schema = schemaOf('Order')
    expect(schema).toMatchObject({
      required: ['customer', 'lines', 'currency'],
      properties: {
        customer: { required: ['id', 'name'], properties: { email: { type: 'string' } } },
        lines: {
          type: 'array',
          items: {
            required: ['sku', 'qty', 'price'],
            properties: { price: { properties: { currency: { enum: ['EUR', 'USD'] } }, required: ['amount', 'currency'] } },
          },
        },
        currency: { enum: ['EUR', 'USD'] },
      },
    })
    const order = {
      customer: { id: 'c', name: 'n' },
      lines: [{ sku: 's', qty: 1, price: { amount: 1, currency: 'EUR' } }],
      currency: 'USD',
    }
    expect(accepts(schema, order)).toBe(true)
    expect(accepts(schema, { ...order, currency: 'GBP' })).toBe(false)
  })

  it('leaves object types open (structural typing lets a value carry more), unless exactObjects', () => {
    expect(accepts(schemaOf('Customer'), { id: 'c', name: 'n', extra: 1 })).toBe(true)
    expect(schemaOf('Customer', { exactObjects: true })).toMatchObject({ additionalProperties: false })
    expect(accepts(schemaOf('Customer', { exactObjects: true }), { id: 'c', name: 'n', extra: 1 })).toBe(false)
  })

  it('turns Record<string, T> and string index signatures into additionalProperties', () => {
    expect(schemaOf('Counts')).toEqual({ type: 'object', additionalProperties: { type: 'number' } })
    expect(schemaOf('Flags')).toEqual({
      type: 'object',
      properties: { fixed: { type: 'boolean' } },
      required: ['fixed'],
      additionalProperties: { type: 'boolean' },
    })
    expect(schemaOf('Fixed')).toEqual({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    })
  })

  it('turns a union of object types into anyOf', () => {
    const schema = schemaOf('Shape')
    expect(schema).toEqual({
      anyOf: [
        { type: 'object', properties: { kind: { const: 'circle' }, radius: { type: 'number' } }, required: ['kind', 'radius'] },
        { type: 'object', properties: { kind: { const: 'square' }, side: { type: 'number' } }, required: ['kind', 'side'] },
      ],
    })
  })

  it('resolves mapped utility types and intersections to their properties', () => {
    expect(schemaOf('PartialCustomer')).toEqual({
      type: 'object',
      properties: { id: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } },
    })
    expect(schemaOf('CustomerName')).toEqual({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] })
    expect(schemaOf('NoEmail')).toMatchObject({ required: ['id', 'name'] })
    expect(schemaOf('Both')).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
      required: ['a', 'b'],
    })
  })

  it('sends the fields of a data-only class, private ones included (JSON does)', () => {
    expect(schemaOf('DataOnly')).toMatchObject({ required: expect.arrayContaining(['id', 'count', 'secret']) })
  })

  it('reports a declared `{}`: it admits any value but null and undefined, strings included', () => {
    const { diagnostics } = derive('EmptyTypeHolder')
    expect(diagnostics).toEqual([
      expect.objectContaining({
        path: 'payload.meta',
        line: fixture.lineOf('types.ts', 'meta: {}'),
        message: expect.stringMatching(/admits any value/),
      }),
    ])
  })
})

describe('SchemaDeriver: arrays and tuples', () => {
  it('translates arrays; an undefined element arrives as null', () => {
    expect(schemaOf('Arrays')).toMatchObject({
      properties: {
        a: { type: 'array', items: { type: 'string' } },
        b: { type: 'array', items: { type: 'number' } },
        c: { type: 'array', items: { type: 'boolean' } },
        holes: { type: 'array', items: { type: ['null', 'string'] } },
      },
    })
  })

  it('translates tuples with prefixItems, items: false and their length bounds', () => {
    expect(schemaOf('Pair')).toEqual({
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'number' }],
      items: false,
      maxItems: 2,
      minItems: 2,
    })
    // An optional element may hold undefined, which JSON sends as null.
    expect(schemaOf('Named')).toEqual({
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: ['null', 'number'] }],
      items: false,
      maxItems: 2,
      minItems: 1,
    })
    expect(schemaOf('WithRest')).toEqual({ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'number' }, minItems: 1 })
    expect(schemaOf('RestThenLast')).toEqual({
      type: 'array',
      prefixItems: [{ type: 'string' }],
      items: { anyOf: [{ type: 'boolean' }, { type: 'number' }] },
      minItems: 2,
    })
    expect(schemaOf('Empty')).toEqual({ type: 'array', items: false, maxItems: 0, minItems: 0 })
  })
})

describe('SchemaDeriver: JSON round trip, generics and recursion', () => {
  it('sends Date as an ISO date-time string, because JSON.stringify calls Date#toJSON', () => {
    expect(schemaOf('Dated')).toEqual({
      type: 'object',
      properties: {
        at: { type: 'string', format: 'date-time' },
        maybe: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
        list: { type: 'array', items: { type: 'string', format: 'date-time' } },
      },
      required: ['at', 'maybe', 'list'],
    })
  })

  it('sends any other type with toJSON() as what toJSON() returns', () => {
    expect(schemaOf('UsesToJson')).toEqual({ type: 'object', properties: { price: { type: 'string' } }, required: ['price'] })
  })

  it('translates generics after instantiation', () => {
    expect(schemaOf('OrderPage')).toMatchObject({
      properties: { items: { type: 'array', items: { required: ['customer', 'lines', 'currency'] } }, next: { type: 'string' } },
      required: ['items'],
    })
    expect(schemaOf('WrappedKind')).toEqual({
      type: 'object',
      properties: { value: { enum: ['a', 'b'] }, at: { type: 'string', format: 'date-time' } },
      required: ['value', 'at'],
    })
  })

  it('puts recursive types in $defs and refers to them with $ref', () => {
    const tree = schemaOf('Tree')
    expect(tree).toEqual({
      $ref: '#/$defs/Tree',
      $defs: {
        Tree: {
          type: 'object',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Tree' } } },
          required: ['name', 'children'],
        },
      },
    })
    expect(accepts(tree, { name: 'a', children: [{ name: 'b', children: [] }] })).toBe(true)
    expect(accepts(tree, { name: 'a', children: [{ name: 'b' }] })).toBe(false)
    // A second use of a recursive type refers to the same $defs entry.
    expect(schemaOf('Forest')).toEqual({
      type: 'object',
      properties: { oak: { $ref: '#/$defs/Tree' }, elm: { $ref: '#/$defs/Tree' } },
      required: ['oak'],
      $defs: { Tree: (tree as { $defs: { Tree: unknown } }).$defs.Tree },
    })
    const json = schemaOf('Json')
    expect(accepts(json, { a: [1, 'x', null, { b: true }] })).toBe(true)
  })
})

describe('SchemaDeriver: what cannot be derived', () => {
  it('reports each unsupported member at its declaration, never as a silent {}', () => {
    const { schema, diagnostics } = derive('Unsupported')
    const at = (text: string) => ({ file: fixture.path('types.ts'), line: fixture.lineOf('types.ts', text) })
    const expected: [string, string, RegExp][] = [
      ['callback: () => void', 'payload.callback', /function/],
      ['total: bigint', 'payload.total', /bigint/],
      ['key: symbol', 'payload.key', /symbol/],
      ['loose: any', 'payload.loose', /`any`/],
      ['vague: unknown', 'payload.vague', /`unknown`/],
      ['thing: object', 'payload.thing', /`object`/],
      ['byId: Map', 'payload.byId', /Map/],
      ['tags: Set', 'payload.tags', /Set/],
      ['later: Promise', 'payload.later', /Promise/],
      ['byIndex:', 'payload.byIndex', /keyed by `number`/],
      ['describe(): string', 'payload.describe', /method/],
    ]
    expect(diagnostics).toHaveLength(expected.length)
    for (const [text, path, message] of expected) {
      const d = diagnostics.find((x) => x.path === path)
      expect(d, path).toMatchObject({ code: 'TREATY_ANALYSIS_CANNOT_DERIVE', ...at(text) })
      expect(d!.message).toMatch(/^cannot derive /)
      expect(d!.message).toMatch(message)
      expect(d!.column).toBeGreaterThan(1)
    }
    // The untranslatable parts are `true` (any value): still a sound description of what may be sent.
    expect(schema).toMatchObject({ properties: { callback: true, total: true, describe: true } })
  })

  it('reports class accessors (on the prototype: JSON does not send them)', () => {
    const { diagnostics } = derive('WithMethods')
    expect(diagnostics).toEqual([
      expect.objectContaining({
        path: 'payload.upper',
        line: fixture.lineOf('types.ts', 'get upper()'),
        message: expect.stringMatching(/accessor/),
      }),
    ])
  })

  it('stops, once, at a recursive type that changes at each level', () => {
    const { diagnostics } = derive('ExpandingString')
    expect(diagnostics).toEqual([expect.objectContaining({ message: expect.stringMatching(/nests more than 64 levels deep/) })])
  })

  it('reports a type that does not type-check', () => {
    const { diagnostics } = derive('Broken')
    expect(diagnostics).toEqual([
      expect.objectContaining({ path: 'payload.missing', message: expect.stringMatching(/does not type-check/) }),
    ])
  })
})
