import type { Selector } from '@treaty/core'
import { CliError } from '../exit-codes.js'

/** What a provider verifies by default: its consumers' main branches and what is deployed. */
export const DEFAULT_SELECTORS: Selector[] = [{ mainBranch: true }, { deployed: true }]

const HINT =
  'use mainBranch, matchingBranch, latest, latest=<consumer>, deployed, deployed=<env>, branch=<name>, consumer=<name>@<version>, or JSON'

/**
 * `--selector` values: a shorthand (`mainBranch`, `deployed=production`, `branch=feat-x`,
 * `consumer=pdf-worker@1.4.0`, `latest`, `latest=pdf-worker`, `matchingBranch`) or the JSON object itself.
 */
export function parseSelector(text: string): Selector {
  const t = text.trim()
  if (t.startsWith('{')) {
    try {
      return JSON.parse(t) as Selector
    } catch {
      throw new CliError(`--selector ${text}: not valid JSON`, HINT)
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
      if (value) return { branch: value }
      break
    case 'consumer': {
      const at = value?.lastIndexOf('@') ?? -1
      if (value && at > 0) return { consumer: value.slice(0, at), version: value.slice(at + 1) }
      break
    }
  }
  throw new CliError(`--selector ${text} is not a selector`, HINT)
}
