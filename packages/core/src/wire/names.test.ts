import { describe, expect, it } from 'vitest'
import { isBranch, isServiceName, isVersion } from './names.js'

describe('names', () => {
  it('accepts ordinary service names, versions and branches', () => {
    expect(['pdf-worker', 'pdf_api.v2', 'a', 'A1'].every(isServiceName)).toBe(true)
    expect(['1.4.0', '1.4.0-rc.1+build.7', '3f2a9c1', '2026.01.02'].every(isVersion)).toBe(true)
    expect(['main', 'feature/pdf-retry', 'release/1.x', 'dependabot/npm/ajv-8.2'].every(isBranch)).toBe(true)
  })

  it('refuses path tricks, control characters, and oversize names', () => {
    const bad = ['..', 'a..b', '../etc', '/abs', '.hidden', '-flag', 'a b', 'a\nb', 'a\u0000b', 'a/b', '', 'x'.repeat(129)]
    expect(bad.filter(isServiceName)).toEqual([])
    expect(['1..0', '../1', '1.0\n', ' 1.0', 'v/1'].filter(isVersion)).toEqual([])
    expect(['feat//x', 'feat/', '/feat', 'feat/../main', 'a\tb', 'x'.repeat(256)].filter(isBranch)).toEqual([])
  })
})
