/**
 * The consumer DSL: `messageContract(...).expects(...).on(...).withPayload(...).verify(handler)`.
 * `verify` runs the handler on the example and on every variant the schema allows (up to a cap);
 * only an expectation whose handler passed on all of them is written into the contract.
 */
import { relative, resolve } from 'node:path'
import { assertServiceName } from '../contract/read-write.js'
import { type ContractRecorder, proven } from '../contract/recorder.js'
import type { Expectation, MessagePart, ProviderState } from '../contract/types.js'
import { ErrorCodes, TreatyError, withHintShown } from '../errors.js'
import { pointerToPath } from '../json/pointer.js'
import type { JsonSchema, JsonValue } from '../json/types.js'
import { assertValidSchema, validate } from '../schema/engine.js'
import { exampleFor } from '../schema/example.js'
import { compile, type Infer, type Template } from '../schema/matchers.js'
import { variantsOf } from '../schema/variants.js'
import { currentTestFile, recorderFor } from './file-run.js'

/** How many variants a handler is tried on per expectation unless the consumer says otherwise. */
export const DEFAULT_MAX_VARIANTS = 50

export interface MessageContractOptions {
  consumer: string
  provider: string
  /** Where the contract file is written (default `contracts`, relative to the working directory). */
  dir?: string
  /** Most variants tried per message part (default 50). `0` runs the handler on the example only. */
  maxVariants?: number
}

/** What a consumer handler receives: the message as it would arrive. */
export interface ReceivedMessage<P, H> {
  channel: string
  description: string
  payload: P
  headers: H
}

export type Handler<P, H> = (message: ReceivedMessage<P, H>) => unknown

export interface VerifiedExpectation {
  expectation: Expectation
  /** How many messages the handler was run on (the example plus variants). */
  messagesTried: number
  contractPath: string
}

export interface MessageContract {
  readonly consumer: string
  readonly provider: string
  readonly contractPath: string
  /** Starts an expectation; `description` is unique within the contract. */
  expects(description: string): ExpectationBuilder<unknown, Record<string, string>>
  /**
   * Writes what this process proved so far now, as a partial run (nothing is removed). Under vitest
   * this happens by itself when each test file finishes; call it to read the contract mid-file.
   */
  flush(): Promise<void>
}

export function messageContract(options: MessageContractOptions): MessageContract {
  assertServiceName(options.consumer, 'consumer')
  assertServiceName(options.provider, 'provider')
  const maxVariants = checkMaxVariants(options.maxVariants ?? DEFAULT_MAX_VARIANTS)
  const recorder = recorderFor({
    dir: resolve(options.dir ?? 'contracts'),
    consumer: options.consumer,
    provider: options.provider,
  })
  return {
    consumer: options.consumer,
    provider: options.provider,
    contractPath: recorder.contractPath,
    expects: (description) => new ExpectationBuilder(recorder, description, maxVariants),
    flush: async () => {
      for (const file of recorder.pendingFiles()) await recorder.flush(file, false)
    },
  }
}

export class ExpectationBuilder<P, H> {
  readonly #recorder: ContractRecorder
  readonly #description: string
  #maxVariants: number
  #channel: string | undefined
  #messageName: string | undefined
  readonly #states: ProviderState[] = []
  #headers: MessagePart | undefined
  #payload: MessagePart | undefined

  constructor(recorder: ContractRecorder, description: string, maxVariants: number) {
    if (typeof description !== 'string' || description.trim() === '') {
      throw new TreatyError(ErrorCodes.CONTRACT_INVALID, 'expects(description): the description must be a non-empty string', {
        path: 'description',
      })
    }
    this.#recorder = recorder
    this.#description = description
    this.#maxVariants = maxVariants
  }

  /** A provider state the message presupposes; `params` reach the provider's state setup and producer. */
  given(name: string, params?: Record<string, JsonValue>): this {
    this.#states.push(params === undefined ? { name } : { name, params })
    return this
  }

  /** The channel (NATS subject) the message arrives on. */
  on(channel: string): this {
    this.#channel = channel
    return this
  }

  /** Names the kind of message, when one channel carries several. */
  named(messageName: string): this {
    this.#messageName = messageName
    return this
  }

  /** Caps the variants tried for this expectation. */
  withMaxVariants(max: number): this {
    this.#maxVariants = checkMaxVariants(max)
    return this
  }

  withHeaders<const T extends { readonly [name: string]: Template }>(template: T): ExpectationBuilder<P, Infer<T>> {
    this.#headers = shown(() => compile(template, 'headers'))
    return this as unknown as ExpectationBuilder<P, Infer<T>>
  }

  /** Headers as a raw JSON Schema, for teams that already have one. */
  withHeadersSchema<T = Record<string, string>>(schema: JsonSchema, example?: JsonValue): ExpectationBuilder<P, T> {
    this.#headers = shown(() => rawPart(schema, example, 'headers'))
    return this as unknown as ExpectationBuilder<P, T>
  }

  withPayload<const T extends Template>(template: T): ExpectationBuilder<Infer<T>, H> {
    this.#payload = shown(() => compile(template, 'payload'))
    return this as unknown as ExpectationBuilder<Infer<T>, H>
  }

  /** Payload as a raw JSON Schema 2020-12; without `example`, one is built from the schema. */
  withPayloadSchema<T = unknown>(schema: JsonSchema, example?: JsonValue): ExpectationBuilder<T, H> {
    this.#payload = shown(() => rawPart(schema, example, 'payload'))
    return this as unknown as ExpectationBuilder<T, H>
  }

  /** The expectation as it will be written, without running anything. */
  build(): Expectation {
    if (!this.#channel) {
      throw new TreatyError(ErrorCodes.EXPECTATION_CHANNEL_MISSING, `expectation ${JSON.stringify(this.#description)} has no channel`, {
        path: 'channel',
        hint: "add .on('subject.name') (a NATS subject, no spaces)",
      })
    }
    if (/\s/.test(this.#channel) || this.#channel.length > 255) {
      throw new TreatyError(
        ErrorCodes.CONTRACT_INVALID,
        `channel ${JSON.stringify(this.#channel)} must be 1-255 characters without spaces`,
        {
          path: 'channel',
        },
      )
    }
    if (this.#description.length > 500) {
      throw new TreatyError(
        ErrorCodes.CONTRACT_INVALID,
        `the description must be at most 500 characters (got ${this.#description.length})`,
        {
          path: 'description',
        },
      )
    }
    if (!this.#payload) {
      throw new TreatyError(ErrorCodes.EXPECTATION_PAYLOAD_MISSING, `expectation ${JSON.stringify(this.#description)} has no payload`, {
        path: 'payload',
        hint: 'add .withPayload({...}) or .withPayloadSchema(schema)',
      })
    }
    const expectation: Expectation = {
      description: this.#description,
      channel: this.#channel,
      providerStates: [...this.#states],
      payload: this.#payload,
    }
    if (this.#messageName !== undefined) expectation.messageName = this.#messageName
    if (this.#headers) expectation.headers = this.#headers
    return expectation
  }

  /**
   * Runs `handler` on the example message and on generated variants. Resolves when it handled all of
   * them, after writing the expectation into the contract; rejects with TREATY_HANDLER_FAILED naming
   * each variant it failed on (and the expectation stays out of the contract).
   */
  async verify(handler: Handler<P, H>): Promise<VerifiedExpectation> {
    try {
      return await this.#verify(handler)
    } catch (error) {
      throw withHintShown(error)
    }
  }

  async #verify(handler: Handler<P, H>): Promise<VerifiedExpectation> {
    const entry = proven(this.build())
    const { expectation } = entry
    const { file, deferred } = await currentTestFile()
    const earlier = this.#recorder.recorded(file, expectation.description)
    if (earlier && earlier.hash !== entry.hash) {
      throw new TreatyError(
        ErrorCodes.EXPECTATION_DUPLICATE,
        `expectation ${JSON.stringify(expectation.description)} is declared twice with different content`,
        { path: 'description', hint: 'descriptions are unique within a contract: rename one of them' },
      )
    }
    const messages = messagesToTry(expectation, this.#maxVariants)
    const failures: { name: string; error: unknown }[] = []
    for (const m of messages) {
      try {
        await handler({
          channel: expectation.channel,
          description: expectation.description,
          payload: structuredClone(m.payload) as P,
          headers: structuredClone(m.headers) as H,
        })
      } catch (error) {
        failures.push({ name: m.name, error })
      }
    }
    const first = failures[0]
    if (first) {
      this.#recorder.fail(file, expectation.description)
      if (!deferred) await this.#recorder.flush(file, false)
      const lines = failures.slice(0, 10).map((f) => `  - fails when ${f.name}: ${errorText(f.error)}`)
      if (failures.length > 10) lines.push(`  … and ${failures.length - 10} more`)
      throw new TreatyError(
        ErrorCodes.HANDLER_FAILED,
        `handler for ${JSON.stringify(expectation.description)} failed on ${failures.length} of ${messages.length} messages the contract allows:\n${lines.join('\n')}\n` +
          `  not written: ${relative(process.cwd(), this.#recorder.contractPath)} keeps the version an earlier run proved, if any`,
        {
          cause: first.error,
          hint: 'make the handler accept every message the expectation allows, or narrow the expectation',
          details: { failures: failures.map((f) => ({ variant: f.name, message: errorText(f.error) })) },
        },
      )
    }
    this.#recorder.prove(file, entry)
    if (!deferred) await this.#recorder.flush(file, false)
    return { expectation, messagesTried: messages.length, contractPath: this.#recorder.contractPath }
  }
}

/** What `part` returns; a TreatyError it throws carries its hint in its message (the test runner shows only that). */
function shown<T>(part: () => T): T {
  try {
    return part()
  } catch (error) {
    throw withHintShown(error)
  }
}

function checkMaxVariants(max: number): number {
  if (!Number.isInteger(max) || max < 0) {
    throw new TreatyError(ErrorCodes.VERIFY_CONFIG_INVALID, `maxVariants must be a whole number >= 0 (got ${max})`, { path: 'maxVariants' })
  }
  return max
}

function rawPart(schema: JsonSchema, example: JsonValue | undefined, where: string): MessagePart {
  assertValidSchema(schema, `${where}.schema`)
  const value = example === undefined ? exampleFor(schema) : example
  const issue = validate(schema, value)[0]
  if (issue) {
    throw new TreatyError(
      ErrorCodes.EXAMPLE_INVALID,
      `${where} example${issue.pointer ? ` at ${pointerToPath(issue.pointer)}` : ''}: expected ${issue.expected}`,
      {
        path: `${where}.example${issue.pointer}`,
        hint: 'the example must be valid under the schema',
      },
    )
  }
  return { schema, example: value }
}

export interface TrialMessage {
  name: string
  payload: JsonValue
  headers: JsonValue
}

/** The example first, then payload variants, then header variants. */
export function messagesToTry(expectation: Expectation, maxVariants: number = DEFAULT_MAX_VARIANTS): TrialMessage[] {
  const headers = expectation.headers?.example ?? {}
  const payload = expectation.payload.example
  const out: TrialMessage[] = [{ name: 'given the example message', payload, headers }]
  for (const v of variantsOf(expectation.payload.schema, payload, maxVariants, 'payload')) {
    out.push({ name: v.name, payload: v.value, headers })
  }
  if (expectation.headers) {
    const room = Math.max(0, maxVariants - (out.length - 1))
    for (const v of variantsOf(expectation.headers.schema, headers, room, 'headers')) out.push({ name: v.name, payload, headers: v.value })
  }
  return out
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error)
}
