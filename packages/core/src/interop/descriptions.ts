import type { InteropNote } from './types.js'

/**
 * A description unique among `seen` (a contract's descriptions are unique): `wanted`, else `wanted (2)`, `(3)`…,
 * with a note at `at` when renamed, so the change is never silent.
 */
export function uniqueDescription(seen: Set<string>, wanted: string, at: string, notes: InteropNote[]): string {
  let name = wanted
  for (let i = 2; seen.has(name); i++) name = `${wanted} (${i})`
  seen.add(name)
  if (name !== wanted) notes.push({ path: at, message: `description "${wanted}" is taken: imported as "${name}"` })
  return name
}
