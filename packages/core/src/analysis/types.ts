/** Public types of static producer verification (`@treaty/core/analysis`). */
import type { Project } from 'ts-morph'
import type { ErrorCodes } from '../errors.js'
import type { JsonSchema } from '../json/types.js'
import type { ContractSource } from '../provider/types.js'

/** A place in the provider's source. `line` and `column` count from 1. */
export interface SourceLocation {
  /** Absolute path, with forward slashes. */
  file: string
  line: number
  column: number
}

export type MessagePartName = 'payload' | 'headers'

/**
 * Something in the provider's types that has no faithful JSON Schema (a function, a bigint, `any`,
 * a type parameter that never got an argument, …). The schema carries `true` (any value) in its
 * place, so it stays a sound description of what may be sent, but an expectation checked against it
 * fails: a derived schema with a hole in it proves nothing.
 */
export interface Diagnostic extends SourceLocation {
  /** `TREATY_ANALYSIS_CANNOT_DERIVE`, or `TREATY_ANALYSIS_PRODUCER_INVALID` for an entry that is not a producer. */
  code: typeof ErrorCodes.ANALYSIS_CANNOT_DERIVE | typeof ErrorCodes.ANALYSIS_PRODUCER_INVALID
  /** Starts with `cannot derive`, names the field and says why and what to do instead. */
  message: string
  /** The producer key the diagnostic belongs to. */
  producer?: string
  part?: MessagePartName
  /** Where in the message, as a path (`payload.lines[].sku`). */
  path?: string
}

/** One entry of a producers map, with the JSON Schemas derived from its return type. */
export interface DerivedProducer {
  /** The key in the producers map: an expectation's description, `channel#messageName`, or a channel. */
  key: string
  /** Where the entry sits in the producers map. */
  location: SourceLocation
  /** Every payload the producer's type allows, as it arrives after the JSON round trip. */
  payload: JsonSchema
  /**
   * Every headers object the producer's type allows. A producer whose return type has no `headers`
   * sends none, which the verifier reads as `{}`: `{ type: 'object', additionalProperties: false }`.
   */
  headers: JsonSchema
  /** Empty when both schemas are exact translations of the types. */
  diagnostics: Diagnostic[]
}

export interface ProjectOptions {
  /** A tsconfig.json: its compiler options, and its files unless `files` is given. */
  tsconfig?: string
  /**
   * Source files to load (imports are followed). Without a tsconfig they are compiled with
   * `strict`, `module: ESNext`, `moduleResolution: Bundler`.
   */
  files?: readonly string[]
}

export interface ExtractOptions extends ProjectOptions {
  /** A project already loaded with `loadProject`: one load shared by several calls (tsconfig and files are then ignored). */
  project?: Project
  /**
   * Files searched for producers maps (default: every file of the project outside node_modules).
   * Narrowing the search is faster on large projects; types are still followed into any file.
   */
  producerFiles?: readonly string[]
  /**
   * Treat every object type as exact: no property beyond those the type declares
   * (`additionalProperties: false`). Off by default, because TypeScript's structural typing lets a
   * value carry properties its type does not mention, and JSON sends them.
   */
  exactObjects?: boolean
}

export interface StaticVerifyOptions extends ExtractOptions {
  /** The service whose producers these are; contracts addressed to other providers are skipped. */
  provider: string
  /** Contracts in memory, or the directory consumer tests write them into. */
  contracts: ContractSource
}

/** Why a derived schema does not satisfy an expectation. */
export interface StaticDifference {
  part: MessagePartName
  /** JSON pointer, as the compatibility engine reports it. */
  pointer: string
  /** A stable kind from the compatibility engine (`TYPE_NARROWED`, …), or `NO_PRODUCER`. */
  kind: string
  message: string
}

export type StaticStatus = 'passed' | 'failed' | 'pending'

export interface StaticExpectationResult {
  /** The consumer's expectation, by its description. */
  description: string
  channel: string
  messageName?: string
  /** `pending`: it failed, but its contract is pending, so the run does not fail. */
  status: StaticStatus
  /** The producer checked against it; absent when no key matched. */
  producer?: { key: string } & SourceLocation
  differences: StaticDifference[]
  /** The producer's "cannot derive" diagnostics: any of them fails the expectation. */
  diagnostics: Diagnostic[]
}

export interface StaticContractResult {
  consumer: string
  provider: string
  pending: boolean
  expectations: StaticExpectationResult[]
}

export interface StaticReport {
  provider: string
  /** True when no expectation failed and at least one was checked. */
  success: boolean
  durationMs: number
  contracts: StaticContractResult[]
  ignored: { consumer: string; provider: string }[]
  /** Every producer found, with its derived schemas: what the provider may publish as its provider schema. */
  producers: DerivedProducer[]
  summary: { total: number; passed: number; failed: number; pending: number }
}
