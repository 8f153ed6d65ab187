import { bad, good, observed } from '@treaty/test-support'
import { describe, expect, it } from 'vitest'
import { ObserveErrorCodes } from './errors.js'
import { Guard, type GuardViolation, guardAmqp, guardNats } from './guard.js'
import type { ObservedContract } from './types.js'

const headers = { 'Correlation-Id': 'c-1' }

describe('Guard', () => {
  it('lets through what every consumer accepts and names who would reject the rest', () => {
    const guard = new Guard({ contracts: observed, mode: 'warn', onViolation: () => {} })
    expect(guard.check('pdf.requested', good, headers)).toEqual([])
    expect(guard.check('pdf.requested', bad, headers)).toEqual([
      {
        subject: 'pdf.requested',
        consumer: 'pdf-worker',
        consumerVersion: '1.4.0',
        channel: 'pdf.requested',
        expectation: 'a render request',
        issues: ['payload/items/0/qty: present (required)'],
      },
    ])
    expect(guard.check('tenant.3.events', {})).toMatchObject([{ channel: 'tenant.{id}.events' }])
    expect(guard.check('nobody.listens', { anything: 1 })).toEqual([])
  })

  it('in reject mode sends nothing and throws a coded error; in warn mode reports and sends', () => {
    const sent: string[] = []
    const nc = { publish: (subject: string) => void sent.push(subject) }
    const rejecting = guardNats(nc, new Guard({ contracts: observed, mode: 'reject', onViolation: () => {} }))
    expect(() => rejecting.publish('pdf.requested', bad, headers)).toThrow(
      expect.objectContaining({ code: ObserveErrorCodes.GUARD_REJECTED }),
    )
    expect(sent).toEqual([])
    rejecting.publish('pdf.requested', good, headers)
    expect(sent).toEqual(['pdf.requested'])

    const seen: GuardViolation[][] = []
    const channel = { publish: (_e: string, key: string) => sent.push(key) > 0 }
    const warning = guardAmqp(channel, 'events', new Guard({ contracts: observed, mode: 'warn', onViolation: (v) => seen.push(v) }))
    warning.publish('pdf.requested', bad, headers)
    expect(sent).toEqual(['pdf.requested', 'pdf.requested'])
    expect(seen[0]![0]!.consumer).toBe('pdf-worker')
  })
  // The guard remembers which consumers a subject has; that must never skip one, whatever came before.
  it('checks a message against every consumer of every channel its subject matches, message after message', () => {
    const tenantAudit: ObservedContract = {
      consumer: 'tenant-audit',
      consumerVersion: '0.9.0',
      environment: 'production',
      contentHash: 'c'.repeat(64),
      contract: {
        treaty: '1',
        consumer: 'tenant-audit',
        provider: 'pdf-api',
        expectations: [
          {
            description: 'tenant 3 events',
            channel: 'tenant.3.events',
            providerStates: [],
            payload: { schema: { type: 'object', required: ['tenant'] }, example: { tenant: '3' } },
          },
        ],
      },
    }
    const guard = new Guard({ contracts: [...observed, tenantAudit], mode: 'warn', onViolation: () => {} })
    const rejecters = (subject: string, payload: unknown) => guard.check(subject, payload).map((v) => v.consumer)
    for (let round = 0; round < 2; round++) {
      expect(rejecters('tenant.3.events', {})).toEqual(['tenant-audit', 'pdf-worker'])
      expect(rejecters('tenant.3.events', { kind: 'created', tenant: '3' })).toEqual([])
      expect(rejecters('tenant.3.events', { kind: 'created' })).toEqual(['tenant-audit'])
      expect(rejecters('tenant.4.events', { kind: 'created' })).toEqual([])
      expect(rejecters('tenant.4.events', { tenant: '4' })).toEqual(['pdf-worker'])
      expect(rejecters('pdf.requested', bad)).toEqual(['pdf-worker'])
    }
  })
})
