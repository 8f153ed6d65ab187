/**
 * Generates format-validator.generated.ts: the contract format's JSON Schema (contract-schema.ts) as an
 * ajv "standalone" validator, so reading a contract costs no ajv compile. format-validator.test.ts fails
 * when the committed file is not what this generates (and rewrites it with UPDATE_GENERATED=1).
 * Not part of the public API, never loaded at run time.
 */
import { standaloneModule } from '../schema/precompiled.js'
import { contractSchema } from './contract-schema.js'

export function formatValidatorSource(): string {
  return standaloneModule('src/contract/format-validator.ts', 'packages/core/src/contract/format-validator.test.ts', [
    { name: 'contractFormatValidator', schema: contractSchema },
  ])
}
