// @treaty/core/wire: the broker API's request and response JSON Schemas, the TypeScript types derived from
// them, and selectors with their defaults. Plain data and pure functions: no schema engine, no HTTP. The
// broker registers these very objects as its route schemas (and so its OpenAPI document); the client, the
// CLI and the web UI use the types.

export type { Contract } from '../contract/types.js'
export type { JsonSchema } from '../json/types.js'
export * from './channels.js'
export { contractDocumentSchema, type ErrorBody, errorSchema, jsonSchemaSchema } from './common.js'
export * from './contracts.js'
export type { Answer, Received, Sent, Served } from './derive.js'
export * from './environments.js'
export * from './matrix.js'
export * from './names.js'
export * from './observations.js'
export * from './pairs.js'
export * from './provider-schemas.js'
export * from './selectors.js'
export * from './services.js'
export * from './verifications.js'
export * from './webhooks.js'
