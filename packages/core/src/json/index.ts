// @treaty/core/json: JSON value and schema types, canonical JSON and hashes, JSON pointers, preview.
// Light on purpose (node:crypto only), so the broker, the CLI and observe can share it without the schema engine.

export { canonicalJson, contentHash, sha256, sortKeys } from './canonical.js'
export {
  childPointer,
  escapeToken,
  fragmentToPointer,
  parsePointer,
  pointerToPath,
  renderPointer,
  resolvePointer,
  unescapeToken,
} from './pointer.js'
export { preview } from './preview.js'
export type { JsonObject, JsonSchema, JsonValue } from './types.js'
