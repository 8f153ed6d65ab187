/**
 * A `$ref` cycle that never descends into the instance (`{"$ref": "#"}`, or `a → allOf → b → a`) makes
 * every validator recurse forever on the same value: a stack overflow in ajv, the compatibility engine and
 * the verifier. A cycle through `properties`, `items` & co. is fine (each step goes one level into a finite
 * value), so only cycles made of in-place applicators (`$ref`, `allOf`, `anyOf`, `oneOf`, `not`, `if`,
 * `then`, `else`, `dependentSchemas`) are refused. Only local `#/…` pointers are followed.
 */
import { childPointer, fragmentToPointer } from '../json/pointer.js'

const IN_PLACE_SINGLE = ['not', 'if', 'then', 'else'] as const
const IN_PLACE_LIST = ['allOf', 'anyOf', 'oneOf'] as const
const IN_PLACE_MAP = ['dependentSchemas'] as const
/** Keywords whose subschemas apply to parts of the instance, or hold definitions: visited, not edges. */
const DESCENDING = ['properties', 'patternProperties', '$defs', 'definitions'] as const
const DESCENDING_SINGLE = [
  'items',
  'additionalProperties',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
] as const

const SINGLE = [...IN_PLACE_SINGLE, ...DESCENDING_SINGLE]
const LISTS = [...IN_PLACE_LIST, 'prefixItems']
const MAPS = [...IN_PLACE_MAP, ...DESCENDING]
const REFS = ['$ref', '$dynamicRef'] as const

type Obj = { [k: string]: unknown }
const listAt = (s: Obj, k: string): unknown[] => (Array.isArray(s[k]) ? (s[k] as unknown[]) : [])
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The JSON pointer of a `$ref` cycle that never descends into the instance, or undefined when there is none. */
export function nonProductiveRefCycle(root: unknown): string | undefined {
  // Without a local reference every edge leads deeper into the tree: there is no cycle to find.
  if (!hasLocalRef(root)) return undefined
  const nodes = new Map<string, Obj>()
  const collect = (s: unknown, at: string) => {
    if (!isObj(s)) return
    nodes.set(at, s)
    for (const k of SINGLE) collect(s[k], `${at}/${k}`)
    for (const k of LISTS) {
      const list = listAt(s, k)
      for (let i = 0; i < list.length; i++) collect(list[i], `${at}/${k}/${i}`)
    }
    for (const k of MAPS) {
      if (isObj(s[k])) for (const [name, x] of Object.entries(s[k])) collect(x, childPointer(`${at}/${k}`, name))
    }
  }
  collect(root, '')
  const edges = (at: string, s: Obj): string[] => {
    const out: string[] = []
    for (const k of IN_PLACE_SINGLE) if (isObj(s[k])) out.push(`${at}/${k}`)
    for (const k of IN_PLACE_LIST) for (let i = 0; i < listAt(s, k).length; i++) out.push(`${at}/${k}/${i}`)
    for (const k of IN_PLACE_MAP) if (isObj(s[k])) for (const name of Object.keys(s[k])) out.push(childPointer(`${at}/${k}`, name))
    for (const k of REFS) {
      const ref = s[k]
      const target = typeof ref === 'string' && ref.startsWith('#') ? fragmentToPointer(ref) : undefined
      if (target !== undefined) out.push(target)
    }
    return out.filter((p) => nodes.has(p))
  }
  // Iterative three-colour DFS: schemas can be deep, and this runs before any depth is trusted.
  const state = new Map<string, 1 | 2>()
  for (const start of nodes.keys()) {
    if (state.has(start)) continue
    const stack: { at: string; next: string[] }[] = [{ at: start, next: edges(start, nodes.get(start)!) }]
    state.set(start, 1)
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      const to = top.next.pop()
      if (to === undefined) {
        state.set(top.at, 2)
        stack.pop()
      } else if (state.get(to) === 1) {
        return to === '' ? '#' : `#${to}`
      } else if (!state.has(to)) {
        state.set(to, 1)
        stack.push({ at: to, next: edges(to, nodes.get(to)!) })
      }
    }
  }
  return undefined
}

/** Whether a `$ref` or `$dynamicRef` to `#…` occurs anywhere in `value` (in data such as `enum` too: a cheap over-approximation). */
function hasLocalRef(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return value.some(hasLocalRef)
  for (const [k, v] of Object.entries(value)) {
    if ((k === '$ref' || k === '$dynamicRef') && typeof v === 'string' && v.startsWith('#')) return true
    if (hasLocalRef(v)) return true
  }
  return false
}
