// @treaty/core/client: the broker client and the error registry, without the schema engine, so a
// command that only talks to the broker (can-i-deploy, record-deployment) starts fast. The wire shapes
// it sends and reads come from @treaty/core/wire and are re-exported here for the client's users.

export { type ErrorCode, ErrorCodes, isTreatyError, TreatyError, type TreatyErrorOptions } from '../errors.js'
export type * from '../wire/index.js'
export * from './broker-client.js'
export * from './stream-safety.js'
