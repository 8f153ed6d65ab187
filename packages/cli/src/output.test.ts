import { describe, expect, it } from 'vitest'
import { junitXml, table } from './output.js'

describe('junitXml', () => {
  it('writes one testsuite per contract and one testcase per expectation, escaping text', () => {
    const xml = junitXml([
      { suite: 'pdf-worker → pdf-api', name: 'a <PDF> request', timeSeconds: 0.012 },
      {
        suite: 'pdf-worker → pdf-api',
        name: 'b',
        timeSeconds: 0.001,
        failure: 'payload /items/0/qty: expected integer >= 1, found 0\nmore',
      },
      { suite: 'billing → pdf-api', name: 'c', timeSeconds: 0, skipped: 'pending' },
    ])
    expect(xml).toContain('<testsuites name="treaty" tests="3" failures="1">')
    expect(xml).toContain('<testsuite name="pdf-worker → pdf-api" tests="2" failures="1" skipped="0" time="0.013">')
    expect(xml).toContain('<testcase classname="pdf-worker → pdf-api" name="a &lt;PDF&gt; request" time="0.012"/>')
    expect(xml).toContain('<failure message="payload /items/0/qty: expected integer &gt;= 1, found 0">')
    expect(xml).toContain('<skipped message="pending"/>')
  })
})

describe('table', () => {
  it('pads columns to the widest cell', () => {
    expect(
      table([
        ['a', 'bb', 'c'],
        ['ddd', 'e', 'f'],
      ]),
    ).toEqual(['a    bb  c', 'ddd  e   f'])
  })
})
