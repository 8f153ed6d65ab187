// The programmatic API behind every `treaty` command: anything the CLI does, a script can import.

export { DEFAULT_SELECTORS } from '@treaty/core/wire'
export { main, type RunOptions, run } from './cli.js'
export type { TreatyCommand } from './command.js'
export { type ConfigFlags, loadConfigFile, maskedConfig, type ResolvedConfig, resolveConfig, type TreatyConfig } from './config.js'
export { CliError, EXIT_CODES_HELP, ExitCode } from './exit-codes.js'
export { defaultBranch, defaultVersion } from './git.js'
export {
  type ChannelSetOptions,
  type ChannelSyncOptions,
  describeRetention,
  fromStream,
  readStreams,
  setChannel,
  syncChannels,
} from './lib/channels.js'
export { type CodegenOptions, type CodegenResult, codegen } from './lib/codegen.js'
export { type CompatOptions, type CompatResult, type CompatSubject, compat } from './lib/compat.js'
export {
  type CanIDeployOptions,
  type CreateVersionOptions,
  canIDeploy,
  createEnvironment,
  createVersion,
  isUnknown,
  type LifecycleOptions,
  type RecordDeploymentOptions,
  recordDeployment,
  recordRelease,
  recordSupportEnded,
  recordUndeployment,
} from './lib/deployments.js'
export { type ImpactOptions, impact, impactLines, impactMarkdown } from './lib/impact.js'
export {
  type ExportCommandOptions,
  type ExportCommandResult,
  exportFiles,
  type ImportCommandOptions,
  type ImportCommandResult,
  importFile,
  publishProviderSchemaFile,
} from './lib/interop.js'
export { type PublishOptions, type PublishResult, publish } from './lib/publish.js'
export { parseSelector } from './lib/selectors.js'
export { type VerifyCommandOptions, type VerifyCommandResult, verify } from './lib/verify.js'
export { junitCases, type VerifyOutcome, verifyOutcome } from './lib/verify-outcome.js'
export { type JunitCase, junitXml } from './output.js'
export { type Io, type Line, printed, processIo, Report, type Verdict } from './verdict.js'
