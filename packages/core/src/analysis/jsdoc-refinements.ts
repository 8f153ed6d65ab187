/**
 * JSDoc refinement tags: what a TypeScript type cannot say (a uuid, an integer, `qty >= 1`, one to a
 * hundred items), said in the doc comment of a declaration and merged into the schema derived from
 * its type. `@format uuid` on `jobId: string` makes `{ type: 'string', format: 'uuid' }`; `@integer`
 * and `@minimum 1` on `copies: number` make `{ type: 'integer', minimum: 1 }`; `@format uuid` on
 * `type Uuid = string` makes every property typed `Uuid` a uuid. `REFINEMENT_TAGS` lists them all.
 *
 * These tags are the producer's PROMISE, not something proven: static verification trusts them as it
 * trusts the types, and proves the consumer's expectations from types and tags together. Whether the
 * code keeps the promise — that `jobId` really is a uuid — is checked by the runtime verifier
 * (replay: `contractTests` / `verifyContracts`), which validates what the real producers send against
 * the consumers' schemas. Run both: static verification covers every message the types allow,
 * replay covers what the code actually does.
 *
 * Where a tag applies:
 * - on a property of an interface, type literal or class, to that property's value;
 * - on a type alias, to every property whose declared type names the alias, through other aliases
 *   (`type JobId = Uuid`), `| null` / `| undefined`, intersections (`Uuid & { __brand: 'Job' }`) and
 *   arrays (`Uuid[]`, `readonly Uuid[]`, `Array<Uuid>`: the tag refines the elements).
 * - A tag refines only the part of the value it is about, as JSON Schema's type-specific keywords do:
 *   `@format uuid` on `string | null` leaves null allowed.
 *
 * Where a tag does not reach (the schema is then wider than the promise, never narrower, so a
 * consumer relying on it fails with a difference instead of passing on a promise nobody made): an
 * alias passed as a type argument (`Page<Uuid>`), an inferred type (`{ jobId: job.id }` names no
 * alias: declare the producer's return type), and properties copied by a mapped type that changes
 * their values (`{ [K in keyof T]: string }`) or by a spread (`{ ...order }`). Mapped types that
 * keep each value (`Partial`, `Required`, `Readonly`, `Pick`, `Omit`) keep the tags.
 *
 * A tag that does not fit — `@minimum` on a string, a value that does not parse, an unknown format,
 * bounds no value satisfies, a literal the type allows that breaks the tag, a doc comment after other code
 * on the property's line (attached to nothing) — is a "cannot derive"
 * diagnostic at the tag's file:line, and the tag is left out of the schema (refine-schema.ts). Never
 * silently ignored: a promise that cannot be read proves nothing.
 */
import { ts } from 'ts-morph'
import { REFINEMENT_TAGS } from '../schema/refinement-tags.js'

/** What the declarations say about a value: tags for the value itself, and for its array elements. */
export interface Refinement {
  tags: ts.JSDocTag[]
  items?: Refinement
  /** Tags found where they cannot be placed soundly (one member of a union). */
  problems: Problem[]
}

/** Something to report: `why` reads after "cannot derive <path>: it …". */
export interface Problem {
  node: ts.Node
  path: string
  why: string
}

/** Mapped types over mapped types, bases of bases: deeper than this, the tags are not carried. */
const MAX_DEPTH = 32

/**
 * The refinement the declarations of `property` (a property of `owner`) carry, or undefined when
 * they carry none or cannot be trusted for this property (see `keepsDeclaredValue`).
 */
export function refinementOf(checker: ts.TypeChecker, property: ts.Symbol, owner: ts.Type): Refinement | undefined {
  let refinement: Refinement = { tags: [], problems: [] }
  for (const declaration of new Set(property.declarations ?? [])) {
    const typeNode = (declaration as { type?: ts.Node }).type
    const fromType = typeNode && ts.isTypeNode(typeNode) ? walk(checker, typeNode, new Set()) : undefined
    const tags = ts.getJSDocTags(declaration).filter(isRefinementTag)
    refinement = merge(refinement, { tags, problems: tags.length === 0 ? unattached(declaration) : [] })
    if (fromType) refinement = merge(refinement, fromType)
  }
  if (isEmpty(refinement)) return undefined
  return keepsDeclaredValue(checker, owner, property.getName(), 0) ? refinement : undefined
}

function isRefinementTag(tag: ts.JSDocTag): boolean {
  return REFINEMENT_TAGS.has(tag.tagName.text)
}

/**
 * A doc comment with refinement tags after other code on the declaration's line (`{ sku: string; /** @integer *\/ qty:
 * number }`): TypeScript attaches a doc comment only when it starts its line, so its tags would silently refine nothing.
 */
function unattached(declaration: ts.Declaration): Problem[] {
  const text = declaration.getSourceFile().text
  return (ts.getTrailingCommentRanges(text, declaration.pos) ?? []).flatMap((range) => {
    const comment = text.slice(range.pos, range.end)
    const tag = comment.startsWith('/**') ? [...comment.matchAll(/@(\w+)/g)].find((m) => REFINEMENT_TAGS.has(m[1]!)) : undefined
    if (!tag) return []
    const why = `has a doc comment with @${tag[1]} after other code on its line, which TypeScript attaches to nothing: start the comment on a line of its own`
    return [{ node: declaration, path: '', why }]
  })
}

/** The tags a type written as `node` brings along: those of the aliases it names, followed as the module header says. */
function walk(checker: ts.TypeChecker, node: ts.TypeNode, seen: Set<ts.Node>): Refinement {
  const none: Refinement = { tags: [], problems: [] }
  if (ts.isParenthesizedTypeNode(node)) return walk(checker, node.type, seen)
  if (ts.isTypeOperatorNode(node)) return node.operator === ts.SyntaxKind.ReadonlyKeyword ? walk(checker, node.type, seen) : none
  if (ts.isArrayTypeNode(node)) return { ...none, items: walk(checker, node.elementType, seen) }
  if (ts.isIntersectionTypeNode(node)) return node.types.map((t) => walk(checker, t, seen)).reduce(merge, none)
  if (ts.isUnionTypeNode(node)) return walkUnion(checker, node, seen)
  if (!ts.isTypeReferenceNode(node)) return none
  let symbol = checker.getSymbolAtLocation(node.typeName)
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
  const alias = symbol?.declarations?.find(ts.isTypeAliasDeclaration)
  if (alias) {
    if (seen.has(alias)) return none
    const inner = walk(checker, alias.type, new Set([...seen, alias]))
    return merge({ tags: ts.getJSDocTags(alias).filter(isRefinementTag), problems: [] }, inner)
  }
  const [element] = node.typeArguments ?? []
  if (node.typeArguments?.length === 1 && element && checker.isArrayType(checker.getTypeFromTypeNode(node))) {
    return { ...none, items: walk(checker, element, seen) }
  }
  return none
}

/**
 * `Uuid | null` refines the non-null part. With several non-null members, a member's tags cannot be
 * placed: TypeScript folds `Uuid | string` into `string`, and JSON Schema would apply `format` to
 * every string. Reported rather than dropped or widened.
 */
function walkUnion(checker: ts.TypeChecker, node: ts.UnionTypeNode, seen: Set<ts.Node>): Refinement {
  const present = node.types.filter((t) => !isNullish(t))
  const parts = present.map((t) => walk(checker, t, seen))
  if (parts.length === 1) return parts[0]!
  const tagged = present.filter((_, i) => !isEmpty(parts[i]!))
  if (tagged.length === 0) return { tags: [], problems: [] }
  const names = tagged.map((t) => `\`${t.getText()}\``).join(', ')
  return {
    tags: [],
    problems: [
      {
        node,
        path: '',
        why: `is \`${node.getText()}\`, whose member ${names} carries JSDoc refinement tags that cannot be placed on one member of a union; tag the property instead`,
      },
    ],
  }
}

function isNullish(node: ts.TypeNode): boolean {
  if (ts.isLiteralTypeNode(node)) return node.literal.kind === ts.SyntaxKind.NullKeyword
  return node.kind === ts.SyntaxKind.UndefinedKeyword || node.kind === ts.SyntaxKind.VoidKeyword
}

function merge(a: Refinement, b: Refinement): Refinement {
  const merged: Refinement = { tags: [...a.tags, ...b.tags], problems: [...a.problems, ...b.problems] }
  if (a.items && b.items) merged.items = merge(a.items, b.items)
  else if (a.items ?? b.items) merged.items = (a.items ?? b.items)!
  return merged
}

export function isEmpty(r: Refinement): boolean {
  return r.tags.length === 0 && r.problems.length === 0 && (r.items === undefined || isEmpty(r.items))
}

/**
 * Whether the value of `owner[name]` is the value its declarations describe, so their promise holds
 * for it: the property is declared by the type itself, inherited, or instantiated from a generic
 * (`Page<Order>`: the promise holds for every `T`). A mapped type or a spread copies declarations
 * whatever it does to the values: a mapped type keeps the promise only when each value is
 * `Source[K]` (Partial, Pick, Omit, …) and the source keeps it; a spread (`{ ...order }`) is not
 * followed.
 */
function keepsDeclaredValue(checker: ts.TypeChecker, owner: ts.Type, name: string, depth: number): boolean {
  if (depth > MAX_DEPTH) return false
  if (owner.isIntersection()) {
    return owner.types.every((t) => !checker.getPropertyOfType(t, name) || keepsDeclaredValue(checker, t, name, depth + 1))
  }
  if (!(owner.flags & ts.TypeFlags.Object)) return false
  const flags = (owner as ts.ObjectType).objectFlags
  if (flags & ts.ObjectFlags.Mapped) {
    const source = mappedSource(checker, owner)
    return source !== undefined && keepsDeclaredValue(checker, source, name, depth + 1)
  }
  const target = flags & ts.ObjectFlags.Reference ? (owner as ts.TypeReference).target : (owner as ts.ObjectType)
  const own = new Set<ts.Node>(target.getSymbol()?.declarations ?? [])
  if (checker.getPropertyOfType(owner, name)?.declarations?.some((d) => own.has(d.parent))) return true
  if (!(target.objectFlags & ts.ObjectFlags.ClassOrInterface)) return false
  const base = checker.getBaseTypes(target as ts.InterfaceType).find((b) => checker.getPropertyOfType(b, name))
  return base !== undefined && keepsDeclaredValue(checker, base, name, depth + 1)
}

/**
 * The type a mapped type copies its values from, when its template is `X[K]` for `K in keyof X`
 * (or `K in P` with `P extends keyof X`, as in Pick) and it renames no key; otherwise undefined.
 */
function mappedSource(checker: ts.TypeChecker, mapped: ts.Type): ts.Type | undefined {
  const node = mapped.getSymbol()?.declarations?.find(ts.isMappedTypeNode)
  if (!node || node.nameType || !node.type || !ts.isIndexedAccessTypeNode(node.type)) return undefined
  const { objectType, indexType } = node.type
  const same = (a: ts.Node, b: ts.Node) => checker.getSymbolAtLocation(a) === checker.getSymbolAtLocation(b)
  if (!ts.isTypeReferenceNode(indexType) || !same(indexType.typeName, node.typeParameter.name)) return undefined
  let keys = node.typeParameter.constraint
  if (keys && ts.isTypeReferenceNode(keys)) {
    const declaration = checker.getSymbolAtLocation(keys.typeName)?.declarations?.find(ts.isTypeParameterDeclaration)
    keys = declaration?.constraint
  }
  if (!keys || !ts.isTypeOperatorNode(keys) || keys.operator !== ts.SyntaxKind.KeyOfKeyword) return undefined
  if (!ts.isTypeReferenceNode(objectType) || !ts.isTypeReferenceNode(keys.type) || !same(objectType.typeName, keys.type.typeName))
    return undefined
  // The instantiated source is TypeScript's `modifiersType`: internal, set once the members are
  // resolved. Without it (another TypeScript), the tags are not carried: narrower never, wider only.
  checker.getPropertiesOfType(mapped)
  return (mapped as { modifiersType?: ts.Type }).modifiersType
}
