/**
 * Channels in contracts are dot-separated subjects (`pdf.requested`, `tenant.{id}.events`), possibly with NATS
 * wildcards (`*` one token, `>` the rest). Here they become subscription patterns for each transport (NATS
 * subjects, AMQP topic routing keys) and matchers for the subjects actually seen.
 *
 * A token that is exactly `{param}` stands for one whole token; a token with a parameter inside
 * (`job-{id}`) is subscribed as `*` and matched by a pattern on that token.
 */

export interface ChannelMatcher {
  channel: string
  /** The channel has no wildcard and no parameter: it matches only itself (a map lookup). */
  literal: boolean
  /** NATS subject to subscribe to. */
  nats: string
  /** AMQP topic-exchange binding key. */
  amqp: string
  matches(subject: string): boolean
}

const PARAM = /\{[^{}]+\}/g

type TokenTest = { kind: 'any' } | { kind: 'rest' } | { kind: 'equal'; value: string } | { kind: 'pattern'; re: RegExp }

function tokenTest(token: string, last: boolean): TokenTest {
  if (token === '*' || /^\{[^{}]+\}$/.test(token)) return { kind: 'any' }
  if (token === '>' && last) return { kind: 'rest' }
  if (!PARAM.test(token)) return { kind: 'equal', value: token }
  PARAM.lastIndex = 0
  const parts = token.split(PARAM).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return { kind: 'pattern', re: new RegExp(`^${parts.join('.+')}$`) }
}

export function channelMatcher(channel: string): ChannelMatcher {
  const tokens = channel.split('.')
  const tests = tokens.map((t, i) => tokenTest(t, i === tokens.length - 1))
  const literal = tests.every((t) => t.kind === 'equal')
  const nats = tests.map((t, i) => (t.kind === 'equal' ? t.value : t.kind === 'rest' ? '>' : tokens[i] === '>' ? '>' : '*')).join('.')
  const amqp = nats
    .split('.')
    .map((t) => (t === '>' ? '#' : t))
    .join('.')
  const matches = literal
    ? (subject: string) => subject === channel
    : (subject: string) => {
        const parts = subject.split('.')
        for (let i = 0; i < tests.length; i++) {
          const t = tests[i]!
          if (t.kind === 'rest') return parts.length > i
          const part = parts[i]
          if (part === undefined || part === '') return false
          if (t.kind === 'equal' && part !== t.value) return false
          if (t.kind === 'pattern' && !t.re.test(part)) return false
        }
        return parts.length === tests.length
      }
  return { channel, literal, nats, amqp, matches }
}

/**
 * Subscription patterns without overlaps: two NATS subscriptions on one connection that both match a
 * subject deliver it twice, and the observer would count it twice. A pattern another one covers is dropped.
 */
export function coveringPatterns(patterns: readonly string[], kind: 'nats' | 'amqp'): string[] {
  const distinct = [...new Set(patterns)]
  return distinct.filter((p) => !distinct.some((q) => q !== p && covers(q, p, kind)))
}

/** True when every subject `inner` matches is matched by `outer`. */
export function covers(outer: string, inner: string, kind: 'nats' | 'amqp'): boolean {
  const one = '*'
  const rest = kind === 'nats' ? '>' : '#'
  const o = outer.split('.')
  const n = inner.split('.')
  for (let i = 0; i < o.length; i++) {
    const ot = o[i]!
    if (ot === rest) return i < n.length || kind === 'amqp'
    const it = n[i]
    if (it === undefined) return false
    if (it === rest) return false
    if (ot === one) continue
    if (ot !== it) return false
  }
  return o.length === n.length
}

/** Subjects that are the transport's own plumbing (JetStream API, request inboxes), never application traffic. */
export function isSystemSubject(subject: string): boolean {
  return subject.startsWith('$') || subject.startsWith('_INBOX.') || subject.startsWith('_R_.')
}

/**
 * Why `pattern` cannot be subscribed to, or undefined when it can: every token non-empty and without spaces,
 * wildcards only as whole tokens, the rest-wildcard only last. NATS answers such a subscription with an
 * asynchronous error while the observer would wait on, seeing nothing, until stopped.
 */
export function subjectPatternProblem(pattern: string, kind: 'nats' | 'amqp'): string | undefined {
  const rest = kind === 'nats' ? '>' : '#'
  const tokens = pattern.split('.')
  for (const [i, token] of tokens.entries()) {
    if (token === '') return 'a token is empty'
    if (/\s/.test(token)) return 'a token contains a space'
    if (token === rest && i < tokens.length - 1) return `${rest} stands only at the end`
    if (token !== '*' && token !== rest && /[*>#]/.test(token)) return 'a wildcard stands for a whole token'
  }
  return undefined
}
