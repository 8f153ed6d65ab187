/**
 * The verifier's files that call user code (verify, states, timeout, pool) register here, by their own
 * `import.meta.url`: a producer's stack trace drops their frames, which only push the user's frames down. The
 * module's own URL is right wherever its code sits: src/provider/verify.ts under the tests, or the bundled file
 * the build put it in (scripts/bundle-core.mjs), where a sibling's name (`./verify.js`) would name no file.
 */
import { fileURLToPath } from 'node:url'

const files = new Set<string>()

/** Called at the top of a module whose frames a producer's stack trace leaves out. */
export function callsUserCode(moduleUrl: string): void {
  files.add(`${moduleUrl}:`)
  files.add(`${fileURLToPath(moduleUrl)}:`)
}

/** A stack-trace line in one of those modules (`at … (file:///…/verify.js:12:3)` or `(/…/verify.js:12:3)`). */
export function inOwnFrame(line: string): boolean {
  for (const file of files) if (line.includes(file)) return true
  return false
}
