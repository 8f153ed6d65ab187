import { describe, expect, it } from 'vitest'
import { channelMatcher, coveringPatterns, covers, isSystemSubject, subjectPatternProblem } from './channels.js'

describe('channelMatcher', () => {
  it('matches a literal channel only to itself', () => {
    const m = channelMatcher('pdf.requested')
    expect(m.literal).toBe(true)
    expect([m.matches('pdf.requested'), m.matches('pdf.requested.x'), m.matches('pdf')]).toEqual([true, false, false])
  })

  it('turns a {param} token into one-token wildcards for NATS and AMQP', () => {
    const m = channelMatcher('tenant.{id}.events')
    expect(m).toMatchObject({ literal: false, nats: 'tenant.*.events', amqp: 'tenant.*.events' })
    expect([m.matches('tenant.42.events'), m.matches('tenant.events'), m.matches('tenant.4.2.events')]).toEqual([true, false, false])
  })

  it('matches a parameter inside a token by pattern', () => {
    const m = channelMatcher('jobs.job-{id}.done')
    expect(m.nats).toBe('jobs.*.done')
    expect([m.matches('jobs.job-7.done'), m.matches('jobs.task-7.done'), m.matches('jobs.job-.done')]).toEqual([true, false, false])
  })

  it('keeps NATS wildcards, with > as # for AMQP', () => {
    const m = channelMatcher('audit.*.>')
    expect(m).toMatchObject({ nats: 'audit.*.>', amqp: 'audit.*.#' })
    expect([m.matches('audit.a.b'), m.matches('audit.a.b.c'), m.matches('audit.a')]).toEqual([true, true, false])
  })
})

describe('coveringPatterns', () => {
  it('drops patterns another one covers, so no message is delivered twice', () => {
    expect(coveringPatterns(['pdf.requested', 'pdf.*', 'tenant.*.events', 'pdf.requested'], 'nats')).toEqual(['pdf.*', 'tenant.*.events'])
    expect(coveringPatterns(['pdf.>', 'pdf.a.b', 'other'], 'nats')).toEqual(['pdf.>', 'other'])
    expect(coveringPatterns(['pdf.#', 'pdf'], 'amqp')).toEqual(['pdf.#'])
  })

  it('knows > needs at least one more token in NATS', () => {
    expect(covers('pdf.>', 'pdf', 'nats')).toBe(false)
    expect(covers('pdf.*', 'pdf.>', 'nats')).toBe(false)
  })
})

it('recognises the transport plumbing subjects', () => {
  expect([isSystemSubject('$JS.API.INFO'), isSystemSubject('_INBOX.x'), isSystemSubject('pdf.requested')]).toEqual([true, true, false])
})

describe('subjectPatternProblem', () => {
  it('accepts subjects and wildcards as whole tokens, the rest-wildcard last', () => {
    expect(['pdf.>', 'tenant.*.events', 'pdf.requested'].map((s) => subjectPatternProblem(s, 'nats'))).toEqual([
      undefined,
      undefined,
      undefined,
    ])
    expect(subjectPatternProblem('pdf.#', 'amqp')).toBeUndefined()
  })

  it('names what is wrong with an empty token, a space, a misplaced or partial wildcard', () => {
    expect(subjectPatternProblem('pdf.', 'nats')).toBe('a token is empty')
    expect(subjectPatternProblem('pdf requested', 'nats')).toBe('a token contains a space')
    expect(subjectPatternProblem('>.pdf', 'nats')).toBe('> stands only at the end')
    expect(subjectPatternProblem('pdf.req*', 'nats')).toBe('a wildcard stands for a whole token')
  })
})
