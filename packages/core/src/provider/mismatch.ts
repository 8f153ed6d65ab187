/**
 * Mismatches: why an expectation failed, as data (for `--json`, the broker) and as text that reads
 * like a good compiler error — where (`payload/items/0/qty`), what the contract expected, what the
 * producer sent, and for a missing piece, how to add it.
 */
import { fragmentToPointer, resolvePointer } from '../json/pointer.js'
import { preview } from '../json/preview.js'
import type { JsonSchema } from '../json/types.js'
import type { ValidationIssue } from '../schema/engine.js'
import { inOwnFrame } from './own-frames.js'
import type {
  ErrorDetails,
  MessagePartName,
  Mismatch,
  NoProducerMismatch,
  NotJsonMismatch,
  SchemaMismatch,
  ThrewMismatch,
  UnknownStateMismatch,
} from './types.js'

/** Which expectation a mismatch belongs to. */
export interface Where {
  consumer: string
  provider: string
  expectation: string
}

/** `payload/items/0/qty`, or `payload` for the part itself. */
export function location(part: MessagePartName, pointer: string): string {
  return `${part}${pointer}`
}

export function schemaMismatches(
  where: Where,
  part: MessagePartName,
  issues: ValidationIssue[],
  value: unknown,
  schema: JsonSchema,
): SchemaMismatch[] {
  const out: SchemaMismatch[] = []
  for (const issue of issues) {
    const expected = refineExpected(issue, schema)
    const mismatch: SchemaMismatch = {
      kind: 'schema',
      ...where,
      part,
      pointer: issue.pointer,
      keyword: issue.keyword,
      expected,
      message: '',
    }
    const found = resolvePointer(value, issue.pointer)
    if (issue.keyword !== 'required' && found !== undefined) mismatch.actual = preview(found)
    if (issue.property !== undefined) mismatch.property = issue.property
    mismatch.message = schemaMessage(mismatch)
    out.push(mismatch)
  }
  return out
}

function schemaMessage(m: SchemaMismatch): string {
  const at = location(m.part, m.pointer)
  if (m.keyword === 'required') return `${at}: missing required property \`${m.property}\``
  if (m.keyword === 'additionalProperties') return `${at}: unexpected property \`${m.property}\` (found ${m.actual})`
  return `${at}: expected ${m.expected}, found ${m.actual ?? 'nothing'}`
}

/** `number >= 1` → `integer >= 1` when the schema that holds `minimum` says `type: integer`. */
function refineExpected(issue: ValidationIssue, schema: JsonSchema): string {
  if (!/^(minimum|maximum|exclusiveMinimum|exclusiveMaximum)$/.test(issue.keyword)) return issue.expected
  const holder = schemaAt(schema, issue.schemaPath.replace(/\/[^/]*$/, ''))
  const type = holder !== null && typeof holder === 'object' ? (holder as { type?: unknown }).type : undefined
  const integer = type === 'integer' || (Array.isArray(type) && type.includes('integer') && !type.includes('number'))
  return integer ? issue.expected.replace(/^number /, 'integer ') : issue.expected
}

function schemaAt(schema: JsonSchema, fragment: string): unknown {
  const pointer = fragmentToPointer(fragment)
  return pointer === undefined ? undefined : resolvePointer(schema, pointer)
}

/** `message` reads on its own: `payload/total is a BigInt, …` or `the producer returned undefined, …`. */
export function notJsonMismatch(where: Where, message: string, part?: MessagePartName, pointer?: string): NotJsonMismatch {
  const mismatch: NotJsonMismatch = { kind: 'not-json', ...where, message }
  if (part !== undefined) mismatch.part = part
  if (pointer !== undefined) mismatch.pointer = pointer
  return mismatch
}

export function noProducerMismatch(where: Where, channel: string, known: string[]): NoProducerMismatch {
  return {
    kind: 'no-producer',
    ...where,
    channel,
    known,
    message: `no producer for channel \`${channel}\` (known: ${list(known)})`,
  }
}

export function unknownStateMismatch(where: Where, state: string, known: string[]): UnknownStateMismatch {
  return {
    kind: 'unknown-state',
    ...where,
    state,
    known,
    message: `unknown provider state \`${state}\` (known: ${list(known)})`,
  }
}

export function threwMismatch(where: Where, kind: ThrewMismatch['kind'], error: unknown, state?: string): ThrewMismatch {
  const details = errorDetails(error)
  const who = kind === 'producer-failed' ? 'the producer' : `${kind === 'setup-failed' ? 'setup' : 'teardown'} of state \`${state}\``
  const mismatch: ThrewMismatch = { kind, ...where, error: details, message: `${who} threw ${details.name}: ${details.message}` }
  if (state !== undefined) mismatch.state = state
  return mismatch
}

function list(names: string[]): string {
  return names.length === 0 ? 'none' : names.map((n) => `\`${n}\``).join(', ')
}

export function errorDetails(error: unknown): ErrorDetails {
  if (error instanceof Error) {
    const details: ErrorDetails = { name: error.name, message: error.message }
    if (error.stack) details.stack = userStack(error.stack)
    return details
  }
  return { name: typeof error, message: preview(error) }
}

function userStack(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => {
      if (!/^\s+at /.test(line)) return true
      return (
        !line.includes('node:internal') && !/at (async Promise\.all \(index|Function\.from \(<anonymous>)/.test(line) && !inOwnFrame(line)
      )
    })
    .join('\n')
}

/** A mismatch as indented lines: where, then what was expected and what was found (or what to do). */
export function formatMismatch(m: Mismatch, indent = '  '): string {
  const lines: string[] = []
  const detail = (label: string, text: string) => lines.push(`${indent}  ${label.padEnd(8)}  ${text}`)
  switch (m.kind) {
    case 'schema':
      lines.push(`${indent}${location(m.part, m.pointer)}`)
      if (m.keyword === 'required') {
        detail('missing', `required property \`${m.property}\``)
      } else if (m.keyword === 'additionalProperties') {
        detail('unknown', `property \`${m.property}\` (the contract allows no other properties)`)
        if (m.actual !== undefined) detail('found', m.actual)
      } else {
        detail('expected', m.expected)
        detail('found', m.actual ?? 'nothing')
      }
      break
    case 'not-json':
      lines.push(`${indent}${m.message}`)
      break
    case 'no-producer':
      lines.push(`${indent}${m.message}`)
      detail('fix', `add producers: { '${m.channel}': async ({ params }) => ({ payload: … }) }`)
      break
    case 'unknown-state':
      lines.push(`${indent}${m.message}`)
      detail('fix', `add states: { '${m.state}': async (params) => { … } }`)
      break
    default: {
      const who =
        m.kind === 'producer-failed' ? 'the producer' : `${m.kind === 'setup-failed' ? 'setup' : 'teardown'} of state \`${m.state}\``
      lines.push(`${indent}${who} threw`)
      const stack = m.error.stack ?? `${m.error.name}: ${m.error.message}`
      for (const line of stack.split('\n').slice(0, 12)) lines.push(`${indent}  ${line.trim().startsWith('at ') ? '  ' : ''}${line.trim()}`)
    }
  }
  return lines.join('\n')
}
