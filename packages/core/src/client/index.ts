// @treaty/core/client: the broker client and the error registry, without the schema engine, so a
// command that only talks to the broker (can-i-deploy, record-deployment) starts fast.

export { type ErrorCode, ErrorCodes, isTreatyError, TreatyError, type TreatyErrorOptions } from '../errors.js'
export * from './broker-client.js'
export * from './stream-safety.js'
