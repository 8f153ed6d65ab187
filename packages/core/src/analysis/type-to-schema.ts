/**
 * TypeScript type → JSON Schema 2020-12 of every value of that type *after the JSON round trip*,
 * because that is what a consumer receives:
 *
 * - `Date` becomes `{ type: 'string', format: 'date-time' }`: JSON.stringify calls `Date#toJSON`,
 *   which sends the ISO string. (An invalid Date would send null; we assume producers send valid
 *   dates, as we assume numbers are finite — NaN and ±Infinity also arrive as null.) Any other type
 *   with a `toJSON()` method becomes what its `toJSON()` returns.
 * - `undefined` makes a property optional (JSON drops it); a property that can only be undefined is
 *   never sent (`false`); an `undefined` array or tuple element arrives as null.
 * - Object types are open: a value may carry properties its type does not mention (structural typing),
 *   and JSON sends them, so `additionalProperties` is left unconstrained unless the type has a string
 *   index signature (`Record<string, T>` → `additionalProperties: T`) or `exactObjects` is set.
 * - `readonly` changes nothing on the wire. Template literal types widen to `string`, which is sound
 *   (the writer's schema may only ever be wider than the truth).
 * - What has no faithful schema (functions, methods, symbols, bigint, `any`, `unknown`, `object`,
 *   Map/Set/Promise, unresolved type parameters and conditional types, non-string index keys) gets a
 *   "cannot derive" diagnostic at the declaration that introduced it, and `true` in the schema.
 * - JSDoc refinement tags on properties and type aliases (`@format uuid`, `@integer`, `@minimum 1`,
 *   `@minItems 1`, …) narrow the derived schema: promises the types cannot express, trusted here and
 *   checked by replay (see jsdoc-refinements.ts and refine-schema.ts).
 *
 * Recursive types become `$defs` + `$ref` at the root of the returned schema.
 */
import { ts } from 'ts-morph'
import { ErrorCodes } from '../errors.js'
import type { JsonSchema } from '../json/types.js'
import { refinementOf } from './jsdoc-refinements.js'
import { childPath, isUserCode, locate } from './locations.js'
import { applyRefinement } from './refine-schema.js'
import type { Diagnostic } from './types.js'
import { anyOf, combine, type JsonType, type Literal } from './union.js'

interface Ctx {
  /** The declaration diagnostics point to: the nearest one in the provider's own code. */
  site: ts.Node
  /** Where in the message, for diagnostics (`payload.lines[].sku`). */
  path: string
}

export interface Derived {
  schema: JsonSchema
  diagnostics: Diagnostic[]
}

const { TypeFlags: F, SymbolFlags, ElementFlags } = ts

/** Deeper than this is a type that grows at each level (`type Deep<T> = { next: Deep<T[]> }`). */
const MAX_DEPTH = 64
const TOO_DEEP = `nests more than ${MAX_DEPTH} levels deep`

const PRIMITIVE = F.StringLike | F.NumberLike | F.BooleanLike | F.EnumLike | F.Null
const UNDEFINED = F.Undefined | F.Void
const UNRESOLVED = F.TypeParameter | F.Conditional | F.Substitution | F.Index | F.IndexedAccess

/** Why a standard-library type does not travel as its type says, by name. */
const LIB_REASONS: Record<string, string> = {
  Map: 'a Map, which JSON turns into {}; send an object (Record<string, T>) instead',
  ReadonlyMap: 'a Map, which JSON turns into {}; send an object (Record<string, T>) instead',
  Set: 'a Set, which JSON turns into {}; send an array instead',
  ReadonlySet: 'a Set, which JSON turns into {}; send an array instead',
  Promise: 'a Promise, which JSON turns into {}; await it before building the message',
}

export class SchemaDeriver {
  readonly #checker: ts.TypeChecker
  readonly #program: ts.Program
  readonly #exact: boolean
  #diagnostics: Diagnostic[] = []
  #defs = new Map<string, JsonSchema>()
  /** Types being converted (the path from the root), to spot recursion. */
  #active = new Map<ts.Type, { name?: string }>()
  /** Recursive types already in `$defs`, so a second use refers to the same entry. */
  #inDefs = new Map<ts.Type, string>()
  #depth = 0

  constructor(program: ts.Program, options: { exactObjects?: boolean } = {}) {
    this.#program = program
    this.#checker = program.getTypeChecker()
    this.#exact = options.exactObjects === true
  }

  /**
   * The schema of every JSON value `type` can become, with a diagnostic per construct it cannot
   * translate. `undefined` at the root is not translated but reported as `mayBeAbsent`: whether an
   * absent part is an error (payload) or means "none" (headers) is the caller's call.
   */
  derive(type: ts.Type, site: ts.Node, path: string): Derived & { mayBeAbsent: boolean } {
    return this.deriveAny([{ type, site, path }])
  }

  /** Like `derive`, for a value of any of several types (the branches of a producer that can return several shapes). */
  deriveAny(roots: readonly { type: ts.Type; site: ts.Node; path: string }[]): Derived & { mayBeAbsent: boolean } {
    this.#diagnostics = []
    this.#defs = new Map()
    this.#active = new Map()
    this.#inDefs = new Map()
    this.#depth = 0
    let mayBeAbsent = false
    const branches = roots.map(({ type, site, path }) => {
      const members = type.isUnion() ? type.types : [type]
      const present = members.filter((m) => !(m.flags & UNDEFINED))
      if (present.length < members.length) mayBeAbsent = true
      const ctx: Ctx = { site, path }
      return present.length === members.length ? this.#schema(type, ctx) : this.#members(present, ctx)
    })
    const schema = combine(new Set(), [], branches)
    const result = { schema, diagnostics: this.#diagnostics, mayBeAbsent }
    if (this.#defs.size === 0 || typeof schema === 'boolean') return result
    const $defs = Object.fromEntries([...this.#defs].sort(([a], [b]) => (a < b ? -1 : 1)))
    return { ...result, schema: { ...schema, $defs } }
  }

  #schema(type: ts.Type, ctx: Ctx): JsonSchema {
    if (!type.isUnion()) return this.#members([type], ctx)
    return this.#tracked(type, ctx, () => this.#members(type.types, ctx))
  }

  /** Recursion: a type met again inside itself becomes a `$ref` to a `$defs` entry. */
  #tracked(type: ts.Type, ctx: Ctx, build: () => JsonSchema): JsonSchema {
    const defined = this.#inDefs.get(type)
    if (defined !== undefined) return { $ref: `#/$defs/${defined}` }
    const open = this.#active.get(type)
    if (open) {
      open.name ??= this.#defName(type)
      return { $ref: `#/$defs/${open.name}` }
    }
    if (this.#depth >= MAX_DEPTH) {
      // Once is enough: every branch below the limit would say the same.
      if (this.#diagnostics.some((d) => d.message.includes(TOO_DEEP))) return true
      return this.#cannot(ctx, `${TOO_DEEP} (a recursive type that changes at each level?)`)
    }
    const frame: { name?: string } = {}
    this.#active.set(type, frame)
    this.#depth++
    try {
      const schema = build()
      if (frame.name === undefined) return schema
      this.#defs.set(frame.name, schema)
      this.#inDefs.set(type, frame.name)
      return { $ref: `#/$defs/${frame.name}` }
    } finally {
      this.#active.delete(type)
      this.#depth--
    }
  }

  #defName(type: ts.Type): string {
    const symbol = type.aliasSymbol ?? type.getSymbol()
    const raw = symbol && !symbol.getName().startsWith('__') ? symbol.getName() : 'Type'
    const base = raw.replace(/[^A-Za-z0-9_]/g, '_')
    let name = base
    for (let i = 2; this.#defs.has(name) || this.#isActiveName(name); i++) name = `${base}${i}`
    return name
  }

  #isActiveName(name: string): boolean {
    for (const frame of this.#active.values()) if (frame.name === name) return true
    return false
  }

  /** The union of `members`: primitives folded into `type`, literals into `enum`, the rest into `anyOf`. */
  #members(members: readonly ts.Type[], ctx: Ctx): JsonSchema {
    const types = new Set<JsonType>()
    const literals: Literal[] = []
    const branches: JsonSchema[] = []
    for (const m of members) {
      const f = m.flags
      if (f & F.Never) continue
      // Properties and the root strip undefined before coming here; in an array JSON sends it as null.
      if (f & UNDEFINED) types.add('null')
      else if (f & F.Null) types.add('null')
      else if (f & F.BooleanLiteral) literals.push(this.#checker.typeToString(m) === 'true')
      else if (f & F.StringLiteral) literals.push((m as ts.StringLiteralType).value)
      else if (f & F.NumberLiteral) literals.push((m as ts.NumberLiteralType).value)
      else if (f & (F.String | F.TemplateLiteral | F.StringMapping)) types.add('string')
      else if (f & (F.Number | F.Enum)) types.add('number')
      else if (f & F.Boolean) types.add('boolean')
      else branches.push(this.#nonPrimitive(m, ctx))
    }
    return combine(types, literals, branches)
  }

  #nonPrimitive(type: ts.Type, ctx: Ctx): JsonSchema {
    const f = type.flags
    const text = () => this.#checker.typeToString(type)
    if (f & F.BigIntLike) return this.#cannot(ctx, 'is a bigint, which JSON.stringify cannot serialise (it throws); send it as a string')
    if (f & F.ESSymbolLike) return this.#cannot(ctx, 'is a symbol, which JSON drops')
    if (f & F.Any) {
      const broken = (type as { intrinsicName?: string }).intrinsicName === 'error'
      return this.#cannot(
        ctx,
        broken ? 'has a type that does not type-check (an unresolved import or name?)' : 'is `any`; declare its type',
      )
    }
    if (f & F.Unknown) return this.#cannot(ctx, 'is `unknown`; declare its type')
    if (f & F.NonPrimitive) return this.#cannot(ctx, 'is `object`, which says nothing about its fields; declare them')
    if (f & UNRESOLVED) return this.#cannot(ctx, `is \`${text()}\`, which does not resolve to a concrete type here`)
    if (f & F.Intersection) return this.#tracked(type, ctx, () => this.#intersection(type as ts.IntersectionType, ctx))
    if (f & F.Object) return this.#tracked(type, ctx, () => this.#object(type as ts.ObjectType, ctx))
    return this.#cannot(ctx, `is \`${text()}\`, which has no JSON Schema translation`)
  }

  #object(type: ts.ObjectType, ctx: Ctx): JsonSchema {
    const checker = this.#checker
    const symbol = type.getSymbol()
    if (checker.isTupleType(type)) return this.#tuple(type as ts.TypeReference, ctx)
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference)
      return { type: 'array', items: this.#schema(element!, { ...ctx, path: `${ctx.path}[]` }) }
    }
    const fromLib = symbol !== undefined && symbol.flags & (SymbolFlags.Interface | SymbolFlags.Class) && this.#fromLib(symbol)
    if (fromLib && symbol.getName() === 'Date') return { type: 'string', format: 'date-time' }
    const toJSON = checker.getPropertyOfType(type, 'toJSON')
    if (toJSON) {
      const signatures = checker.getTypeOfSymbol(toJSON).getCallSignatures()
      const results = signatures.flatMap((s) => {
        const r = s.getReturnType()
        return r.isUnion() ? r.types : [r]
      })
      if (results.length > 0) return this.#members(results, ctx)
    }
    if (fromLib) {
      const reason = LIB_REASONS[symbol.getName()] ?? `is a ${symbol.getName()}, which does not travel as JSON the way its type says`
      return this.#cannot(ctx, reason)
    }
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      return this.#cannot(ctx, 'is a function, which JSON drops; leave it out of the message')
    }
    return this.#record(type, ctx)
  }

  #intersection(type: ts.IntersectionType, ctx: Ctx): JsonSchema {
    // A branded primitive (`string & { __brand: 'OrderId' }`): the object part exists only at compile time.
    const primitives = type.types.filter((t) => t.flags & PRIMITIVE)
    if (primitives.length > 0) return this.#members(primitives, ctx)
    const unresolved = type.types.find((t) => t.flags & UNRESOLVED)
    if (unresolved)
      return this.#cannot(ctx, `is \`${this.#checker.typeToString(unresolved)}\`, which does not resolve to a concrete type here`)
    if (type.types.some((t) => this.#checker.isArrayType(t) || this.#checker.isTupleType(t))) {
      return this.#cannot(ctx, 'is an intersection with an array, which has no JSON Schema translation')
    }
    return this.#record(type, ctx)
  }

  #tuple(type: ts.TypeReference, ctx: Ctx): JsonSchema {
    const { elementFlags } = type.target as ts.TupleType
    const prefixItems: JsonSchema[] = []
    const rest: JsonSchema[] = []
    let minItems = 0
    this.#checker.getTypeArguments(type).forEach((element, i) => {
      const flags = elementFlags[i] ?? ElementFlags.Required
      const at: Ctx = { ...ctx, path: `${ctx.path}[${i}]` }
      if (flags & ElementFlags.Variadic) {
        rest.push(this.#cannot(at, `spreads \`${this.#checker.typeToString(element)}\`, which does not resolve to a tuple here`))
      } else if (flags & ElementFlags.Rest || rest.length > 0) {
        // Elements after a rest element cannot be placed by position: they widen the rest's schema.
        rest.push(this.#schema(element, at))
        if (flags & ElementFlags.Required) minItems++
      } else if (flags & ElementFlags.Optional) {
        // `[a, undefined]` is a valid `[A, B?]`, and JSON sends that undefined as null.
        const members = element.isUnion() ? element.types : [element]
        prefixItems.push(this.#members([...members, this.#checker.getUndefinedType()], at))
      } else {
        prefixItems.push(this.#schema(element, at))
        minItems++
      }
    })
    const schema: { [k: string]: JsonSchema | JsonSchema[] | number | string } = { type: 'array' }
    if (prefixItems.length > 0) schema.prefixItems = prefixItems
    if (rest.length === 0) {
      schema.items = false
      schema.maxItems = prefixItems.length
    } else {
      schema.items = rest.length === 1 ? rest[0]! : anyOf(rest)
    }
    schema.minItems = minItems
    return schema
  }

  /** An object type (interface, type literal, mapped type, class instance, intersection of those). */
  #record(type: ts.Type, ctx: Ctx): JsonSchema {
    const checker = this.#checker
    const properties: Record<string, JsonSchema> = {}
    const required: string[] = []
    for (const property of checker.getPropertiesOfType(type)) {
      const name = property.getName()
      // JSON sends neither symbol-keyed (`__@iterator@12`) nor #private (`__#3@#secret`) members.
      if (name.startsWith('__@') || name.startsWith('__#')) continue
      const declaration = property.valueDeclaration ?? property.declarations?.[0]
      const site = declaration && isUserCode(this.#program, declaration) ? declaration : ctx.site
      const at: Ctx = { site, path: childPath(ctx.path, name) }
      if (property.flags & SymbolFlags.Method) {
        properties[name] = this.#cannot(at, 'is a method; a message must be plain data (JSON drops functions)')
        continue
      }
      if (property.flags & SymbolFlags.Accessor && declaration && ts.isClassLike(declaration.parent)) {
        properties[name] = this.#cannot(at, 'is a class accessor, which lives on the prototype: JSON does not send it')
        continue
      }
      const propertyType = checker.getTypeOfSymbol(property)
      const members = propertyType.isUnion() ? propertyType.types : [propertyType]
      const present = members.filter((m) => !(m.flags & UNDEFINED))
      let schema: JsonSchema = false // only ever undefined: JSON never sends it
      if (present.length > 0) schema = present.length === members.length ? this.#schema(propertyType, at) : this.#members(present, at)
      properties[name] = this.#refined(schema, property, type, at.path)
      if (present.length > 0 && present.length === members.length && !(property.flags & SymbolFlags.Optional)) required.push(name)
    }
    let additional: JsonSchema | undefined
    for (const index of checker.getIndexInfosOfType(type)) {
      const key = index.keyType
      if (key.flags & F.String) {
        const values = index.type.isUnion() ? index.type.types : [index.type]
        const present = values.filter((v) => !(v.flags & UNDEFINED))
        additional = present.length === 0 ? false : this.#members(present, { ...ctx, path: `${ctx.path}[string]` })
      } else if (key.flags & F.ESSymbolLike) {
        // JSON ignores symbol keys.
      } else if (!(key.flags & F.Number && checker.getIndexInfoOfType(type, ts.IndexKind.String))) {
        const keyText = checker.typeToString(key)
        this.#cannot(ctx, `has an index signature keyed by \`${keyText}\`; JSON keys are plain strings: use Record<string, T>`)
        additional = true
      }
    }
    // An object literal's type (its symbol survives widening; its ObjectLiteral flag does not).
    const isLiteral = (type.getSymbol()?.flags ?? 0) & SymbolFlags.ObjectLiteral
    if (Object.keys(properties).length === 0 && additional === undefined && !isLiteral) {
      return this.#cannot(
        ctx,
        `is \`${checker.typeToString(type)}\`, which admits any value but null and undefined; declare its properties`,
      )
    }
    const schema: { [k: string]: unknown } = { type: 'object' }
    if (Object.keys(properties).length > 0) schema.properties = properties
    if (required.length > 0) schema.required = required
    if (additional !== undefined) schema.additionalProperties = additional
    else if (this.#exact) schema.additionalProperties = false
    return schema
  }

  /** `schema` with the JSDoc refinement tags of the property's declarations merged in (jsdoc-refinements.ts). */
  #refined(schema: JsonSchema, property: ts.Symbol, owner: ts.Type, path: string): JsonSchema {
    const refinement = refinementOf(this.#checker, property, owner)
    if (!refinement) return schema
    const refined = applyRefinement(schema, refinement, path, (ref) => this.#defs.get(ref.slice('#/$defs/'.length)))
    for (const p of refined.problems) this.#cannot({ site: p.node, path: p.path }, p.why)
    return refined.schema
  }

  #fromLib(symbol: ts.Symbol): boolean {
    const declarations = symbol.declarations ?? []
    // `some`, not `every`: a global augmentation (`interface Date { … }` in user code) is still the lib's Date.
    return declarations.some((d) => this.#program.isSourceFileDefaultLibrary(d.getSourceFile()))
  }

  #cannot(ctx: Ctx, why: string): JsonSchema {
    this.#diagnostics.push({
      code: ErrorCodes.ANALYSIS_CANNOT_DERIVE,
      ...locate(ctx.site),
      message: `cannot derive ${ctx.path}: it ${why}`,
      path: ctx.path,
    })
    return true
  }
}
