/**
 * Which producer builds the message for an expectation. Most specific key first: the expectation's
 * exact description, then `channel#messageName`, then `channel` — so one producer per channel is
 * enough until a channel carries several kinds of message.
 */
import type { Expectation } from '../contract/types.js'
import { ErrorCodes, TreatyError } from '../errors.js'
import type { Producer, Producers } from './types.js'

/**
 * The keys a producer for `expectation` may be registered under, most specific first. The one rule the
 * replay verifier, the static check and the broker's static can-i-deploy all follow.
 */
export function producerKeys(expectation: Pick<Expectation, 'description' | 'channel' | 'messageName'>): string[] {
  const keys = [expectation.description]
  if (expectation.messageName !== undefined) keys.push(`${expectation.channel}#${expectation.messageName}`)
  keys.push(expectation.channel)
  return keys
}

export interface ProducerLookup {
  /** The producer for `expectation`, or undefined when no key matches. */
  find(expectation: Expectation): Producer | undefined
  /** Every key, sorted, for "known: …" in messages. */
  readonly known: string[]
  /** Keys never returned by `find`, sorted. */
  unused(): string[]
}

export function producerLookup(producers: Producers): ProducerLookup {
  if (producers === null || typeof producers !== 'object' || Array.isArray(producers)) {
    throw new TreatyError(ErrorCodes.VERIFY_CONFIG_INVALID, 'producers must be an object of functions, keyed by channel', {
      path: 'producers',
      hint: "pass producers: { 'pdf.requested': async ({ params }) => ({ payload: … }) }",
    })
  }
  const byKey = new Map<string, Producer>()
  for (const [key, producer] of Object.entries(producers)) {
    if (typeof producer !== 'function') {
      throw new TreatyError(
        ErrorCodes.VERIFY_CONFIG_INVALID,
        `producers[${JSON.stringify(key)}] must be a function (got ${typeof producer})`,
        {
          path: `producers.${key}`,
        },
      )
    }
    byKey.set(key, producer)
  }
  const used = new Set<string>()
  const hit = (key: string): Producer | undefined => {
    const producer = byKey.get(key)
    if (producer) used.add(key)
    return producer
  }
  return {
    find: (e) => {
      for (const key of producerKeys(e)) {
        const producer = hit(key)
        if (producer) return producer
      }
      return undefined
    },
    known: [...byKey.keys()].sort(),
    unused: () => [...byKey.keys()].filter((k) => !used.has(k)).sort(),
  }
}
