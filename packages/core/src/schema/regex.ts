/**
 * The one regular-expression engine for schema `pattern` / `patternProperties`: RE2 semantics (re2js, pure
 * JavaScript), so matching time is linear in the input whatever the pattern. Contracts come from other teams
 * and the broker runs their patterns on its event loop: a backtracking `RegExp` lets `^(a+)+$` on 30
 * characters stall a process for seconds. ajv (via `code.regExp`), the compatibility engine and the
 * verifier all match through here.
 *
 * re2js over the native `re2` addon, measured on this project's machine: matching 2.2 µs vs 18.9 µs per test
 * (native pays for the call and a UTF-8 copy), compiling 2 ms vs 0.06 ms per pattern (cached here), and no
 * C++ build at install (re2 from source took 30 minutes of a shared 2-core machine; its prebuilt download
 * cannot be reached everywhere).
 *
 * The dialect is ECMAScript syntax without backreferences and lookaround; `\s` is ASCII whitespace and `.`
 * excludes only `\n`. A pattern outside it fails to compile, which callers report as an invalid schema.
 */

import { createRequire } from 'node:module'
import type { RegExpEngine, RegExpLike } from 'ajv/dist/types/index.js'
import type { RE2JS } from 're2js'
import { rememberLast } from './formats.js'

// Loaded on first pattern, not at import: most processes importing @treaty/core never match one.
const load = createRequire(import.meta.url)
let re2: typeof RE2JS | undefined

/** Compiled patterns are small; a broker sees many distinct ones, so keep the most recently used only. */
const MAX_CACHED = 2000
const compiled = new Map<string, RegExpLike>()

/** A pattern that RE2 cannot compile (a backreference, lookaround, or a syntax error). */
export class UnsupportedPatternError extends Error {
  constructor(
    readonly pattern: string,
    reason: string,
  ) {
    super(
      `pattern ${JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern)} is not in the linear-time dialect (RE2: no backreferences or lookaround): ${reason}`,
    )
    this.name = 'UnsupportedPatternError'
  }
}

/** A compiled linear-time pattern (cached, least recently used evicted). Throws UnsupportedPatternError. */
export function linearRegExp(pattern: string): RegExpLike {
  const known = compiled.get(pattern)
  if (known) {
    compiled.delete(pattern)
    compiled.set(pattern, known)
    return known
  }
  let re: RE2JS
  try {
    re2 ??= (load('re2js') as { RE2JS: typeof RE2JS }).RE2JS
    re = re2.compile(re2.translateRegExp(pattern))
  } catch (cause) {
    throw new UnsupportedPatternError(pattern, (cause as Error).message)
  }
  // ajv keys its per-instance pattern table by `toString()`: it must tell patterns apart, as RegExp's does.
  // The consumers of one channel test the same field with the same pattern: a repeat is one `===` (formats.ts).
  const like: RegExpLike & { toString(): string } = { test: rememberLast((s: string) => re.test(s)), toString: () => `/${pattern}/u` }
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string)
  compiled.set(pattern, like)
  return like
}

/**
 * For ajv's `code.regExp`. ajv passes the `u` flag; RE2 always matches by code point, so it changes nothing.
 * `code` names the function in standalone code, which Treaty never generates.
 */
export const linearRegExpEngine: RegExpEngine = Object.assign((pattern: string, _flags: string) => linearRegExp(pattern), {
  code: 'linearRegExp',
})

/** Whether `text` contains a match of `pattern` (as JSON Schema tests it); undefined when it does not compile. */
export function patternMatches(pattern: string, text: string): boolean | undefined {
  try {
    return linearRegExp(pattern).test(text)
  } catch {
    return undefined
  }
}
