/**
 * Plain data the broker's decisions are made from. The store loads these facts; the functions in this
 * folder decide (selectors, pending, WIP, matrix, can-i-deploy) without I/O, so every rule is tested
 * with literals.
 */
import type { Expectation, JsonSchema } from '@treaty/core'

/** One consumer version's contract with one provider. */
export interface PublicationFact {
  consumer: string
  consumerVersion: string
  /** Creation order of the consumer version (first seen by the broker): higher is newer. "Latest" always means highest. */
  versionOrder: number
  /** Every branch the consumer version was published from. */
  branches: string[]
  /** The consumer's main branch (`main` unless the service says otherwise). */
  consumerMainBranch: string
  contentHash: string
  publishedAt: Date
  /** Environments the consumer version is currently deployed in. */
  deployedIn: string[]
}

/** One verification result: a provider version replayed one content hash. */
export interface VerificationFact {
  contentHash: string
  provider: string
  providerVersion: string
  /** Branches of the provider version (its main branch or a feature branch). */
  providerBranches: string[]
  success: boolean
  verifiedAt: Date
}

/**
 * A consumer version selector, as the provider asks for it. The wire form (`{ mainBranch: true }`) is parsed
 * into this tagged form by `parseSelectors`, which rejects incomplete or ambiguous combinations.
 */
export type Selector =
  | { kind: 'mainBranch'; consumer?: string }
  | { kind: 'branch'; branch: string; consumer?: string }
  | { kind: 'matchingBranch'; consumer?: string }
  | { kind: 'deployed'; environment?: string; consumer?: string }
  | { kind: 'latest'; consumer?: string }
  | { kind: 'version'; consumer: string; version: string }

/** Selectors used when a provider asks without any: what is on the consumers' main branches, and what is deployed. */
export const DEFAULT_SELECTORS: readonly Selector[] = [{ kind: 'mainBranch' }, { kind: 'deployed' }]

/** One consumer version's contract with one provider, as can-i-deploy and the matrix see it. */
export interface ContractFact {
  consumer: string
  consumerVersion: string
  provider: string
  contentHash: string
  /** Channels the contract's expectations listen on: what reasons name so a release manager knows what is at stake. */
  channels: string[]
}

/** A row of the matrix: one consumer version × one provider version, with the verification between them if any. */
export interface MatrixRow {
  consumer: string
  consumerVersion: string
  provider: string
  /** Null when no version of the provider has verified this content. */
  providerVersion: string | null
  contentHash: string
  verification: { success: boolean; verifiedAt: Date; providerVersion: string } | null
}

/** One producer of a provider schema: what the provider emits under one producers-map key. */
export interface ProviderSchemaProducer {
  /** An expectation's description, `channel#messageName`, or a channel: the keys the verifier looks up. */
  key: string
  channel?: string
  /** JSON Schema of every payload the producer may send. */
  payload: JsonSchema
  /** JSON Schema of every headers object the producer may send. */
  headers: JsonSchema
}

/** The provider schema a provider version published (derived from its types by `treaty verify --static`). */
export interface ProviderSchemaFact {
  provider: string
  providerVersion: string
  producers: ProviderSchemaProducer[]
}

/** What a static decision needs of an expectation. */
export type ExpectationFact = Pick<Expectation, 'description' | 'channel' | 'messageName' | 'payload' | 'headers'>
