/**
 * The JSON body parser: fastify's own (prototype-poisoning refused) behind two checks of our own, so that
 * nothing reaches a route that would crash it or be stored changed.
 * - Nesting depth is counted on the raw text before parsing: a 10 MB body of `[[[[…` would otherwise
 *   overflow the stack of every recursive walker behind the parser (ajv, canonical JSON, the store).
 * - The same pass counts member names: when the parsed value holds fewer members, an object gave a name twice
 *   (`{"version":"9.9.9","version":"5.0.0"}`). JSON readers keep one or the other, so what the broker stored could
 *   differ from what the sender's tools show: refused, naming where (a body that does not parse gets the parser's error).
 * - After parsing, every value is checked for what JSON allows but the broker cannot keep unchanged:
 *   numbers beyond double range (JSON.parse makes `1e400` Infinity, which the store writes as null), NUL
 *   (PostgreSQL text and jsonb refuse it) and lone UTF-16 surrogates (not valid Unicode; PostgreSQL refuses).
 */
import type { FastifyInstance } from 'fastify'
import { BrokerError, BrokerErrorCodes } from '../errors.js'

/** Deepest nesting of arrays and objects a body may have. Contracts written by Treaty stay far below. */
export const MAX_BODY_DEPTH = 128

export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string
    let names: number
    try {
      names = scanText(text)
    } catch (err) {
      done(err as Error, undefined)
      return
    }
    parse(request, text, (err, value) => {
      if (err) return done(err, undefined)
      try {
        // Each member name of the text is a member of the parsed value unless one object repeats it.
        if (assertStorable(value, 'body') !== names) {
          const repeated = repeatedName(text)
          if (repeated) throw repeated
          request.log.error({ names }, 'json body: member names counted on the text and in the value differ, no repeat found')
          throw uncounted()
        }
      } catch (e) {
        return done(e as Error, undefined)
      }
      done(null, value)
    })
  })
}

/**
 * One linear pass over the raw text, outside strings: refuses nesting beyond `max`, and counts the member names
 * of its objects (on text that is not JSON the count means nothing: the parser refuses it anyway).
 */
export function scanText(text: string, max = MAX_BODY_DEPTH): number {
  // Per open bracket: 0 an array, 1 an object expecting a member name, 2 an object after one.
  const open = new Uint8Array(max + 1)
  let depth = 0
  let names = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
      if (open[depth] === 1) {
        names++
        open[depth] = 2
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        throw new BrokerError(
          BrokerErrorCodes.LIMIT_EXCEEDED,
          `the body nests arrays and objects more than ${max} levels deep (limit: body depth ${max})`,
          { path: 'body' },
        )
      }
      open[depth] = c === 0x7b ? 1 : 0
    } else if (c === 0x7d || c === 0x5d) depth--
    else if (c === 0x2c && open[depth] === 2) open[depth] = 1
  }
  return names
}

/** Where the search for a repeated name is: an object (with the names seen so far and the current one) or an array. */
interface Frame {
  names: Set<string> | undefined
  name: string
  expectName: boolean
  index: number
}

/**
 * The error for the first member name that one object of `text` (valid JSON) repeats, naming where; only called
 * once the counts say there is one, since this walk keeps every name it meets.
 */
export function repeatedName(text: string): BrokerError | undefined {
  const stack: Frame[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      const start = i + 1
      let escaped = false
      for (i = start; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) {
          escaped = true
          i++
        } else if (d === 0x22) break
      }
      const top = stack[stack.length - 1]
      if (top?.names && top.expectName) {
        const raw = text.slice(start, i)
        const name = escaped ? decodeName(raw) : raw
        if (top.names.has(name)) return repeated(stack, name)
        top.names.add(name)
        top.name = name
        top.expectName = false
      }
    } else if (c === 0x7b || c === 0x5b) {
      stack.push({ names: c === 0x7b ? new Set() : undefined, name: '', expectName: true, index: 0 })
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop()
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1]
      if (top?.names) top.expectName = true
      else if (top) top.index++
    }
  }
  return undefined
}

/**
 * The count of member names disagreed and no repeated one was found: a fault of the count, not of the sender.
 * Refused all the same (nothing is stored that may read back changed), as the broker's own error.
 */
function uncounted(): BrokerError {
  return new BrokerError(BrokerErrorCodes.INTERNAL, 'the broker could not confirm that the body reads back as sent; nothing was stored', {
    hint: 'this is a fault of the broker, logged with the request id: please report it with the body that caused it',
  })
}

function decodeName(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string
  } catch {
    return raw
  }
}

/** `body.contracts[0].consumer`: where a member name was given twice. */
function repeated(stack: readonly Frame[], name: string): BrokerError {
  let path = 'body'
  for (let k = 0; k < stack.length - 1; k++) {
    const f = stack[k]!
    path = f.names ? member(path, f.name) : `${path}[${f.index}]`
  }
  path = member(path, name)
  return new BrokerError(
    BrokerErrorCodes.VALIDATION,
    `${path} is given twice in one object; JSON readers keep one or the other, so the broker refuses to guess which you meant`,
    { path, hint: 'send each member once' },
  )
}

function member(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key.slice(0, 40))}]`
}

/**
 * Throws TREATY_BROKER_BODY_UNSTORABLE_VALUE naming the first value (or key) that cannot be stored as sent;
 * returns how many object members the value holds, all levels counted.
 */
export function assertStorable(value: unknown, path: string): number {
  const members = storableMembers(value)
  if (members >= 0) return members
  explainUnstorable(value, path)
  throw unstorable(path, 'holds a value that cannot be stored unchanged')
}

/** The members `value` holds, or -1 when something in it cannot be stored as sent (no paths built: the common case). */
function storableMembers(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? 0 : -1
  if (typeof value === 'string') return storableString(value) ? 0 : -1
  if (value === null || typeof value !== 'object') return 0
  let members = 0
  if (Array.isArray(value)) {
    for (const v of value) {
      const m = storableMembers(v)
      if (m < 0) return -1
      members += m
    }
    return members
  }
  for (const key in value) {
    const m = storableString(key) ? storableMembers((value as Record<string, unknown>)[key]) : -1
    if (m < 0) return -1
    members += 1 + m
  }
  return members
}

/** Walks `value` again with paths, to throw for the first value or key that cannot be stored. */
function explainUnstorable(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw unstorable(path, 'is a number beyond the range of a double (it would be stored as null)')
  } else if (typeof value === 'string') {
    checkString(value, path, 'value')
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) explainUnstorable(value[i], `${path}[${i}]`)
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const at = member(path, key)
      checkString(key, at, 'key')
      explainUnstorable(v, at)
    }
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function storableString(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s)
}

function checkString(s: string, path: string, what: 'key' | 'value'): void {
  if (s.includes('\u0000')) throw unstorable(path, `${what} contains a NUL character (\\u0000)`)
  if (LONE_SURROGATE.test(s)) throw unstorable(path, `${what} contains a lone UTF-16 surrogate (not valid Unicode)`)
}

function unstorable(path: string, what: string): BrokerError {
  return new BrokerError(BrokerErrorCodes.BODY_UNSTORABLE_VALUE, `${path} ${what}; send a value the broker can store unchanged`, { path })
}
