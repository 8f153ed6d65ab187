/**
 * A JSON Schema shown as a readable tree: each property with its type, format, enum, bounds, and whether
 * it is required or optional. What a consumer team reads to learn what it relies on, without raw JSON.
 */
type Schema = Record<string, unknown> | boolean

const BOUNDS: [string, string][] = [
  ['minimum', '≥'],
  ['exclusiveMinimum', '>'],
  ['maximum', '≤'],
  ['exclusiveMaximum', '<'],
  ['minLength', 'length ≥'],
  ['maxLength', 'length ≤'],
  ['minItems', 'items ≥'],
  ['maxItems', 'items ≤'],
  ['multipleOf', 'multiple of'],
]

/** One line describing a schema's own constraints: `string · email · length ≤ 200`. */
export function describeSchema(schema: Schema): string {
  if (schema === true) return 'anything'
  if (schema === false) return 'nothing'
  const parts: string[] = []
  const type = schema.type
  if (Array.isArray(type)) parts.push(type.join(' | '))
  else if (typeof type === 'string') parts.push(type)
  if (typeof schema.format === 'string') parts.push(schema.format)
  if ('const' in schema) parts.push(`= ${JSON.stringify(schema.const)}`)
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`)
  if (typeof schema.pattern === 'string') parts.push(`matches /${schema.pattern}/`)
  for (const [k, sign] of BOUNDS) if (typeof schema[k] === 'number') parts.push(`${sign} ${schema[k]}`)
  if (typeof schema.$ref === 'string') parts.push(`see ${schema.$ref}`)
  if (schema.additionalProperties === false) parts.push('no other properties')
  return parts.length > 0 ? parts.join(' · ') : 'any value'
}

export function SchemaTree(props: { schema: Schema; label: string }) {
  return (
    <ul class="tree" aria-label={props.label}>
      <SchemaNode name="(root)" schema={props.schema} required={true} />
    </ul>
  )
}

function SchemaNode(props: { name: string; schema: Schema; required: boolean | null }) {
  const s = props.schema
  const children: { name: string; schema: Schema; required: boolean | null }[] = []
  if (typeof s === 'object') {
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : [])
    const properties = (s.properties ?? {}) as Record<string, Schema>
    for (const [name, child] of Object.entries(properties)) children.push({ name, schema: child, required: required.has(name) })
    if (s.items !== undefined && typeof s.items !== 'boolean') children.push({ name: '[items]', schema: s.items as Schema, required: null })
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
      const list = s[k]
      if (!Array.isArray(list)) continue
      for (const [i, child] of (list as Schema[]).entries()) children.push({ name: `${k}[${i}]`, schema: child, required: null })
    }
    if (typeof s.additionalProperties === 'object')
      children.push({ name: '[other keys]', schema: s.additionalProperties as Schema, required: null })
  }
  return (
    <li>
      <code>{props.name}</code>{' '}
      {props.required === true ? <span class="req">required</span> : props.required === false ? <span class="opt">optional</span> : null}{' '}
      <span class="desc">{describeSchema(s)}</span>
      {children.length > 0 ? (
        <ul>
          {children.map((c) => (
            <SchemaNode key={c.name} name={c.name} schema={c.schema} required={c.required} />
          ))}
        </ul>
      ) : null}
    </li>
  )
}
