/**
 * Root causes: the one grouping every report of schema differences uses (`treaty verify --static`,
 * `treaty compat`, can-i-deploy reasons, impact). The engine reports what each reader keyword misses; a
 * person wants the cause. So:
 * - differences at one pointer are one cause (a renamed field is `REQUIRED_PROPERTY_ADDED` and
 *   `TYPE_NARROWED` at the same pointer: one line, not one per keyword);
 * - a difference inside a field that is already missing, forbidden or of another type is not reported
 *   again (a removed object's members);
 * - a field the reader requires and the writer does not declare, given the two schemas, is named as
 *   renamed or removed, with the writer's fields the reader does not know: "`qty` renamed or removed;
 *   producer sends `quantity`"; one it reads only when present is named as undeclared in an open object.
 * Pure; the verdict never changes here, only how it is told.
 */
import { fragmentToPointer, resolvePointer } from '../../json/pointer.js'
import type { JsonSchema } from '../../json/types.js'

/** What the grouping needs of a difference (the engine's, the static check's, or impact's). */
export interface DifferenceLike {
  pointer: string
  kind: string
  message: string
}

export interface RootCause<T extends DifferenceLike> {
  /** The difference that names the cause (its message rewritten when the field was renamed or removed). */
  root: T
  /** Every difference folded into this cause, the root first. */
  members: T[]
  /** Every distinct kind among the members, the root's first. */
  kinds: string[]
}

export interface RootCauseOptions<T> {
  /** Differences only group within one scope (e.g. expectation and message part). Default: one scope. */
  scope?: (d: T) => string
  /** The writer's and the reader's schema, to tell a renamed or removed field (same scope for all). */
  writer?: JsonSchema
  reader?: JsonSchema
}

/** The kinds that name a cause first when several meet at one pointer. */
const PRIMARY = ['NO_PRODUCER', 'REQUIRED_PROPERTY_ADDED', 'PROPERTY_FORBIDDEN', 'ADDITIONAL_PROPERTIES_NARROWED', 'TYPE_NARROWED']

/** Kinds about a value as a whole: whatever is found inside such a value follows from it. */
const COVERS_INSIDE = new Set([...PRIMARY, 'CANNOT_PROVE'])

/** `pointer` is strictly inside `ancestor` (`''` is the whole message). */
export function isInside(pointer: string, ancestor: string): boolean {
  return pointer !== ancestor && (ancestor === '' || pointer.startsWith(`${ancestor}/`))
}

export function rootCauses<T extends DifferenceLike>(diffs: readonly T[], options: RootCauseOptions<T> = {}): RootCause<T>[] {
  const scopeOf = options.scope ?? (() => '')
  const covered = (d: T) =>
    diffs.some((o) => o !== d && COVERS_INSIDE.has(o.kind) && isInside(d.pointer, o.pointer) && scopeOf(o) === scopeOf(d))
  const groups = new Map<string, T[]>()
  for (const d of diffs) {
    if (covered(d)) continue
    const key = `${scopeOf(d)}\u0000${d.pointer}`
    groups.set(key, [...(groups.get(key) ?? []), d])
  }
  return [...groups.values()].map((group) => {
    const rank = (d: T) => {
      const i = PRIMARY.indexOf(d.kind)
      return i === -1 ? PRIMARY.length : i
    }
    const members = [...group].sort((a, b) => rank(a) - rank(b))
    const first = members[0]!
    const missing =
      options.writer !== undefined && options.reader !== undefined
        ? undeclaredField(first.pointer, options.writer, options.reader)
        : undefined
    const root = missing ? { ...first, message: undeclaredMessage(first.kind, missing) ?? first.message } : first
    return { root, members: [root, ...members.slice(1)], kinds: [...new Set(members.map((d) => d.kind))] }
  })
}

/** The roots alone, in first-found order. */
export function rootDifferences<T extends DifferenceLike>(diffs: readonly T[], options: RootCauseOptions<T> = {}): T[] {
  return rootCauses(diffs, options).map((c) => c.root)
}

/** A field the reader reads that the writer does not declare, with the writer's fields the reader does not know. */
interface UndeclaredField {
  field: string
  others: string[]
}

function undeclaredField(pointer: string, writer: JsonSchema, reader: JsonSchema): UndeclaredField | undefined {
  const segments = parsePointer(pointer)
  const name = segments.at(-1)
  if (name === undefined || name === '*') return undefined
  const parent = segments.slice(0, -1)
  const sent = namesAt(writer, parent)
  if (sent === undefined || sent.has(name)) return undefined
  const read = namesAt(reader, parent) ?? new Set<string>()
  return { field: `\`${name}\``, others: [...sent].filter((n) => !read.has(n)).sort() }
}

/**
 * "`qty` renamed or removed; producer sends `quantity`" for a field the reader requires. A field it reads only when
 * present (TYPE_NARROWED alone) is no loss when absent: it fails because an undeclared property of an open object
 * may hold any value, and saying "removed" would send its author looking for the wrong fix.
 */
function undeclaredMessage(kind: string, { field, others }: UndeclaredField): string | undefined {
  const sends = others.length === 0 ? 'producer does not send it' : `producer sends ${others.map((n) => `\`${n}\``).join(', ')}`
  if (kind === 'REQUIRED_PROPERTY_ADDED') return `${field} renamed or removed; ${sends}`
  if (kind !== 'TYPE_NARROWED') return undefined
  const instead = others.length === 0 ? '' : `; ${sends}`
  return `${field} (optional) is not declared by the producer, whose objects are open: it may send any value there${instead}`
}

const RENAMED = /^`.*` renamed or removed; producer (sends .+|does not send it)$/s

/**
 * For a one-line list of causes (can-i-deploy reasons): "renamed or removed (producer sends `quantity`)" when
 * `root` names a renamed or removed field (the message `rootCauses` wrote), else undefined.
 */
export function renamedPhrase(root: DifferenceLike): string | undefined {
  const match = RENAMED.exec(root.message)
  return match ? `renamed or removed (producer ${match[1]})` : undefined
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

type Node = Record<string, unknown>
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The property names the object schemas at `path` declare (through local `$ref`s, `allOf`, `anyOf`,
 * `oneOf`, `items`, `prefixItems`); undefined when no schema there declares any, so an open `{}` is
 * never taken for "sends nothing".
 */
function namesAt(root: JsonSchema, path: readonly string[]): Set<string> | undefined {
  let nodes = expand(root, [root])
  for (const segment of path) nodes = nodes.flatMap((n) => expand(root, stepInto(n, segment)))
  const names = new Set<string>()
  let declared = false
  for (const n of nodes) {
    if (!isNode(n.properties)) continue
    declared = true
    for (const k of Object.keys(n.properties)) names.add(k)
  }
  return declared ? names : undefined
}

function stepInto(n: Node, segment: string): unknown[] {
  const out: unknown[] = []
  if (isNode(n.properties) && Object.hasOwn(n.properties, segment)) out.push(n.properties[segment])
  else if (segment === '*' && n.additionalProperties !== undefined) out.push(n.additionalProperties)
  if (segment === '*' || /^\d+$/.test(segment)) {
    if (Array.isArray(n.prefixItems) && segment !== '*') out.push(n.prefixItems[Number(segment)])
    if (n.items !== undefined && !Array.isArray(n.items)) out.push(n.items)
    if (Array.isArray(n.items) && segment !== '*') out.push(n.items[Number(segment)])
  }
  return out
}

/** `nodes` with their local `$ref`s and `allOf`/`anyOf`/`oneOf` branches followed (each schema once). */
function expand(root: JsonSchema, nodes: readonly unknown[]): Node[] {
  const seen = new Set<unknown>()
  const out: Node[] = []
  const visit = (n: unknown) => {
    if (!isNode(n) || seen.has(n)) return
    seen.add(n)
    out.push(n)
    if (typeof n.$ref === 'string' && n.$ref.startsWith('#')) {
      const pointer = fragmentToPointer(n.$ref)
      if (pointer !== undefined) visit(resolvePointer(root, pointer))
    }
    for (const key of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(n[key])) for (const b of n[key] as unknown[]) visit(b)
  }
  for (const n of nodes) visit(n)
  return out
}
