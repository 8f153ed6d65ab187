/**
 * JSON pointers (RFC 6901), the one implementation: `/items/0/a~1b` names the member `a/b` of the first
 * item. `~` is written `~0` and `/` is written `~1` inside a token, so any key survives the round trip.
 * In a URI fragment (`#/definitions/a%20b`, a `$ref` or ajv's `schemaPath`) the pointer is also
 * percent-encoded (RFC 6901 §6).
 *
 * Pointers are how code names a place in a value. People read paths instead (`expectations[2].channel`):
 * `pointerToPath` renders one for every error `path` and message, so all modules name a field alike.
 */

/** One token, escaped for a pointer: `a/b` → `a~1b`, `a~b` → `a~0b`. */
export function escapeToken(token: string | number): string {
  return typeof token === 'number' ? String(token) : token.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** One escaped token back to the key it names: `a~1b` → `a/b`. */
export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~')
}

/** The keys a pointer names, from the root: `/a~1b/0` → `['a/b', '0']`; `''` (the root) → `[]`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new SyntaxError(`"${pointer}" is not a JSON pointer: it must be empty or start with "/"`)
  return pointer.slice(1).split('/').map(unescapeToken)
}

/** The pointer of a path of keys: `['a/b', 0]` → `/a~1b/0`. */
export function renderPointer(tokens: readonly (string | number)[]): string {
  let out = ''
  for (const token of tokens) out += `/${escapeToken(token)}`
  return out
}

/** The pointer one level below `pointer`: `childPointer('/items', 'a/b')` → `/items/a~1b`. */
export function childPointer(pointer: string, token: string | number): string {
  return `${pointer}/${escapeToken(token)}`
}

/**
 * The pointer in a URI fragment (`#/a%20b` → `/a b`, `#` → `''`), or undefined when the fragment is not a
 * JSON pointer (an anchor such as `#foo`, or broken percent-encoding). A leading `#` is optional.
 */
export function fragmentToPointer(fragment: string): string | undefined {
  const body = fragment.startsWith('#') ? fragment.slice(1) : fragment
  if (body !== '' && !body.startsWith('/')) return undefined
  try {
    return decodeURIComponent(body)
  } catch {
    return undefined
  }
}

/**
 * The value a pointer names inside `root`, or undefined when there is none. Only own members count: a
 * pointer never reaches `constructor` or `__proto__` of an ordinary object.
 */
export function resolvePointer(root: unknown, pointer: string): unknown {
  let cur = root
  for (const key of parsePointer(pointer)) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined
    cur = (cur as Record<string, unknown>)[key]
  }
  return cur
}

/**
 * A pointer as people read it, under an optional base: `/expectations/2/channel` → `expectations[2].channel`;
 * with base `body`, `/contracts/0/consumer` → `body.contracts[0].consumer`. The root with no base is
 * `(root)`. Every error `path` in Treaty has this form.
 */
export function pointerToPath(pointer: string, base = ''): string {
  let out = base
  for (const key of parsePointer(pointer)) out += /^\d+$/.test(key) ? `[${key}]` : out === '' ? key : `.${key}`
  return out || '(root)'
}
