import { describe, expect, it } from 'vitest'
import { observeVerdict } from './observe.js'

const channel = (accepted: number, rejected = 0) => ({
  channel: 'pdf.requested',
  provider: 'pdf-api',
  messages: accepted + rejected,
  accepted,
  rejected,
  notJson: 0,
})
const finding = { consumer: 'pdf-worker', consumerVersion: '1.0.0', channel: 'pdf.requested' } as never

describe('observeVerdict (treaty observe --fail-on-mismatch)', () => {
  it('is clean only when covered messages were checked and all were accepted', () => {
    expect(observeVerdict({ channels: [channel(3)], mismatches: [], notJson: [] })).toBe('clean')
  })

  it('says nothing was checked when no covered message arrived in the window', () => {
    expect(observeVerdict({ channels: [], mismatches: [], notJson: [] })).toBe('nothing-checked')
    expect(observeVerdict({ channels: [channel(0)], mismatches: [], notJson: [] })).toBe('nothing-checked')
  })

  it('is rejected on a mismatch or a payload that is not JSON', () => {
    expect(observeVerdict({ channels: [channel(2, 1)], mismatches: [finding], notJson: [] })).toBe('rejected')
    expect(
      observeVerdict({ channels: [channel(2)], mismatches: [], notJson: [{ subject: 'pdf.requested', count: 1, preview: 'x' }] }),
    ).toBe('rejected')
  })
})
