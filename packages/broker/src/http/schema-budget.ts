/**
 * Limits on the schema work one request may cause, checked on the raw body before anything is compiled.
 * Compiling is the expensive part of a publish (about half a millisecond per distinct schema, on the event
 * loop), so 20,000 distinct schemas in one 3 MB body stalled every other request for seconds. Over a limit
 * the request is refused (413, TREATY_BROKER_LIMIT_EXCEEDED) naming the limit; within them, the route also
 * yields to the event loop between contracts (see `yieldToEventLoop`), so probes keep answering.
 */
import { setImmediate as nextTurn } from 'node:timers/promises'
import { BrokerError, BrokerErrorCodes } from '../errors.js'

export const SCHEMA_LIMITS = {
  /** Distinct payload/headers schemas in one request (identical ones count once: they compile once). */
  distinctSchemas: 1000,
  /** JSON objects and arrays inside all schemas of one request together. */
  schemaNodes: 100_000,
} as const

/** Counts schemas and their nodes; `schemas` yields each schema with the body path it sits at. */
export function assertSchemaBudget(schemas: Iterable<{ schema: unknown; path: string }>): void {
  const distinct = new Set<string>()
  let nodes = 0
  for (const { schema, path } of schemas) {
    if (schema === undefined) continue
    nodes += countNodes(schema)
    if (nodes > SCHEMA_LIMITS.schemaNodes) {
      throw limit(
        path,
        `the schemas of this request have more than ${SCHEMA_LIMITS.schemaNodes} objects and arrays together`,
        'schema nodes',
        SCHEMA_LIMITS.schemaNodes,
      )
    }
    distinct.add(JSON.stringify(schema))
    if (distinct.size > SCHEMA_LIMITS.distinctSchemas) {
      throw limit(
        path,
        `this request carries more than ${SCHEMA_LIMITS.distinctSchemas} distinct schemas`,
        'distinct schemas',
        SCHEMA_LIMITS.distinctSchemas,
      )
    }
  }
}

/** The payload and headers schema of every expectation of every contract in a publish body. */
export function* contractSchemas(contracts: unknown[]): Generator<{ schema: unknown; path: string }> {
  for (let i = 0; i < contracts.length; i++) {
    const expectations = (contracts[i] as { expectations?: unknown } | null)?.expectations
    if (!Array.isArray(expectations)) continue
    for (let j = 0; j < expectations.length; j++) {
      for (const part of ['headers', 'payload'] as const) {
        const message = (expectations[j] as Record<string, unknown> | null)?.[part] as { schema?: unknown } | undefined
        yield { schema: message?.schema, path: `body.contracts[${i}].expectations[${j}].${part}.schema` }
      }
    }
  }
}

/** Lets timers, probes and other requests run between units of heavy synchronous work. */
export function yieldToEventLoop(): Promise<void> {
  return nextTurn()
}

function countNodes(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0
  let n = 1
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += countNodes(v)
  return n
}

function limit(path: string, what: string, name: string, value: number): BrokerError {
  return new BrokerError(BrokerErrorCodes.LIMIT_EXCEEDED, `${path}: ${what} (limit: ${name} ${value}); publish in smaller requests`, {
    path,
  })
}
