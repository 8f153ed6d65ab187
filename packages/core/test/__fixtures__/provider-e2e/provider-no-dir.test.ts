// A `contracts` directory that does not exist (a typo, or the consumer tests not run yet): the file fails with the hint.
import { contractTests } from '@treaty/core/vitest'

contractTests({ provider: 'pdf-api', contracts: 'contract', producers: {} })
