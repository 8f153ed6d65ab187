import { createHash } from 'node:crypto'
import type { Contract, Expectation } from './types.js'

/**
 * Canonical JSON: object keys sorted, no insignificant whitespace, `undefined` members dropped.
 * Array order is kept (it is significant in JSON) except where the contract format says it is not:
 * expectations are ordered by description.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = sortKeys(v)
    }
    return out
  }
  return value
}

export function compareDescriptions(a: Expectation, b: Expectation): number {
  return a.description < b.description ? -1 : a.description > b.description ? 1 : 0
}

/** The contract in canonical form: sorted keys, expectations ordered by description. */
export function canonicalContract(contract: Contract): Contract {
  const expectations = [...contract.expectations].sort(compareDescriptions)
  return sortKeys({ ...contract, expectations }) as Contract
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** sha256 (hex) of the canonical form: the same expectations in any order or formatting hash alike. */
export function contractHash(contract: Contract): string {
  return sha256(canonicalJson(canonicalContract(contract)))
}

/** Content hash of one expectation, used to tell a duplicate from a conflicting redeclaration. */
export function expectationHash(expectation: Expectation): string {
  return sha256(canonicalJson(expectation))
}
