import { bad, encode, good, observed } from '@treaty/test-support'
import { describe, expect, it } from 'vitest'
import { MASK } from './mask.js'
import { Observer } from './observer.js'
import type { WireMessage } from './types.js'

const at = new Date('2026-01-01T00:00:00Z')
const msg = (subject: string, payload: Uint8Array, headers: Record<string, string> = { 'Correlation-Id': 'c-1' }): WireMessage => ({
  subject,
  headers,
  payload,
  receivedAt: at,
})

describe('Observer', () => {
  it('accepts a message every consumer expectation on the channel accepts', () => {
    const o = new Observer(observed)
    expect(o.handle(msg('pdf.requested', encode(good)))).toBe('accepted')
    const r = o.report()
    expect(r.mismatches).toEqual([])
    expect(r.channels.find((c) => c.channel === 'pdf.requested')).toMatchObject({ messages: 1, accepted: 1, rejected: 0 })
  })

  it('names the consumer version, channel, expectation and pointer a message breaks, and only that consumer', () => {
    const o = new Observer(observed)
    expect(o.handle(msg('pdf.requested', encode(bad)))).toBe('rejected')
    const [finding, ...others] = o.report().mismatches
    expect(others).toEqual([])
    expect(finding).toMatchObject({
      consumer: 'pdf-worker',
      consumerVersion: '1.4.0',
      environment: 'production',
      channel: 'pdf.requested',
      expectation: 'a render request',
      checked: 1,
      rejected: 1,
      pointers: [{ pointer: 'payload/items/0/qty', count: 1 }],
    })
  })

  it('checks headers too, and masks secret-looking ones in the examples it keeps', () => {
    const o = new Observer(observed)
    o.handle(msg('pdf.requested', encode(good), { authorization: 'Bearer abc', 'x-api-key': 'k', 'x-trace': 'Bearer xyz', plain: 'p' }))
    const [finding] = o.report().mismatches
    expect(finding!.pointers[0]!.pointer).toBe('headers/Correlation-Id')
    expect(finding!.examples[0]!.headers).toEqual({ authorization: MASK, 'x-api-key': MASK, 'x-trace': MASK, plain: 'p' })
  })

  it('matches {param} channels', () => {
    const o = new Observer(observed)
    expect(o.handle(msg('tenant.7.events', encode({})))).toBe('rejected')
    expect(o.handle(msg('tenant.7.events', encode({ kind: 'x' })))).toBe('accepted')
    expect(o.report().mismatches[0]).toMatchObject({ channel: 'tenant.{id}.events', pointers: [{ pointer: 'payload/kind' }] })
  })

  it('reports uncovered subjects, non-JSON and invalid UTF-8 payloads, and expectations never seen', () => {
    const o = new Observer(observed)
    expect(o.handle(msg('pdf.unknown', encode(good)))).toBe('uncovered')
    expect(o.handle(msg('pdf.requested', new Uint8Array([0xff, 0xfe, 0x00])))).toBe('not-json')
    expect(o.handle(msg('pdf.requested', encode(good).subarray(1)))).toBe('not-json')
    expect(o.handle(msg('$JS.API.INFO', encode({})))).toBe('ignored')
    const r = o.report()
    expect(r.uncovered).toEqual([{ subject: 'pdf.unknown', count: 1 }])
    expect(r.notJson).toMatchObject([{ subject: 'pdf.requested', count: 2 }])
    expect(r.notJson[0]!.preview).toMatch(/^not UTF-8/)
    expect(r.unseen.map((u) => u.expectation).sort()).toEqual([
      'a cancellation',
      'a render request',
      'a tenant event',
      'any request with a job id',
    ])
  })

  it('keeps memory bounded: examples, pointers and uncovered subjects are capped, counts stay exact', () => {
    const o = new Observer(observed, { maxExamples: 2, maxSubjects: 3, maxPointers: 1 })
    for (let i = 0; i < 1000; i++) {
      o.handle(msg('pdf.requested', encode({ items: [{ qty: 0 }] })))
      o.handle(msg(`other.${i}`, encode({})))
    }
    const r = o.report()
    const worker = r.mismatches.find((m) => m.consumer === 'pdf-worker')!
    expect(worker).toMatchObject({ rejected: 1000 })
    expect(worker.examples).toHaveLength(2)
    expect(worker.pointers).toHaveLength(1)
    expect(r.uncovered).toHaveLength(3)
    expect(r.uncoveredOther).toBe(997)
    expect(r.messages).toBe(2000)
  })

  it('truncates the preview of a huge payload', () => {
    const o = new Observer(observed, { previewChars: 100 })
    o.handle(msg('pdf.requested', encode({ jobId: 'x'.repeat(5_000_000), items: [{}] })))
    expect(o.report().mismatches[0]!.examples[0]!.preview.length).toBeLessThan(200)
  })

  it('samples: skipped messages are counted, not checked', () => {
    let n = 0
    const o = new Observer(observed, { sample: 0.5, random: () => (n++ % 2 === 0 ? 0.1 : 0.9) })
    for (let i = 0; i < 10; i++) o.handle(msg('pdf.requested', encode(good)))
    expect(o.report()).toMatchObject({ messages: 5, skipped: 5 })
  })

  it('keeps counts of pairs still deployed when contracts are replaced', () => {
    const o = new Observer(observed)
    o.handle(msg('pdf.requested', encode(bad)))
    o.replaceContracts([observed[0]!])
    o.handle(msg('pdf.requested', encode(bad)))
    const r = o.report()
    expect(r.mismatches.map((m) => [m.consumer, m.rejected])).toEqual([['pdf-worker', 2]])
    expect(r.channels.find((c) => c.channel === 'pdf.requested')!.messages).toBe(2)
  })
})
