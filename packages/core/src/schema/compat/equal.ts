/**
 * Semantic identity by structure: two subschemas (possibly in different documents) that are equal
 * keyword by keyword, with `$ref`s compared by what they point to, accept the same instances. This
 * settles what the engine cannot reason about — identical `oneOf`s, unknown keywords, patterns —
 * whenever writer and reader did not change it.
 */
import { Coinduction } from './coinduction.js'
import { isAnnotation, LIST_SUBSCHEMA, MAP_SUBSCHEMA, SINGLE_SUBSCHEMA } from './keywords.js'
import { child, isObject, jsonEqual, keyOf, type Located, resolveRef, type SchemaObject } from './normalise.js'

export class Equality {
  private readonly cycles = new Coinduction<boolean>()

  same(a: Located, b: Located): boolean {
    const x = followPureRef(a)
    const y = followPureRef(b)
    if (!x || !y) return false
    const tx = truth(x)
    const ty = truth(y)
    if (tx !== undefined || ty !== undefined) return tx === ty
    if (x.schema === y.schema && x.doc === y.doc) return true
    const yes = () => true
    return this.cycles.run(`${keyOf(x)}=${keyOf(y)}`, 0, yes, yes, () => this.sameObjects(x, y))
  }

  /** Whether keyword `k` has the same meaning in `a` and in `b` (both objects). */
  sameKeyword(k: string, a: Located, b: Located): boolean {
    const va = (a.schema as SchemaObject)[k]
    const vb = (b.schema as SchemaObject)[k]
    if (va === undefined || vb === undefined) return va === vb
    if (k === '$ref') {
      if (typeof va !== 'string' || typeof vb !== 'string') return false
      const ra = resolveRef(a, va)
      const rb = resolveRef(b, vb)
      return ra.located !== undefined && rb.located !== undefined && this.same(ra.located, rb.located)
    }
    if (k === '$dynamicRef' || k === '$recursiveRef') return false
    if (SINGLE_SUBSCHEMA.has(k)) return this.same(child(a, va), child(b, vb))
    if (LIST_SUBSCHEMA.has(k)) {
      return (
        Array.isArray(va) && Array.isArray(vb) && va.length === vb.length && va.every((s, i) => this.same(child(a, s), child(b, vb[i])))
      )
    }
    if (MAP_SUBSCHEMA.has(k)) {
      if (!isObject(va) || !isObject(vb)) return false
      const keys = Object.keys(va)
      if (keys.length !== Object.keys(vb).length) return false
      return keys.every((p) => {
        if (!Object.hasOwn(vb, p)) return false
        const sa = va[p]
        const sb = vb[p]
        return Array.isArray(sa) || Array.isArray(sb) ? jsonEqual(sa, sb) : this.same(child(a, sa), child(b, sb))
      })
    }
    if (k === 'type' || k === 'required' || k === 'enum') return sameSet(va, vb)
    return jsonEqual(va, vb)
  }

  private sameObjects(a: Located, b: Located): boolean {
    const ka = constraintKeys(a.schema as SchemaObject)
    const kb = constraintKeys(b.schema as SchemaObject)
    if (ka.length !== kb.length || !ka.every((k) => kb.includes(k))) return false
    return ka.every((k) => this.sameKeyword(k, a, b))
  }
}

function constraintKeys(s: SchemaObject): string[] {
  return Object.keys(s).filter((k) => !isAnnotation(k) && s[k] !== undefined)
}

/** `true`/`false` for boolean schemas and annotation-only objects, else undefined. */
function truth(l: Located): boolean | undefined {
  if (typeof l.schema === 'boolean') return l.schema
  return constraintKeys(l.schema).length === 0 ? true : undefined
}

/** `{ $ref }` with nothing else is its target. */
function followPureRef(l: Located): Located | undefined {
  let at = l
  for (let hops = 0; hops < 16; hops++) {
    const s = at.schema
    if (!isObject(s) || typeof s.$ref !== 'string') return at
    const keys = constraintKeys(s)
    if (keys.length !== 1) return at
    const r = resolveRef(at, s.$ref)
    if (!r.located) return at
    at = r.located
  }
  return at
}

function sameSet(a: unknown, b: unknown): boolean {
  const xs = Array.isArray(a) ? a : [a]
  const ys = Array.isArray(b) ? b : [b]
  return xs.every((x) => ys.some((y) => jsonEqual(x, y))) && ys.every((y) => xs.some((x) => jsonEqual(x, y)))
}
