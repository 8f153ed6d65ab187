/**
 * Finds the producers in the provider's source: the same `producers` object the runtime verifier is
 * given, so one definition serves example replay and static verification. An object literal is a
 * producers map when it is
 *
 *   1. the initializer of a variable named `producers`   (`export const producers = { … }`),
 *   2. annotated or checked as `Producers`                (`const p: Producers = { … }`, `{ … } satisfies Producers`,
 *                                                          or returned by `function make(db): Producers { return { … } }`),
 *   3. the `producers` option of a call                   (`verifyContracts({ provider, contracts, producers: { … } })`),
 *
 * written inline or reached through identifiers, imports and calls of a function that returns it
 * (`producers: pdfProducers`, `producers: makeProducers(db)`). Each property
 * of the map, spreads included, is one producer, keyed as the verifier keys it (description,
 * `channel#messageName` or channel). What it emits is the `payload` (and `headers`) of its declared or
 * inferred return type, Promise unwrapped. A return type without `headers` means no headers are sent.
 */
import type { Project } from 'ts-morph'
import { ts } from 'ts-morph'
import { ErrorCodes } from '../errors.js'
import type { JsonSchema } from '../json/types.js'
import { isUserCode, locate } from './locations.js'
import type { SchemaDeriver } from './type-to-schema.js'
import type { DerivedProducer, Diagnostic } from './types.js'

/** What a producer that returns no `headers` sends: the verifier treats absent headers as `{}`. */
const NO_HEADERS: JsonSchema = { type: 'object', additionalProperties: false }

/** Every producers map (object literal) in `files`, or in every project file outside node_modules. */
export function findProducerMaps(project: Project, files?: readonly string[]): ts.ObjectLiteralExpression[] {
  // Adding files first: adding one later would make a new program.
  const wanted = files === undefined ? undefined : new Set<string>(files.map((f) => project.addSourceFileAtPath(f).getFilePath()))
  const program = project.getProgram().compilerObject
  const checker = program.getTypeChecker()
  const maps = new Set<ts.ObjectLiteralExpression>()
  const add = (expression: ts.Expression | undefined) => {
    const literal = expression && resolveLiteral(expression, checker, 0)
    if (literal) maps.add(literal)
  }
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) {
      if ((ts.isIdentifier(node.name) && node.name.text === 'producers') || isProducersType(node.type)) add(node.initializer)
    } else if (ts.isSatisfiesExpression(node) || ts.isAsExpression(node)) {
      if (isProducersType(node.type)) add(node.expression)
    } else if (ts.isFunctionLike(node) && isProducersType(node.type)) {
      const literal = returnedLiteral(node, checker, 0)
      if (literal) maps.add(literal)
    } else if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && isProducersOption(node)) {
      add(ts.isPropertyAssignment(node) ? node.initializer : node.name)
    }
    ts.forEachChild(node, visit)
  }
  for (const sourceFile of program.getSourceFiles()) {
    if (sourceFile.isDeclarationFile || !isUserCode(program, sourceFile)) continue
    if (wanted && !wanted.has(sourceFile.fileName)) continue
    visit(sourceFile)
  }
  return [...maps]
}

/** The producers of every map, in source order, with their payload and headers schemas derived. */
export function deriveProducers(project: Project, maps: readonly ts.ObjectLiteralExpression[], deriver: SchemaDeriver): DerivedProducer[] {
  const checker = project.getProgram().compilerObject.getTypeChecker()
  const producers: DerivedProducer[] = []
  for (const map of maps) {
    for (const entry of checker.getPropertiesOfType(checker.getTypeAtLocation(map))) {
      const declaration = entry.valueDeclaration ?? entry.declarations?.[0] ?? map
      producers.push(deriveProducer(entry.getName(), checker.getTypeOfSymbolAtLocation(entry, map), declaration, checker, deriver))
    }
  }
  return producers
}

function deriveProducer(key: string, type: ts.Type, entry: ts.Node, checker: ts.TypeChecker, deriver: SchemaDeriver): DerivedProducer {
  const location = locate(entry)
  const diagnostics: Diagnostic[] = []
  const invalid = (message: string) => {
    diagnostics.push({ code: ErrorCodes.ANALYSIS_PRODUCER_INVALID, ...location, message, producer: key })
  }
  const signatures = type.getCallSignatures()
  if (signatures.length === 0)
    invalid(`producers[${JSON.stringify(key)}] is not a function (its type is \`${checker.typeToString(type)}\`)`)
  const messages = signatures.flatMap((s) => {
    const returned = s.getReturnType()
    const awaited = checker.getAwaitedType(returned) ?? returned
    return awaited.isUnion() ? awaited.types : [awaited]
  })
  const payloads: Root[] = []
  const headers: Root[] = []
  let someWithoutHeaders = false
  for (const message of messages) {
    if (message.flags & ts.TypeFlags.Never) continue // a branch that throws sends nothing
    const payload = message.flags & ts.TypeFlags.Object ? checker.getPropertyOfType(message, 'payload') : undefined
    if (!payload) {
      invalid(`producers[${JSON.stringify(key)}] returns \`${checker.typeToString(message)}\`, not { payload, headers? }`)
      continue
    }
    payloads.push(root(payload, 'payload', entry))
    const header = checker.getPropertyOfType(message, 'headers')
    if (header) headers.push(root(header, 'headers', entry))
    else someWithoutHeaders = true
  }

  const payload = deriver.deriveAny(payloads)
  for (const d of payload.diagnostics) diagnostics.push({ ...d, producer: key, part: 'payload' })
  if (payload.mayBeAbsent) {
    diagnostics.push({
      code: ErrorCodes.ANALYSIS_CANNOT_DERIVE,
      ...locate(payloads[0]?.site ?? entry),
      message: 'cannot derive payload: it may be undefined, which is not a JSON value; always send a payload',
      producer: key,
      part: 'payload',
      path: 'payload',
    })
  }
  let headersSchema: JsonSchema = NO_HEADERS
  if (headers.length > 0) {
    const derived = deriver.deriveAny(headers)
    for (const d of derived.diagnostics) diagnostics.push({ ...d, producer: key, part: 'headers' })
    headersSchema = derived.mayBeAbsent || someWithoutHeaders ? { anyOf: [derived.schema, NO_HEADERS] } : derived.schema
  }
  return {
    key,
    location,
    payload: payloads.length === 0 ? true : payload.schema,
    headers: headersSchema,
    diagnostics,
  }

  function root(property: ts.Symbol, path: 'payload' | 'headers', fallback: ts.Node): Root {
    const declaration = property.valueDeclaration ?? property.declarations?.[0]
    return { type: checker.getTypeOfSymbol(property), site: declaration ?? fallback, path }
  }
}

interface Root {
  type: ts.Type
  site: ts.Node
  path: string
}

function isProducersType(type: ts.TypeNode | undefined): boolean {
  if (!type || !ts.isTypeReferenceNode(type)) return false
  const name = type.typeName
  return (ts.isIdentifier(name) ? name.text : name.right.text) === 'Producers'
}

/** `producers: …` in an object passed straight to a function: `verifyContracts({ …, producers })`. */
function isProducersOption(node: ts.PropertyAssignment | ts.ShorthandPropertyAssignment): boolean {
  const { name } = node
  if (!(ts.isIdentifier(name) || ts.isStringLiteral(name)) || name.text !== 'producers') return false
  const call = node.parent.parent
  return ts.isCallExpression(call) || ts.isNewExpression(call)
}

/**
 * The object literal an expression stands for, through parentheses, `as`/`satisfies`, variables,
 * imports, and calls of a function that returns one (`producers: makeProducers(db)`).
 */
function resolveLiteral(expression: ts.Expression, checker: ts.TypeChecker, depth: number): ts.ObjectLiteralExpression | undefined {
  let e = expression
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e))
    e = e.expression
  if (ts.isObjectLiteralExpression(e)) return e
  if (depth > 8) return undefined
  const called = ts.isCallExpression(e)
  const name = ts.isCallExpression(e) ? e.expression : e
  if (!ts.isIdentifier(name)) return undefined
  let symbol =
    !called && ts.isShorthandPropertyAssignment(name.parent)
      ? checker.getShorthandAssignmentValueSymbol(name.parent)
      : checker.getSymbolAtLocation(name)
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
  let declaration: ts.Node | undefined = symbol?.valueDeclaration
  if (declaration && ts.isVariableDeclaration(declaration)) {
    if (!declaration.initializer) return undefined
    if (!called) return resolveLiteral(declaration.initializer, checker, depth + 1)
    declaration = declaration.initializer
  }
  return called && declaration && ts.isFunctionLike(declaration) ? returnedLiteral(declaration, checker, depth + 1) : undefined
}

/** The object literal a function returns (the first `return` that resolves to one), nested functions aside. */
function returnedLiteral(fn: ts.SignatureDeclaration, checker: ts.TypeChecker, depth: number): ts.ObjectLiteralExpression | undefined {
  const body = (fn as ts.FunctionLikeDeclarationBase).body
  if (!body) return undefined
  if (!ts.isBlock(body)) return resolveLiteral(body, checker, depth)
  let found: ts.ObjectLiteralExpression | undefined
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node) || ts.isClassLike(node)) return
    if (ts.isReturnStatement(node) && node.expression) found = resolveLiteral(node.expression, checker, depth)
    else ts.forEachChild(node, visit)
  }
  ts.forEachChild(body, visit)
  return found
}
