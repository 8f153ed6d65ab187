/** The contract document: every expectation one consumer has of one provider. See docs/contract-format.md. */

import type { JsonSchema, JsonValue } from '../json/types.js'

/** The format version this library writes; readers accept this version and older. */
export const CONTRACT_FORMAT_VERSION = '1'

export interface ProviderState {
  /** The state's name, as the provider registers it (`states: { [name]: setup }`). */
  name: string
  /** Parameters handed to the provider's state setup and producer. */
  params?: Record<string, JsonValue>
}

/** One part of a message (headers or payload): what the consumer accepts, and one concrete instance of it. */
export interface MessagePart {
  schema: JsonSchema
  example: JsonValue
}

export interface Expectation {
  /** Unique within the contract; the key producers and reports use. */
  description: string
  /** Where the message travels: a NATS subject, possibly with `{param}` segments. */
  channel: string
  /** Optional name of the kind of message, when one channel carries several. */
  messageName?: string
  providerStates: ProviderState[]
  /** Absent when the consumer relies on no header. */
  headers?: MessagePart
  payload: MessagePart
}

export interface Contract {
  treaty: typeof CONTRACT_FORMAT_VERSION
  consumer: string
  provider: string
  expectations: Expectation[]
}
