import { describe, expect, it } from 'vitest'
import { consumerVersionLabel, formatDuration, parseDuration } from './stream-safety.js'

describe('durations, as treaty channel set takes them and reasons print them', () => {
  it('parses whole and fractional units, and rejects anything else', () => {
    expect(parseDuration('7d')).toBe(7 * 86_400_000)
    expect(parseDuration('36h')).toBe(36 * 3_600_000)
    expect(parseDuration('1.5h')).toBe(5_400_000)
    expect(parseDuration('500ms')).toBe(500)
    expect(parseDuration('2w')).toBe(14 * 86_400_000)
    for (const bad of ['7', 'soon', '-1d', '0d', 'd', '7 days']) expect(parseDuration(bad)).toBeUndefined()
  })

  it('prints the largest whole unit, and rounds what has none', () => {
    expect(formatDuration(7 * 86_400_000)).toBe('7d')
    expect(formatDuration(36 * 3_600_000)).toBe('36h')
    expect(formatDuration(90 * 60_000)).toBe('90m')
    expect(formatDuration(2 * 86_400_000 + 1)).toBe('2d')
    expect(formatDuration(1_500)).toBe('2s')
  })
})

describe('consumerVersionLabel', () => {
  it('names where a version runs, or that it is a main-branch head', () => {
    expect(consumerVersionLabel({ consumer: 'w', version: '1', environments: ['production', 'staging'], mainBranch: true })).toBe(
      'w 1 (production, staging)',
    )
    expect(consumerVersionLabel({ consumer: 'w', version: '2', environments: [], mainBranch: true })).toBe('w 2 (main branch)')
  })
})
