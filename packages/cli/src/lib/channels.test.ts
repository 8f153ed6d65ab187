import { describe, expect, it } from 'vitest'
import { describeRetention, fromStream } from './channels.js'

describe('fromStream: a JetStream stream config as the broker stores retention', () => {
  it('gives every subject the stream’s retention, in milliseconds, with no limit as null', () => {
    const entries = fromStream({
      name: 'PDF_EVENTS',
      subjects: ['pdf.generated', 'pdf.deadletter'],
      retention: 'limits',
      max_age: 7 * 86_400_000 * 1e6,
      max_msgs: -1,
    })
    expect(entries.map((e) => e.channel)).toEqual(['pdf.generated', 'pdf.deadletter'])
    expect(entries[0]!.retention).toEqual({
      policy: 'limits',
      maxAgeMs: 7 * 86_400_000,
      maxMessages: null,
      deadLetter: null,
      stream: 'PDF_EVENTS',
      source: 'jetstream',
    })
  })

  it('maps work-queue and interest retention, and a zero max age to no age limit', () => {
    const [wq] = fromStream({ name: 'Q', subjects: ['a'], retention: 'workqueue', max_age: 0, max_msgs: 10 })
    expect(wq!.retention).toMatchObject({ policy: 'workqueue', maxAgeMs: null, maxMessages: 10 })
    expect(fromStream({ name: 'I', subjects: ['b'], retention: 'interest', max_age: 0, max_msgs: -1 })[0]!.retention.policy).toBe(
      'interest',
    )
  })
})

describe('describeRetention', () => {
  it('says how long messages stay, in words', () => {
    const base = { channel: 'pdf.generated', maxMessages: null, stream: 'PDF_EVENTS', source: 'jetstream' as const }
    expect(describeRetention({ ...base, policy: 'limits', maxAgeMs: 7 * 86_400_000, deadLetter: 'pdf.deadletter' })).toBe(
      'pdf.generated (PDF_EVENTS): kept 7d, dead letters to pdf.deadletter',
    )
    expect(describeRetention({ ...base, policy: 'limits', maxAgeMs: null, deadLetter: null })).toBe(
      'pdf.generated (PDF_EVENTS): kept with no age limit',
    )
    expect(describeRetention({ ...base, stream: null, policy: 'none', maxAgeMs: null, deadLetter: null })).toBe('pdf.generated: not kept')
  })
})
