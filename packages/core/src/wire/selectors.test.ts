import { describe, expect, it } from 'vitest'
import { DEFAULT_SELECTORS, readSelectors, selectorFromText } from './selectors.js'

describe('readSelectors', () => {
  it('tags the defaults: main branches and what is deployed', () => {
    expect(readSelectors(DEFAULT_SELECTORS, undefined)).toEqual({ selectors: [{ kind: 'mainBranch' }, { kind: 'deployed' }] })
  })

  it('names the first refused selector and the field to fix, under the request’s prefix', () => {
    expect(readSelectors([{ mainBranch: true }, { branch: 'main', latest: true }], undefined, 'body.')).toEqual({
      problem: { message: 'body.selectors[1]: combines branch and latest; use one selector for each', path: 'body.selectors[1]' },
    })
    expect(readSelectors([{ matchingBranch: true }], undefined, 'body.')).toMatchObject({ problem: { path: 'body.providerBranch' } })
  })
})

describe('selectorFromText', () => {
  it('reads every shorthand and the JSON form', () => {
    expect(
      ['mainBranch', 'matchingBranch', 'deployed', 'deployed=production', 'latest', 'latest=pdf-worker', 'branch=feat/x'].map(
        selectorFromText,
      ),
    ).toEqual([
      { mainBranch: true },
      { matchingBranch: true },
      { deployed: true },
      { deployed: true, environment: 'production' },
      { latest: true },
      { latest: true, consumer: 'pdf-worker' },
      { branch: 'feat/x' },
    ])
    expect(selectorFromText('consumer=pdf-worker@1.4.0+build.7')).toEqual({ consumer: 'pdf-worker', version: '1.4.0+build.7' })
    expect(selectorFromText(' {"deployed":true,"consumer":"pdf-worker"} ')).toEqual({ deployed: true, consumer: 'pdf-worker' })
  })

  it('reads nothing from an unknown key, a key missing its value, or broken JSON', () => {
    expect(['main', 'branch', 'branch=', 'consumer=pdf-worker', 'consumer=@1.0', '{"deployed":'].map(selectorFromText)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })
})
