// pdf-worker as a provider: every consumer's pdf.generated expectation replayed against the worker's real handler.
import { contractTests } from '@treaty/core/vitest'
import { CONTRACTS_DIR } from '../contract/paths.js'
import { producers } from '../contract/pdf-worker.producers.js'

contractTests({ provider: 'pdf-worker', contracts: CONTRACTS_DIR, producers })
