/**
 * The contract's canonical form. Canonical JSON itself lives in json/canonical.ts; what the contract
 * format adds is that expectation order is not significant: expectations are ordered by description.
 */
import { canonicalJson, sha256, sortKeys } from '../json/canonical.js'
import type { Contract, Expectation } from './types.js'

export function compareDescriptions(a: Expectation, b: Expectation): number {
  return a.description < b.description ? -1 : a.description > b.description ? 1 : 0
}

/** The contract in canonical form: sorted keys, expectations ordered by description. */
export function canonicalContract(contract: Contract): Contract {
  const expectations = [...contract.expectations].sort(compareDescriptions)
  return sortKeys({ ...contract, expectations }) as Contract
}

/** sha256 (hex) of the canonical form: the same expectations in any order or formatting hash alike. */
export function contractHash(contract: Contract): string {
  return sha256(canonicalJson(canonicalContract(contract)))
}

/** Content hash of one expectation, used to tell a duplicate from a conflicting redeclaration. */
export function expectationHash(expectation: Expectation): string {
  return sha256(canonicalJson(expectation))
}
