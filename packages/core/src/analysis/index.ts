/**
 * `@treaty/core/analysis`: static producer verification. It loads the provider's TypeScript with
 * ts-morph, which is heavy, so it lives behind this subpath, `@treaty/core` never imports it, and it is
 * an optional peer dependency: importing this subpath without it fails at once with TREATY_DEPENDENCY_MISSING,
 * naming what to install.
 */
import { importOptional } from '../optional-dependency.js'
import { ownManifest } from '../own-package.js'

const api = await importOptional({ name: 'ts-morph', feature: '@treaty/core/analysis', manifest: ownManifest() }, () => import('./api.js'))

export const { verifyStatically, extractProducers, loadProject, formatDiagnostic, formatStaticReport } = api
export type { Extraction } from './extract.js'
export type { FormatOptions } from './report.js'
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
