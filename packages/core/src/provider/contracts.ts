/** The contracts a provider verifies: loaded from wherever they were given, and only those addressed to it. */
import { fileURLToPath } from 'node:url'
import { readContracts } from '../contract/read-write.js'
import type { Contract } from '../contract/types.js'
import { ErrorCodes, TreatyError } from '../errors.js'
import type { ContractInput, ContractSource, VerifyLogger } from './types.js'

export interface PlannedContract {
  contract: Contract
  pending: boolean
  contentHash?: string
  consumerVersion?: string
  consumerBranch?: string
}

export interface ContractPlan {
  /** Contracts addressed to the provider, in the order given. */
  contracts: PlannedContract[]
  ignored: { consumer: string; provider: string }[]
  /** Providers of the ignored contracts, sorted, for "found contracts for: …". */
  otherProviders: string[]
}

/** Reads a directory (or URL of one), or awaits the list; every entry becomes `{ contract, pending }`. */
export async function loadContracts(source: ContractSource): Promise<PlannedContract[]> {
  let inputs: readonly ContractInput[]
  if (typeof source === 'string') inputs = await readContracts(source)
  else if (source instanceof URL) inputs = await readContracts(fileURLToPath(source))
  else inputs = await source
  if (!Array.isArray(inputs)) {
    throw new TreatyError(ErrorCodes.VERIFY_CONFIG_INVALID, 'contracts must be a directory path or a list of contracts', {
      path: 'contracts',
      hint: "pass contracts: 'contracts' (the directory consumer tests write into) or await readContracts(dir)",
    })
  }
  return inputs.map((input, i) => normalise(input, i))
}

function normalise(input: ContractInput, index: number): PlannedContract {
  const wrapped = input !== null && typeof input === 'object' && 'contract' in input
  const contract = wrapped ? input.contract : (input as Contract)
  if (
    contract === null ||
    typeof contract !== 'object' ||
    typeof contract.consumer !== 'string' ||
    typeof contract.provider !== 'string' ||
    !Array.isArray(contract.expectations)
  ) {
    throw new TreatyError(ErrorCodes.VERIFY_CONFIG_INVALID, `contracts[${index}] is not a contract`, {
      path: `contracts[${index}]`,
      hint: 'read contracts with readContracts(dir) or parseContract(json), or pass { contract, pending }',
    })
  }
  const planned: PlannedContract = { contract, pending: wrapped ? input.pending === true : false }
  if (wrapped && typeof input.contentHash === 'string') planned.contentHash = input.contentHash
  if (wrapped && typeof input.consumerVersion === 'string') planned.consumerVersion = input.consumerVersion
  if (wrapped && typeof input.consumerBranch === 'string') planned.consumerBranch = input.consumerBranch
  return planned
}

/** Keeps the contracts addressed to `provider`; says at debug level which it skipped and why. */
export function planFor(provider: string, contracts: readonly PlannedContract[], logger: VerifyLogger | undefined): ContractPlan {
  const plan: ContractPlan = { contracts: [], ignored: [], otherProviders: [] }
  const others = new Set<string>()
  for (const planned of contracts) {
    const { consumer, provider: addressee } = planned.contract
    if (addressee === provider) {
      plan.contracts.push(planned)
      continue
    }
    plan.ignored.push({ consumer, provider: addressee })
    others.add(addressee)
    logger?.debug(`treaty: skipping contract ${consumer} → ${addressee}: it is addressed to ${addressee}, not ${provider}`)
  }
  plan.otherProviders = [...others].sort()
  return plan
}
