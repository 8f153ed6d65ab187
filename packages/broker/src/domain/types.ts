/**
 * Plain data the broker's decisions are made from. The store loads these facts; the functions in this
 * folder decide (selectors, pending, WIP, matrix, can-i-deploy) without I/O, so every rule is tested
 * with literals.
 */
import type { Expectation } from '@treaty/core'
import type { ProviderSchemaProducer } from '@treaty/core/wire'

export type { ProviderSchemaProducer }

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

/** The provider schema a provider version published (derived from its types by `treaty verify --static`). */
export interface ProviderSchemaFact {
  provider: string
  providerVersion: string
  producers: ProviderSchemaProducer[]
}

/** What a static decision needs of an expectation. */
export type ExpectationFact = Pick<Expectation, 'description' | 'channel' | 'messageName' | 'payload' | 'headers'>
