// The public face of @treaty/core. Anything not exported here is internal and free to move.

export { BrokerClient, type BrokerClientOptions, type BrokerErrorBody } from './client/broker-client.js'
export {
  ExpectationBuilder,
  type Handler,
  type MessageContract,
  type MessageContractOptions,
  messageContract,
  messagesToTry,
  type ReceivedMessage,
  type VerifiedExpectation,
} from './consumer/message-contract.js'
export { canonicalContract, contractHash } from './contract/canonical.js'
export {
  contractSchema,
  isServiceName,
  SERVICE_NAME_MAX_LENGTH,
  SERVICE_NAME_PATTERN,
  SERVICE_NAME_RULE,
  serviceNameSchema,
} from './contract/contract-schema.js'
export {
  contractFileName,
  parseContract,
  parseContractAsync,
  readContract,
  readContractFilesIn,
  readContracts,
  serializeContract,
  writeContract,
} from './contract/read-write.js'
export { type PruneResult, pruneContract, type RecorderOptions } from './contract/recorder.js'
export {
  CONTRACT_FORMAT_VERSION,
  type Contract,
  type Expectation,
  type MessagePart,
  type ProviderState,
} from './contract/types.js'
export { type ErrorCode, ErrorCodes, isTreatyError, TreatyError, type TreatyErrorOptions } from './errors.js'
export {
  canonicalJson,
  childPointer,
  contentHash,
  escapeToken,
  fragmentToPointer,
  type JsonObject,
  type JsonSchema,
  type JsonValue,
  parsePointer,
  pointerToPath,
  preview,
  renderPointer,
  resolvePointer,
  sha256,
  unescapeToken,
} from './json/index.js'
export { importOptional, isMissingPackage, type OptionalDependency } from './optional-dependency.js'
export { producerKeys } from './provider/producers.js'
// provider side
export { formatExpectationResult, formatReport } from './provider/report.js'
export {
  type CheckedExpectation,
  checkProducer,
  differenceList,
  noProducer,
  type ProducerSchema,
  producersFor,
  type StaticCheckDifference,
  staticDifferences,
} from './provider/static-check.js'
export type {
  ContractInput,
  ContractResult,
  ContractSource,
  ContractToVerify,
  ErrorDetails,
  ExpectationResult,
  ExpectationStatus,
  MessagePartName,
  Mismatch,
  NoProducerMismatch,
  NotJsonMismatch,
  ProducedMessage,
  Producer,
  ProducerInput,
  Producers,
  SchemaMismatch,
  StateHandler,
  StateHandlers,
  StateParams,
  StateSetup,
  ThrewMismatch,
  UnknownStateMismatch,
  VerificationReport,
  VerifyLogger,
  VerifyOptions,
} from './provider/types.js'
export { verifyContracts } from './provider/verify.js'
export { assertValidSchema, toIssues, type ValidationIssue, validate, validatorFor } from './schema/engine.js'
export { exampleFor } from './schema/example.js'
export {
  boolean,
  compile,
  date,
  datetime,
  decimal,
  type EachLikeOptions,
  eachLike,
  type Infer,
  integer,
  isMatcher,
  like,
  type Matcher,
  type NumberOptions,
  nullable,
  type OptionalMatcher,
  oneOf,
  optional,
  regex,
  type StringOptions,
  string,
  type Template,
  uuid,
} from './schema/matchers.js'
export { type Variant, variantsOf } from './schema/variants.js'
export type {
  CanIDeployResponse,
  ContractForVerification,
  ContractsForVerificationRequest,
  ContractsForVerificationResponse,
  Observation,
  ObservationRequest,
  ObservationResponse,
  PublishRequest,
  PublishResponse,
  Selector,
  VerificationRequest,
} from './wire/index.js'

// compatibility

export { kindForRejectedKeyword } from './schema/compat/differences.js'
export {
  type CompatibilityResult,
  checkCompatibility,
  checkEvolution,
  type Difference,
  type DifferenceKind,
  DifferenceKinds,
  EVOLUTION_MODES,
  type EvolutionCheck,
  type EvolutionMode,
  type EvolutionResult,
  isEvolutionMode,
} from './schema/compat/index.js'
export {
  type DifferenceLike,
  isInside,
  type RootCause,
  type RootCauseOptions,
  rootCauses,
  rootDifferences,
} from './schema/compat/root-causes.js'
