/**
 * Pact message pacts → Treaty contracts. Reads V3 message pacts (`messages`) and V4 pacts
 * (`Asynchronous/Messages`, and the responses of `Synchronous/Messages`: what the consumer receives).
 * Contents become the payload (example = the pact's content, schema = its matching rules), message
 * metadata the headers, provider states keep their params. The channel is the metadata's `channel`,
 * `subject`, `topic`, `queue` or `destination` (taken out of the headers), else `defaultChannel`.
 */
import { readFile } from 'node:fs/promises'
import { parseContract } from '../contract/read-write.js'
import type { Contract, Expectation, ProviderState } from '../contract/types.js'
import { ErrorCodes, TreatyError } from '../errors.js'
import type { JsonSchema, JsonValue } from '../json/types.js'
import { isJsonContentType } from './content-type.js'
import { uniqueDescription } from './descriptions.js'
import type { RuleSet } from './pact-paths.js'
import { compileRules } from './pact-to-schema.js'
import type { ImportResult, InteropNote } from './types.js'

/** Metadata keys that name where a message travels, first found wins. */
export const CHANNEL_METADATA_KEYS = ['channel', 'subject', 'topic', 'queue', 'destination'] as const

export interface PactImportOptions {
  /** Channel for messages whose metadata names none. */
  defaultChannel?: string
}

type Obj = Record<string, unknown>

interface PactMessage {
  description: string
  providerStates: ProviderState[]
  contents: JsonValue
  metadata: Obj
  rules: { body?: RuleSet; metadata?: RuleSet }
  generators: Obj | undefined
  at: string
}

export async function importPactFile(file: string, options: PactImportOptions = {}): Promise<ImportResult> {
  let pact: unknown
  try {
    pact = JSON.parse(await readFile(file, 'utf8'))
  } catch (cause) {
    throw new TreatyError(ErrorCodes.INTEROP_DOCUMENT_INVALID, `${file}: not a readable JSON pact (${(cause as Error).message})`, {
      cause,
      hint: 'pass the pact file pact-js (or another Pact library) wrote',
    })
  }
  return importPact(pact, options)
}

export function importPact(pact: unknown, options: PactImportOptions = {}): ImportResult {
  const p = pact as Obj
  const consumer = (p?.consumer as Obj | undefined)?.name
  const provider = (p?.provider as Obj | undefined)?.name
  if (typeof consumer !== 'string' || typeof provider !== 'string') {
    throw new TreatyError(ErrorCodes.INTEROP_DOCUMENT_INVALID, 'not a pact: consumer.name and provider.name are required', {
      path: 'consumer.name',
      hint: 'pass a Pact V3 message pact or a V4 pact',
    })
  }
  const notes: InteropNote[] = []
  const messages = collect(p, notes)
  const descriptions = new Set<string>()
  const expectations: Expectation[] = messages.map((m) => toExpectation(m, options, notes, descriptions))
  const contract: Contract = parseContract({ treaty: '1', consumer, provider, expectations })
  return { contracts: [contract], notes }
}

function collect(p: Obj, notes: InteropNote[]): PactMessage[] {
  const out: PactMessage[] = []
  if (Array.isArray(p.messages)) {
    p.messages.forEach((m: Obj, i: number) => {
      if (m.contents === undefined) {
        throw new TreatyError(
          ErrorCodes.INTEROP_DOCUMENT_INVALID,
          `messages[${i}].contents: the message ("${String(m.description)}") has none`,
          {
            path: `messages[${i}].contents`,
            hint: 'give the message its contents in the consumer test (pact-js: withContent) and write the pact again',
          },
        )
      }
      out.push(message(m, m.contents as JsonValue, (m.metadata ?? m.metaData) as Obj, m.matchingRules as Obj, `messages[${i}]`))
    })
  }
  if (Array.isArray(p.interactions)) {
    p.interactions.forEach((it: Obj, i: number) => {
      const at = `interactions[${i}]`
      if (it.type === 'Asynchronous/Messages') {
        out.push(message(it, contentOf(it.contents, at), it.metadata as Obj, it.matchingRules as Obj, at))
      } else if (it.type === 'Synchronous/Messages') {
        notes.push({ path: `${at}.request`, message: 'the request is what the consumer sends: not a Treaty expectation' })
        const responses = Array.isArray(it.response) ? (it.response as Obj[]) : []
        responses.forEach((r, j) => {
          const m = message(
            it,
            contentOf(r.contents, `${at}.response[${j}]`),
            r.metadata as Obj,
            r.matchingRules as Obj,
            `${at}.response[${j}]`,
          )
          out.push(responses.length > 1 ? { ...m, description: `${m.description} (response ${j + 1})` } : m)
        })
      } else {
        // V1–V3 HTTP interactions carry no type; V4 names them Synchronous/HTTP.
        const kind = typeof it.type === 'string' ? it.type : 'HTTP (request/response)'
        notes.push({ path: at, message: `${kind} interaction skipped: Treaty contracts hold messages` })
      }
    })
  }
  if (out.length === 0) {
    // An empty contract would be published as "this consumer expects nothing": refuse instead of writing it.
    const skipped = notes.map((n) => `${n.path}: ${n.message}`).join('; ')
    throw new TreatyError(ErrorCodes.INTEROP_UNSUPPORTED, `the pact has no message interactions${skipped ? ` (${skipped})` : ''}`, {
      path: Array.isArray(p.interactions) ? 'interactions' : 'messages',
      hint: 'import a message pact (pact-js MessageConsumerPact, or V4 Asynchronous/Messages); HTTP interactions stay with Pact',
    })
  }
  return out
}

function message(source: Obj, contents: JsonValue, metadata: Obj | undefined, rules: Obj | undefined, at: string): PactMessage {
  const states = Array.isArray(source.providerStates)
    ? (source.providerStates as Obj[]).map((s) => ({
        name: String(s.name),
        ...(s.params ? { params: s.params as Record<string, JsonValue> } : {}),
      }))
    : typeof source.providerState === 'string'
      ? [{ name: source.providerState }]
      : []
  return {
    description: String(source.description ?? at),
    providerStates: states,
    contents,
    metadata: metadata ?? {},
    rules: { body: (rules?.body ?? rules?.content) as RuleSet | undefined, metadata: rules?.metadata as RuleSet | undefined },
    generators: source.generators as Obj | undefined,
    at,
  }
}

/** V4 contents: `{ content, contentType, encoded }`; only JSON content has a schema. */
function contentOf(contents: unknown, at: string): JsonValue {
  const c = contents as Obj | undefined
  if (!c || !('content' in c)) return null
  refuseNonJson(c.contentType, `${at}.contents`)
  if (c.encoded && c.encoded !== 'json') {
    throw new TreatyError(
      ErrorCodes.INTEROP_UNSUPPORTED,
      `${at}.contents: ${String(c.contentType)} content encoded as ${String(c.encoded)} is not JSON`,
      {
        path: `${at}.contents`,
        hint: 'Treaty contracts describe JSON messages',
      },
    )
  }
  return c.content as JsonValue
}

/** Other content would be imported as one JSON string and never match. */
function refuseNonJson(contentType: unknown, at: string): void {
  if (typeof contentType !== 'string' || isJsonContentType(contentType)) return
  throw new TreatyError(ErrorCodes.INTEROP_UNSUPPORTED, `${at}: ${contentType} content is not JSON`, {
    path: at,
    hint: 'Treaty contracts describe JSON messages: leave this interaction to Pact, or drop it from the pact',
  })
}

function toExpectation(m: PactMessage, options: PactImportOptions, notes: InteropNote[], seen: Set<string>): Expectation {
  const metadata = { ...m.metadata }
  const channelKey = CHANNEL_METADATA_KEYS.find((k) => typeof metadata[k] === 'string')
  const channel = channelKey ? (metadata[channelKey] as string) : options.defaultChannel
  if (!channel) {
    throw new TreatyError(ErrorCodes.INTEROP_UNSUPPORTED, `${m.at} ("${m.description}"): the message names no channel`, {
      path: m.at,
      hint: `pass --channel <subject>, or add one of ${CHANNEL_METADATA_KEYS.join(', ')} to the message metadata`,
    })
  }
  if (channelKey) delete metadata[channelKey]
  if ('contentType' in metadata) {
    refuseNonJson(metadata.contentType, `${m.at}.metadata.contentType`)
    notes.push({ path: `${m.at}.metadata.contentType`, message: "the pact's content type, not a message header: not imported as a header" })
    delete metadata.contentType
  }
  for (const [kind, gens] of Object.entries(m.generators ?? {})) {
    for (const path of Object.keys((gens as Obj) ?? {})) {
      notes.push({ path: `${m.at}.generators.${kind} ${path}`, message: "generator noted: the pact's example value is used as is" })
    }
  }
  const payloadSchema = compileRules(m.contents, m.rules.body, notes, `${m.at}.contents`)
  const description = uniqueDescription(seen, m.description, m.at, notes)
  const expectation: Expectation = {
    description,
    channel,
    providerStates: m.providerStates,
    payload: { schema: payloadSchema, example: m.contents },
  }
  if (Object.keys(metadata).length > 0) {
    const headers = metadata as Record<string, JsonValue>
    expectation.headers = { schema: headersSchema(headers, m, notes), example: headers }
  }
  return expectation
}

/** Metadata rules are keyed by the metadata key (not a `$` path): each becomes that header's schema. */
function headersSchema(headers: Record<string, JsonValue>, m: PactMessage, notes: InteropNote[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  for (const [key, value] of Object.entries(headers)) {
    const entry = m.rules.metadata?.[key]
    properties[key] = compileRules(value, entry ? { $: entry } : undefined, notes, `${m.at}.metadata.${key}`)
  }
  return { type: 'object', required: Object.keys(headers), properties }
}
