import { describe, expect, it } from 'vitest'
import { checkCompatibility } from './check.js'
import { renamedPhrase, rootCauses, rootDifferences } from './root-causes.js'

const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({ type: 'object', properties, required })

describe('rootCauses', () => {
  it('folds every keyword found at one pointer into one cause, the most telling kind first', () => {
    const causes = rootCauses([
      { pointer: '/qty', kind: 'TYPE_NARROWED', message: 't' },
      { pointer: '/qty', kind: 'REQUIRED_PROPERTY_ADDED', message: 'r' },
      { pointer: '/qty', kind: 'MAXIMUM_DECREASED', message: 'm' },
    ])
    expect(causes).toHaveLength(1)
    expect(causes[0]!.root.kind).toBe('REQUIRED_PROPERTY_ADDED')
    expect(causes[0]!.kinds).toEqual(['REQUIRED_PROPERTY_ADDED', 'TYPE_NARROWED', 'MAXIMUM_DECREASED'])
  })

  it('does not report again what lies inside a missing field, but keeps separate fields and scopes apart', () => {
    const roots = rootDifferences(
      [
        { pointer: '/meta', kind: 'REQUIRED_PROPERTY_ADDED', message: '', scope: 'a' },
        { pointer: '/meta/id', kind: 'FORMAT_ADDED', message: '', scope: 'a' },
        { pointer: '/meta/id', kind: 'FORMAT_ADDED', message: '', scope: 'b' },
        { pointer: '/metadata', kind: 'MIN_LENGTH_INCREASED', message: '', scope: 'a' },
      ],
      { scope: (d) => d.scope },
    )
    expect(roots.map((d) => `${d.scope}${d.pointer}`)).toEqual(['a/meta', 'b/meta/id', 'a/metadata'])
  })

  it('keeps a bound on a collection beside what is wrong inside it (both are causes)', () => {
    const roots = rootDifferences([
      { pointer: '/items', kind: 'MIN_ITEMS_INCREASED', message: '' },
      { pointer: '/items/*/qty', kind: 'TYPE_NARROWED', message: '' },
    ])
    expect(roots).toHaveLength(2)
  })

  it('names a renamed field and what the writer sends instead, through $refs and array items', () => {
    const reader = {
      type: 'array',
      items: { $ref: '#/$defs/line' },
      $defs: { line: obj({ sku: { type: 'string' }, qty: { type: 'integer' } }) },
    }
    const writer = { type: 'array', items: obj({ sku: { type: 'string' }, quantity: { type: 'integer' } }) }
    const diffs = checkCompatibility(writer, reader).differences
    expect(diffs.length).toBeGreaterThan(1)
    expect(rootDifferences(diffs, { writer, reader })).toEqual([
      { pointer: '/*/qty', kind: 'REQUIRED_PROPERTY_ADDED', message: '`qty` renamed or removed; producer sends `quantity`' },
    ])
  })

  it('says a field was removed when the writer sends nothing the reader does not know, and leaves open writers alone', () => {
    const reader = obj({ id: { type: 'string' }, title: { type: 'string' } })
    const removed = rootDifferences(checkCompatibility(obj({ id: { type: 'string' } }), reader).differences, {
      writer: obj({ id: { type: 'string' } }),
      reader,
    })
    expect(removed.map((d) => d.message)).toEqual(['`title` renamed or removed; producer does not send it'])
    const open = rootDifferences(checkCompatibility({ type: 'object' }, reader).differences, { writer: { type: 'object' }, reader })
    expect(open.every((d) => !d.message.includes('renamed'))).toBe(true)
  })

  it('does not call an optional field the writer leaves undeclared renamed: absent is fine, any value is not', () => {
    const reader = {
      type: 'object',
      properties: { id: { type: 'string' }, options: obj({ pageSize: { type: 'string' } }) },
      required: ['id'],
    }
    const writer = obj({ id: { type: 'string' } })
    const roots = rootDifferences(checkCompatibility(writer, reader).differences, { writer, reader })
    expect(roots).toEqual([
      {
        pointer: '/options',
        kind: 'TYPE_NARROWED',
        message: '`options` (optional) is not declared by the producer, whose objects are open: it may send any value there',
      },
    ])
    expect(renamedPhrase(roots[0]!)).toBeUndefined()
  })

  it('gives the short phrase for a one-line list only for a renamed or removed field', () => {
    const reader = obj({ id: { type: 'string' }, title: { type: 'string' } })
    const sends = obj({ id: { type: 'string' }, heading: { type: 'string' } })
    const [renamed] = rootDifferences(checkCompatibility(sends, reader).differences, { writer: sends, reader })
    expect(renamedPhrase(renamed!)).toBe('renamed or removed (producer sends `heading`)')
    const narrowed = rootDifferences(checkCompatibility(obj({ id: { type: 'integer' } }), reader).differences)
    expect(narrowed.map(renamedPhrase)).toEqual(narrowed.map(() => undefined))
  })
})
