/**
 * `@treaty/core/interop`: AsyncAPI 2.6/3.x and Pact V3/V4 message pacts in and out. A subpath of its own
 * so `@treaty/core` stays lean to import; the AsyncAPI parser is loaded only when a document is read.
 */
export { type AsyncApiExportOptions, type Evidence, exportAsyncApi, isExportedAsyncApi, type PairEvidence } from './asyncapi-export.js'
export { type AsyncApiImportOptions, importAsyncApi } from './asyncapi-import.js'
export { type ParsedAsyncApi, parseAsyncApi, parseAsyncApiFile } from './asyncapi-parse.js'
export { exportPact, isExportedPact, type PactExport } from './pact-export.js'
export { CHANNEL_METADATA_KEYS, importPact, importPactFile, type PactImportOptions } from './pact-import.js'
export {
  CORRELATION_ID_KEYWORD,
  type ImportResult,
  type InteropNote,
  PROVIDER_EXTENSION,
  PROVIDER_SCHEMA_DIR,
  type ProviderSchemaFile,
} from './types.js'
