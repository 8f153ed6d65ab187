/** The entry point: writer ⊆ reader, for two whole schema documents. */
import type { JsonSchema } from '../../json/types.js'
import { toDraft2020 } from '../draft-normalise.js'
import { assertValidSchema } from '../engine.js'
import { cannotProve, mergeTypeNarrowed } from './differences.js'
import { docFor, locate, unusable } from './normalise.js'
import { Checker } from './subsume.js'
import type { CompatibilityResult } from './types.js'

/**
 * Whether every message valid under `writer` is valid under `reader` (JSON Schema draft-04 to 2020-12, as ajv
 * in engine.ts validates it). Sound: `compatible` is true only when proven; what the engine cannot
 * decide is reported as a `CANNOT_PROVE` difference. Throws TREATY_SCHEMA_INVALID when either schema
 * is not valid JSON Schema.
 */
export function checkCompatibility(writer: JsonSchema, reader: JsonSchema): CompatibilityResult {
  assertValid(writer, 'writer')
  assertValid(reader, 'reader')
  // Older drafts are compared in their 2020-12 form, so a draft-07 reader meets a 2020-12 writer on equal terms.
  const w = docFor(toDraft2020(writer))
  const r = docFor(toDraft2020(reader))
  const problems = [
    ...[unusable(w)].filter(Boolean).map((p) => cannotProve('', `the writer schema is not usable: ${p}`)),
    ...[unusable(r)].filter(Boolean).map((p) => cannotProve('', `the reader schema is not usable: ${p}`)),
  ]
  if (problems.length > 0) return { compatible: false, differences: problems }
  const differences = mergeTypeNarrowed(new Checker().check(locate(w), locate(r)))
  return { compatible: differences.length === 0, differences }
}

/** Schemas already meta-validated, by identity (as engine.ts caches validators): histories repeat them. */
const valid = new WeakSet<object>()

function assertValid(schema: JsonSchema, where: string): void {
  if (typeof schema === 'object' && valid.has(schema)) return
  assertValidSchema(schema, where)
  if (typeof schema === 'object') valid.add(schema)
}
