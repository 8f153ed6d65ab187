// A typo in `provider`: no contract is addressed to it, which must fail rather than pass with no tests.
import { contractTests } from '@treaty/core/vitest'

contractTests({ provider: 'pdf-apl', contracts: 'contracts', producers: {} })
