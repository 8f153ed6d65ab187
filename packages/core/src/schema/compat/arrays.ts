/** Reader array keywords against a writer facet: counts, uniqueness, positional and rest items. */
import { DifferenceKinds, difference, under } from './differences.js'
import { arrayFactsOf, type Facet, type Prover } from './facet.js'
import { T_ARRAY, T_OBJECT, typesOf } from './keywords.js'
import { child, isObject, type Located, type SchemaObject } from './normalise.js'
import type { Difference } from './types.js'
import { itemSchemasAt } from './writer.js'

export function arrayKeywords(p: Prover, f: Facet, r: Located, depth: number): Difference[] {
  const s = r.schema as SchemaObject
  const a = arrayFactsOf(f.branch)
  const out: Difference[] = []
  const most = a.maxItems === Number.POSITIVE_INFINITY ? 'any number' : `${a.maxItems}`
  if (typeof s.minItems === 'number' && a.minItems < s.minItems) {
    out.push(
      difference(
        DifferenceKinds.MIN_ITEMS_INCREASED,
        '',
        `the reader requires at least ${s.minItems} items; the writer allows ${a.minItems}`,
      ),
    )
  }
  if (typeof s.maxItems === 'number' && a.maxItems > s.maxItems) {
    out.push(
      difference(DifferenceKinds.MAX_ITEMS_DECREASED, '', `the reader accepts at most ${s.maxItems} items; the writer allows ${most}`),
    )
  }
  if (s.uniqueItems === true && a.maxItems > 1 && !uniquenessHolds(f, s)) {
    out.push(difference(DifferenceKinds.UNIQUE_ITEMS_ADDED, '', 'the reader requires unique items; the writer allows repeats'))
  }
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems.map((c) => child(r, c)) : []
  const items = s.items === undefined ? undefined : child(r, s.items)
  const positional = Math.max(prefix.length, ...a.models.map((m) => m.prefix.length))
  const closed = (count: number) =>
    difference(
      DifferenceKinds.MAX_ITEMS_DECREASED,
      '',
      `the reader accepts at most ${count} items (prefixItems closed by false); the writer allows more`,
    )
  for (let i = 0; i < positional && i < a.maxItems; i++) {
    const reader = i < prefix.length ? prefix[i] : items
    if (!reader || reader.schema === true) continue
    const writers = itemSchemasAt(a, i)
    if (reader.schema === false) {
      if (!p.isEmpty(writers, depth + 1)) out.push(closed(i))
      return out
    }
    out.push(...under(`/${i}`, p.list(writers, reader, depth + 1)))
  }
  if (a.maxItems > positional && items && items.schema !== true) {
    const writers = itemSchemasAt(a, positional)
    if (items.schema === false) {
      if (!p.isEmpty(writers, depth + 1)) out.push(closed(positional))
    } else out.push(...under('/*', p.list(writers, items, depth + 1)))
  }
  return out
}

/**
 * ajv checks `uniqueItems` only among items of the types `items` declares, when those are scalar
 * (a shortcut that ignores `prefixItems`). So a writer's `uniqueItems` guarantees what a reader's
 * asks only when the writer's check covers every item (no shortcut, or no `prefixItems` beside it)
 * or covers at least the types the reader's shortcut looks at.
 */
function uniquenessHolds(f: Facet, reader: SchemaObject): boolean {
  const wanted = shortcutTypes(reader)
  return f.branch.atoms.some(({ schema: w }) => {
    if (w.uniqueItems !== true) return false
    const checked = shortcutTypes(w)
    if (checked === undefined || !Array.isArray(w.prefixItems) || w.prefixItems.length === 0) return true
    return wanted !== undefined && (wanted & checked) === wanted
  })
}

/** The types ajv restricts a `uniqueItems` check to, or undefined when it checks every item. */
function shortcutTypes(s: SchemaObject): number | undefined {
  if (!isObject(s.items) || s.items.type === undefined) return undefined
  const types = typesOf(s.items)
  return types & (T_ARRAY | T_OBJECT) ? undefined : types
}
