// pdf-api as a provider: every consumer's pdf.requested expectation replayed against the api's real code.
import { contractTests } from '@treaty/core/vitest'
import { CONTRACTS_DIR } from '../contract/paths.js'
import { producers, states } from '../contract/pdf-api.producers.js'

contractTests({ provider: 'pdf-api', contracts: CONTRACTS_DIR, producers, states })
