import { describe, expect, it } from 'vitest'
import type { Contract, Expectation } from './contract/types.js'
import { ErrorCodes } from './errors.js'
import { compile, integer } from './schema/matchers.js'
import { contractTests } from './vitest.js'

const e = (description: string): Expectation => ({
  description,
  channel: 'orders.created',
  providerStates: [{ name: 'an order exists', params: { id: description } }],
  payload: compile({ id: integer(1) }),
})
const contract = (consumer: string, provider: string, expectations: Expectation[]): Contract => ({
  treaty: '1',
  consumer,
  provider,
  expectations,
})

/** Which test each producer call ran in, by vitest's own name for it. */
const ranIn: string[] = []

// Registers real tests in this file: they pass only if verification passes.
contractTests({
  provider: 'orders-api',
  contracts: [contract('billing', 'orders-api', [e('first'), e('second')]), contract('billing', 'someone-else', [e('ignored')])],
  producers: {
    'orders.created': ({ params }) => {
      ranIn.push(expect.getState().currentTestName ?? '?')
      return { payload: { id: String(params.id).length } }
    },
  },
  states: { 'an order exists': () => {} },
})

describe('contractTests', () => {
  it('registered one test per expectation, named provider › consumer › description (they ran above)', () => {
    expect(ranIn).toEqual(['provider orders-api > billing > first', 'provider orders-api > billing > second'])
  })

  it('throws at once, before any test, on an unusable setup', () => {
    // With the hint in the message: vitest reports an error's message, not its hint.
    expect(() => contractTests({ provider: 'orders-api', contracts: [], producers: undefined as never })).toThrow(
      expect.objectContaining({ code: ErrorCodes.VERIFY_CONFIG_INVALID, message: expect.stringContaining('\n  hint: pass producers:') }),
    )
  })
})
