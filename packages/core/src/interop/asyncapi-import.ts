/**
 * AsyncAPI 2.6 / 3.x → Treaty, for one application (the service the document describes):
 * - what it **receives** becomes its consumer expectations, one contract per provider. The provider of
 *   a receive operation is, first match wins: `x-treaty-provider` on the operation, on its channel, on
 *   the message; else `--provider`. A document alone cannot say who else sends on a channel.
 * - what it **sends** becomes a provider-schema file (key `channel#messageName`, or the channel).
 * - request/reply (3.x `reply`): the reply travels the other way (a receive with a reply sends it).
 * Schemas without `$schema` follow the message's schema format (AsyncAPI's is a draft-07 superset)
 * and are stored in their 2020-12 form; the parser's own annotations (`x-parser-*`) are dropped.
 */
import type { ChannelInterface, MessageInterface, OperationInterface } from '@asyncapi/parser'
import { parseContract } from '../contract/read-write.js'
import type { Contract, Expectation, MessagePart } from '../contract/types.js'
import { ErrorCodes, isTreatyError, TreatyError } from '../errors.js'
import type { JsonSchema, JsonValue } from '../json/types.js'
import { toDraft2020 } from '../schema/draft-normalise.js'
import type { Draft } from '../schema/drafts.js'
import { validate } from '../schema/engine.js'
import { exampleFor } from '../schema/example.js'
import { parseAsyncApiFile } from './asyncapi-parse.js'
import { isJsonContentType } from './content-type.js'
import { uniqueDescription } from './descriptions.js'
import { CORRELATION_ID_KEYWORD, type ImportResult, type InteropNote, PROVIDER_EXTENSION, type ProviderSchemaFile } from './types.js'

export interface AsyncApiImportOptions {
  /** The service the document describes (its receive operations become this service's expectations). */
  service: string
  /** Provider for receive operations that name none with `x-treaty-provider`. */
  provider?: string
}

/** One message the service sends or receives, located in the document. */
interface Flow {
  direction: 'send' | 'receive'
  operation: OperationInterface
  /** Where the operation sits, for notes and errors. */
  at: string
  channel: string
  channelModel: ChannelInterface | undefined
  message: MessageInterface
}

export async function importAsyncApi(file: string, options: AsyncApiImportOptions): Promise<ImportResult> {
  const { document } = await parseAsyncApiFile(file)
  const notes: InteropNote[] = []
  const flows: Flow[] = []
  for (const op of document.operations()) {
    const at = `operations.${op.id()}`
    const channelModel = op.channels()[0]
    const channel = channelAddress(channelModel, at)
    const direction = op.isSend() ? 'send' : 'receive'
    for (const message of op.messages()) flows.push({ direction, operation: op, at, channel, channelModel, message })
    const reply = op.reply()
    if (!reply) continue
    const replyChannel = reply.channel()
    const replyAt = `${at}.reply`
    const address = replyChannel?.address() ?? `${channel}.reply`
    if (!replyChannel?.address()) notes.push({ path: replyAt, message: `the reply has no fixed address; imported on channel ${address}` })
    const replyMessages = reply.messages().length > 0 ? reply.messages().all() : (replyChannel?.messages().all() ?? [])
    for (const message of replyMessages) {
      flows.push({
        direction: direction === 'send' ? 'receive' : 'send',
        operation: op,
        at: replyAt,
        channel: address,
        channelModel: replyChannel,
        message,
      })
    }
  }

  const byProvider = new Map<string, Expectation[]>()
  const producers: ProviderSchemaFile['producers'] = []
  const descriptions = new Set<string>()
  for (const flow of flows) {
    const name = messageName(flow.message)
    const at = `${flow.at}.message(${name ?? flow.message.id()})`
    const contentType = flow.message.contentType()
    if (contentType && !isJsonContentType(contentType)) {
      throw new TreatyError(ErrorCodes.INTEROP_UNSUPPORTED, `${at}: ${contentType} content is not JSON`, {
        path: at,
        hint: 'Treaty contracts describe JSON messages: describe this message in JSON, or leave its operation out of the document',
      })
    }
    const payloadSchema = schemaOf(flow.message, 'payload', at)
    const headersSchema = flow.message.hasHeaders() ? schemaOf(flow.message, 'headers', at) : undefined
    if (flow.direction === 'send') {
      // A provider schema is schemas only: what the service sends needs no example.
      producers.push({
        key: name ? `${flow.channel}#${name}` : flow.channel,
        channel: flow.channel,
        payload: payloadSchema,
        headers: headersSchema ?? { type: 'object' },
      })
      continue
    }
    const payload = withExample(flow.message, 'payload', payloadSchema, at, notes)
    const headers = headersSchema ? withExample(flow.message, 'headers', headersSchema, at, notes) : undefined
    const provider = providerOf(flow, options.provider)
    const description = uniqueDescription(
      descriptions,
      flow.message.summary() ?? flow.message.title() ?? `${flow.operation.id()}${name ? ` ${name}` : ''}`,
      at,
      notes,
    )
    const expectation: Expectation = {
      description,
      channel: flow.channel,
      ...(name ? { messageName: name } : {}),
      providerStates: [],
      ...(headers ? { headers } : {}),
      payload,
    }
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), expectation])
  }
  const contracts: Contract[] = [...byProvider].map(([provider, expectations]) =>
    parseContract({ treaty: '1', consumer: options.service, provider, expectations }),
  )
  // By key, not by where the document lists them: a document exported from this file imports as the same file.
  producers.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return { contracts, ...(producers.length > 0 ? { providerSchema: { provider: options.service, producers } } : {}), notes }
}

function channelAddress(channel: ChannelInterface | undefined, at: string): string {
  const address = channel?.address() ?? channel?.id()
  if (!address) {
    throw new TreatyError(ErrorCodes.INTEROP_UNSUPPORTED, `${at}: the operation has no channel address`, {
      path: at,
      hint: 'give the channel an address (Treaty channels are subjects)',
    })
  }
  return address
}

/** The message's `name` (2.x: or its `messageId`); a key in a messages map is only an id. */
function messageName(message: MessageInterface): string | undefined {
  const messageId = (message.json() as { messageId?: unknown }).messageId
  return message.name() ?? (typeof messageId === 'string' ? messageId : undefined)
}

function providerOf(flow: Flow, fallback: string | undefined): string {
  for (const json of [flow.operation.json(), flow.channelModel?.json(), flow.message.json()]) {
    const named = (json as Record<string, unknown> | undefined)?.[PROVIDER_EXTENSION]
    if (typeof named === 'string') return named
  }
  if (fallback) return fallback
  throw new TreatyError(ErrorCodes.INTEROP_PROVIDER_UNKNOWN, `${flow.at}: no provider named for this receive operation`, {
    path: flow.at,
    hint: `pass --provider <service>, or add ${PROVIDER_EXTENSION}: <service> to the operation or its channel`,
  })
}

/**
 * The payload or headers schema of a message, in 2020-12 form. AsyncAPI 3 may wrap either in a multi-format
 * schema object (`{ schemaFormat, schema }`), whose format is then the schema's own; read as a schema itself,
 * the wrapper would accept any message.
 */
function schemaOf(message: MessageInterface, which: 'payload' | 'headers', at: string): JsonSchema {
  const model = which === 'payload' ? message.payload() : message.headers()
  const json = model?.json() as Record<string, unknown> | undefined
  const multiFormat = typeof json?.schema === 'object' && json.schema !== null
  const raw = multiFormat ? json.schema : json
  const format = multiFormat && typeof json.schemaFormat === 'string' ? json.schemaFormat : message.schemaFormat()
  let schema: JsonSchema = raw === undefined ? true : (withoutParserAnnotations(raw, `${at}.${which}`) as JsonSchema)
  schema = toDraft2020(schema, draftOfFormat(format, `${at}.${which}`))
  if (which === 'payload' && message.hasCorrelationId() && typeof schema === 'object') {
    schema = { ...schema, [CORRELATION_ID_KEYWORD]: message.correlationId()?.location() ?? null }
  }
  return schema
}

/** The schema with the message's first example valid under it, else one generated from the schema. */
function withExample(
  message: MessageInterface,
  which: 'payload' | 'headers',
  schema: JsonSchema,
  at: string,
  notes: InteropNote[],
): MessagePart {
  for (const ex of message.examples()) {
    const value = (which === 'payload' ? ex.payload() : ex.headers()) as JsonValue | undefined
    if (value === undefined) continue
    if (validate(schema, value).length === 0) return { schema, example: value }
    notes.push({ path: `${at}.examples`, message: `an example's ${which} does not match its schema; not used` })
  }
  try {
    return { schema, example: exampleFor(schema) }
  } catch (cause) {
    if (!isTreatyError(cause, ErrorCodes.EXAMPLE_UNAVAILABLE)) throw cause
    throw new TreatyError(
      ErrorCodes.INTEROP_UNSUPPORTED,
      `${at}.${which}: no valid example, and none can be generated (${cause.message})`,
      {
        cause,
        path: `${at}.${which}`,
        hint: `add one to the message in the document (examples: [{ ${which}: … }]) and import again`,
      },
    )
  }
}

function draftOfFormat(format: string | undefined, at: string): Draft {
  if (!format || format.startsWith('application/vnd.aai.asyncapi')) return 'draft-07'
  const m = /^application\/schema\+(?:json|yaml);version=(draft-0[467]|2019-09|2020-12)$/.exec(format)
  if (m) return m[1] as Draft
  throw new TreatyError(ErrorCodes.INTEROP_UNSUPPORTED, `${at}: schema format ${format} is not JSON Schema`, {
    path: at,
    hint: 'Treaty reads JSON Schema and AsyncAPI schemas; convert Avro/Protobuf payloads to JSON Schema first',
  })
}

/**
 * A plain copy without the `x-parser-*` annotations the parser adds everywhere. A schema the parser left
 * circular (a recursive `$ref`) has no plain JSON form: reported, not looped on.
 */
function withoutParserAnnotations(value: unknown, at: string, seen: object[] = []): unknown {
  if (value === null || typeof value !== 'object') return value
  if (seen.includes(value)) {
    throw new TreatyError(ErrorCodes.INTEROP_UNSUPPORTED, `${at}: a recursive schema ($ref to itself) cannot be imported yet`, {
      path: at,
      hint: 'describe the recursion to a bounded depth, or write this expectation in the consumer test',
    })
  }
  const inner = [...seen, value]
  if (Array.isArray(value)) return value.map((v, i) => withoutParserAnnotations(v, `${at}[${i}]`, inner))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (!k.startsWith('x-parser-')) out[k] = withoutParserAnnotations(v, `${at}.${k}`, inner)
  }
  return out
}
