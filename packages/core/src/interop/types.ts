/** Shapes the interop importers and exporters hand to the CLI (and to anyone importing `@treaty/core/interop`). */

import type { Contract } from '../contract/types.js'
import type { ProviderSchemaRequest } from '../wire/index.js'

/**
 * What a provider declares it sends, as a file: the broker's provider-schema request without the
 * version (given when it is published). Written by `treaty import asyncapi` for the service's send
 * operations; `treaty publish-provider-schema` sends it.
 */
export interface ProviderSchemaFile {
  provider: string
  producers: ProviderSchemaRequest['producers']
}

/** Something that could not be translated faithfully: never dropped silently, always reported with its place. */
export interface InteropNote {
  /** Where, in the source document (`operations.onOrder.messages[0]`, `$.items[*].sku`). */
  path: string
  message: string
}

export interface ImportResult {
  /** One contract per provider the service receives messages from. */
  contracts: Contract[]
  /** What the service sends, when it sends anything. */
  providerSchema?: ProviderSchemaFile
  notes: InteropNote[]
}

/** Annotation keeping an AsyncAPI message's correlation id location (`$message.header#/…`) on its payload schema. */
export const CORRELATION_ID_KEYWORD = 'x-treaty-correlation-id'
/** The extension that names a receive operation's provider in an AsyncAPI document. */
export const PROVIDER_EXTENSION = 'x-treaty-provider'
/** The sub-directory of a contracts directory that holds provider-schema files (readContracts skips it). */
export const PROVIDER_SCHEMA_DIR = 'provider-schemas'
