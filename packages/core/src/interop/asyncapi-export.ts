/**
 * Treaty → AsyncAPI 3.0 for one service: one channel per subject, a receive operation per channel the
 * service consumes (from its contracts), a send operation per channel it produces (from its provider
 * schema, else from what its consumers expect of it), NATS bindings, and on every message `x-treaty`:
 * how it is proven (replay-verified, statically proven, or only declared) and by which versions.
 * Schemas are written in draft-07 form, AsyncAPI 3.0's default schema format.
 */
import type { Contract } from '../contract/types.js'
import { ErrorCodes, TreatyError } from '../errors.js'
import { escapeToken } from '../json/pointer.js'
import type { JsonSchema, JsonValue } from '../json/types.js'
import { toDraft07 } from '../schema/draft-normalise.js'
import { CORRELATION_ID_KEYWORD, PROVIDER_EXTENSION, type ProviderSchemaFile } from './types.js'

export type Evidence = 'replay' | 'static' | 'declared'

/** How one consumer's expectations of a provider are proven, as the broker knows it (absent: only declared). */
export interface PairEvidence {
  consumer: string
  provider: string
  evidence: Evidence
  consumerVersion?: string
  providerVersion?: string
  /** The broker's verdict for the pair when it is not proven (`failed`, `unverified`). */
  status?: string
}

export interface AsyncApiExportOptions {
  service: string
  /** Every contract known: those where the service is consumer or provider are used. */
  contracts: readonly Contract[]
  /** The service's own provider schema, when it has one (what it sends, whoever reads it). */
  providerSchema?: ProviderSchemaFile
  evidence?: readonly PairEvidence[]
  /** `info.version` (default `0.0.0`). */
  version?: string
}

type Obj = Record<string, unknown>

interface MessageOut {
  name?: string
  headers?: JsonSchema
  payload: JsonSchema
  examples: { payload: JsonValue; headers?: JsonValue }[]
  treaty: Obj
}

const ID_UNSAFE = /[^A-Za-z0-9_.-]/g

export function exportAsyncApi(options: AsyncApiExportOptions): Obj {
  const channels = new Map<string, { receive: Map<string, MessageOut>; send: Map<string, MessageOut> }>()
  const slot = (channel: string) => {
    const known = channels.get(channel)
    if (known) return known
    const created = { receive: new Map<string, MessageOut>(), send: new Map<string, MessageOut>() }
    channels.set(channel, created)
    return created
  }
  for (const contract of options.contracts) {
    const receiving = contract.consumer === options.service
    const sending = contract.provider === options.service && !options.providerSchema
    if (!receiving && !sending) continue
    const proof = evidenceFor(options.evidence ?? [], contract)
    for (const e of contract.expectations) {
      const key = e.messageName ?? e.description
      const side = slot(e.channel)[receiving ? 'receive' : 'send']
      const known = side.get(key)
      const example = { payload: e.payload.example, ...(e.headers ? { headers: e.headers.example } : {}) }
      if (known && sending) {
        // Several consumers of one message: what is proven is that it satisfies all of them.
        known.payload = { allOf: [known.payload, e.payload.schema] }
        if (e.headers) known.headers = known.headers ? { allOf: [known.headers, e.headers.schema] } : e.headers.schema
        known.examples.push(example)
        ;(known.treaty.consumers as Obj[]).push({ service: contract.consumer, ...proof })
        continue
      }
      side.set(key, {
        ...(e.messageName ? { name: e.messageName } : {}),
        ...(e.headers ? { headers: e.headers.schema } : {}),
        payload: e.payload.schema,
        examples: [example],
        treaty: receiving
          ? { description: e.description, provider: contract.provider, ...proof }
          : { consumers: [{ service: contract.consumer, ...proof }] },
      })
    }
  }
  for (const p of options.providerSchema?.producers ?? []) {
    const [channel, name] = p.key.includes('#') ? (p.key.split('#', 2) as [string, string]) : [p.channel ?? p.key, undefined]
    slot(channel).send.set(name ?? channel, {
      ...(name ? { name } : {}),
      headers: p.headers,
      payload: p.payload,
      examples: [],
      treaty: { evidence: 'declared', source: 'provider schema' },
    })
  }

  const docChannels: Obj = {}
  const operations: Obj = {}
  const usedIds = new Set<string>()
  for (const [address, sides] of [...channels].sort(([a], [b]) => a.localeCompare(b))) {
    const channelId = uniqueId(usedIds, address)
    const messages: Obj = {}
    const parameters = Object.fromEntries([...address.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1], {}]))
    for (const action of ['receive', 'send'] as const) {
      const refs: Obj[] = []
      const msgIds = new Set(Object.keys(messages))
      for (const [key, m] of sides[action]) {
        const id = uniqueId(msgIds, `${action}.${key}`)
        messages[id] = messageObject(m, `channels.${channelId}.messages.${id}`)
        refs.push({ $ref: `#/channels/${escapeToken(channelId)}/messages/${escapeToken(id)}` })
      }
      if (refs.length === 0) continue
      const receiveFrom = action === 'receive' ? providerOfChannel(sides.receive) : undefined
      operations[uniqueId(usedIds, `${action}.${address}`)] = {
        action,
        channel: { $ref: `#/channels/${escapeToken(channelId)}` },
        messages: refs,
        bindings: { nats: { bindingVersion: '0.1.0' } },
        ...(receiveFrom ? { [PROVIDER_EXTENSION]: receiveFrom } : {}),
      }
    }
    docChannels[channelId] = {
      address,
      messages,
      ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    }
  }
  return {
    asyncapi: '3.0.0',
    info: { title: options.service, version: options.version ?? '0.0.0', [GENERATED_MARK]: true },
    defaultContentType: 'application/json',
    channels: docChannels,
    operations,
  }
}

/** Marks a document this exporter wrote, so writing it again replaces only its own output. */
const GENERATED_MARK = 'x-treaty-generated'

/** True for a document `exportAsyncApi` wrote (as parsed JSON), false for anything else, such as the document it was imported from. */
export function isExportedAsyncApi(value: unknown): boolean {
  return (value as { info?: Record<string, unknown> } | null)?.info?.[GENERATED_MARK] === true
}

function messageObject(m: MessageOut, at: string): Obj {
  const payload = draft07(m.payload, `${at}.payload`) as JsonSchema
  const correlation = typeof payload === 'object' ? payload[CORRELATION_ID_KEYWORD] : undefined
  if (typeof payload === 'object') delete payload[CORRELATION_ID_KEYWORD]
  return {
    ...(m.name ? { name: m.name } : {}),
    // Import reads a received message's description back from its summary and its provider from the extension.
    ...(typeof m.treaty.description === 'string' ? { summary: m.treaty.description } : {}),
    ...(typeof m.treaty.provider === 'string' ? { [PROVIDER_EXTENSION]: m.treaty.provider } : {}),
    contentType: 'application/json',
    ...(m.headers !== undefined ? { headers: draft07(m.headers, `${at}.headers`) } : {}),
    payload,
    ...(typeof correlation === 'string' ? { correlationId: { location: correlation } } : {}),
    ...(m.examples.length > 0 ? { examples: m.examples } : {}),
    'x-treaty': m.treaty,
  }
}

function draft07(schema: JsonSchema, at: string): JsonSchema {
  try {
    return toDraft07(schema)
  } catch (cause) {
    throw new TreatyError(ErrorCodes.INTEROP_UNSUPPORTED, `${at}: ${(cause as Error).message}`, {
      path: at,
      cause,
      hint: 'AsyncAPI 3.0 schemas are draft-07; rewrite the schema without this keyword',
    })
  }
}

/** The provider a receive operation names, when every message of it comes from the same one. */
function providerOfChannel(messages: Map<string, MessageOut>): string | undefined {
  const providers = new Set([...messages.values()].map((m) => m.treaty.provider))
  const [only] = providers
  return providers.size === 1 && typeof only === 'string' ? only : undefined
}

function evidenceFor(all: readonly PairEvidence[], contract: Contract): Obj {
  const found = all.find((e) => e.consumer === contract.consumer && e.provider === contract.provider)
  if (!found) return { evidence: 'declared' }
  const { consumer: _c, provider: _p, ...rest } = found
  return rest
}

function uniqueId(used: Set<string>, wanted: string): string {
  const base = wanted.replace(ID_UNSAFE, '_') || 'message'
  let id = base
  for (let i = 2; used.has(id); i++) id = `${base}_${i}`
  used.add(id)
  return id
}
