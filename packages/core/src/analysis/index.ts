/**
 * `@treaty/core/analysis`: static producer verification. It loads the provider's TypeScript with
 * ts-morph, which is heavy, so it lives behind this subpath and `@treaty/core` never imports it.
 */
export { verifyStatically } from './check.js'
export { type Extraction, extractProducers } from './extract.js'
export { loadProject } from './project.js'
export { type FormatOptions, formatDiagnostic, formatStaticReport } from './report.js'
export type {
  DerivedProducer,
  Diagnostic,
  ExtractOptions,
  MessagePartName,
  ProjectOptions,
  SourceLocation,
  StaticContractResult,
  StaticDifference,
  StaticExpectationResult,
  StaticReport,
  StaticStatus,
  StaticVerifyOptions,
} from './types.js'
