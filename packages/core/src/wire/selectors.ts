/**
 * Consumer version selectors: which consumer versions' contracts a provider must verify. One definition for
 * the request schema, the type a client sends, the tagged form the broker decides with, the defaults, and the
 * CLI's shorthand.
 */

import type { Sent } from './derive.js'
import { branchSchema, environmentNameSchema, serviceNameSchema, versionSchema } from './names.js'

export const selectorSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'One of: { mainBranch: true }, { branch }, { matchingBranch: true }, { deployed: true, environment? }, { latest: true }, ' +
    '{ consumer, version }; consumer narrows any of them to one consumer',
  properties: {
    mainBranch: { type: 'boolean' },
    branch: branchSchema,
    matchingBranch: { type: 'boolean' },
    deployed: { type: 'boolean' },
    environment: environmentNameSchema,
    latest: { type: 'boolean' },
    consumer: serviceNameSchema,
    version: versionSchema,
  },
} as const

/** A selector as a request carries it (`{ mainBranch: true }`); `readSelectors` checks the combination. */
export type Selector = Sent<typeof selectorSchema>

/** A selector whose combination was checked: the form the broker's decisions switch on. */
export type ParsedSelector =
  | { kind: 'mainBranch'; consumer?: string }
  | { kind: 'branch'; branch: string; consumer?: string }
  | { kind: 'matchingBranch'; consumer?: string }
  | { kind: 'deployed'; environment?: string; consumer?: string }
  | { kind: 'latest'; consumer?: string }
  | { kind: 'version'; consumer: string; version: string }

/** What a provider verifies when it names no selectors: its consumers' main branches, and what is deployed. */
export const DEFAULT_SELECTORS: readonly Selector[] = [{ mainBranch: true }, { deployed: true }]

/** Why a selector was refused: a sentence naming it, and the field to fix (`body.selectors[1].consumer`). */
export interface SelectorProblem {
  message: string
  path: string
}

const KINDS = ['mainBranch', 'branch', 'matchingBranch', 'deployed', 'latest', 'version'] as const

/**
 * Turns selectors into tagged ones, refusing what would silently select nothing or something surprising.
 * `prefix` is where the request keeps them (`body.`), for the problem's path.
 */
export function readSelectors(
  raw: readonly Selector[],
  providerBranch: string | undefined,
  prefix = '',
): { selectors: ParsedSelector[] } | { problem: SelectorProblem } {
  const selectors: ParsedSelector[] = []
  for (const [i, s] of raw.entries()) {
    const read = readSelector(s, `${prefix}selectors[${i}]`, providerBranch, `${prefix}providerBranch`)
    if ('problem' in read) return read
    selectors.push(read.selector)
  }
  return { selectors }
}

function readSelector(
  s: Selector,
  at: string,
  providerBranch: string | undefined,
  providerBranchPath: string,
): { selector: ParsedSelector } | { problem: SelectorProblem } {
  const invalid = (message: string, path = at) => ({ problem: { message: `${at}: ${message}`, path } })
  const ok = (selector: ParsedSelector) => ({ selector })
  for (const flag of ['mainBranch', 'matchingBranch', 'deployed', 'latest'] as const) {
    if (s[flag] === false) return invalid(`${flag}: false selects nothing; remove the key or the selector`, `${at}.${flag}`)
  }
  const kinds = KINDS.filter((k) => s[k] !== undefined)
  if (kinds.length > 1) return invalid(`combines ${kinds.join(' and ')}; use one selector for each`)
  const kind = kinds[0]
  if (s.environment !== undefined && kind !== 'deployed') {
    return invalid('environment only applies to deployed versions: add deployed: true', `${at}.environment`)
  }
  const consumer = s.consumer === undefined ? {} : { consumer: s.consumer }
  switch (kind) {
    case 'mainBranch':
      return ok({ kind, ...consumer })
    case 'branch':
      return ok({ kind, branch: s.branch!, ...consumer })
    case 'matchingBranch':
      if (providerBranch === undefined) {
        return invalid('matchingBranch needs the provider branch: add providerBranch to the request', providerBranchPath)
      }
      return ok({ kind, ...consumer })
    case 'deployed':
      return ok({ kind, ...(s.environment === undefined ? {} : { environment: s.environment }), ...consumer })
    case 'latest':
      return ok({ kind, ...consumer })
    case 'version':
      if (s.consumer === undefined) return invalid('a version needs its consumer: add consumer', `${at}.consumer`)
      return ok({ kind, consumer: s.consumer, version: s.version! })
    default:
      return invalid(
        s.consumer === undefined
          ? 'selects nothing: use mainBranch, branch, matchingBranch, deployed, latest, or consumer with version'
          : 'names a consumer but not which of its versions: add latest: true, version, branch, mainBranch or deployed',
      )
  }
}

/** The shorthands `selectorFromText` reads, for a hint. */
export const SELECTOR_SHORTHANDS =
  'mainBranch, matchingBranch, latest, latest=<consumer>, deployed, deployed=<env>, branch=<name>, consumer=<name>@<version>, or JSON'

/**
 * A selector from a shorthand (`mainBranch`, `deployed=production`, `branch=feat-x`, `consumer=pdf-worker@1.4.0`,
 * `latest`, `latest=pdf-worker`, `matchingBranch`) or the JSON object itself; undefined when it is neither.
 * The broker still checks the combination (`readSelectors`).
 */
export function selectorFromText(text: string): Selector | undefined {
  const t = text.trim()
  if (t.startsWith('{')) {
    try {
      return JSON.parse(t) as Selector
    } catch {
      return undefined
    }
  }
  const [key, value] = t.split(/=(.*)/s, 2) as [string, string | undefined]
  switch (key) {
    case 'mainBranch':
      return { mainBranch: true }
    case 'matchingBranch':
      return { matchingBranch: true }
    case 'deployed':
      return value ? { deployed: true, environment: value } : { deployed: true }
    case 'latest':
      return value ? { latest: true, consumer: value } : { latest: true }
    case 'branch':
      return value ? { branch: value } : undefined
    case 'consumer': {
      const at = value?.lastIndexOf('@') ?? -1
      return value && at > 0 ? { consumer: value.slice(0, at), version: value.slice(at + 1) } : undefined
    }
  }
  return undefined
}
