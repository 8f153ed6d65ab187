import { SELECTOR_SHORTHANDS, type Selector, selectorFromText } from '@treaty/core/wire'
import { CliError } from '../exit-codes.js'

/**
 * `--selector` values: a shorthand (`mainBranch`, `deployed=production`, `branch=feat-x`,
 * `consumer=pdf-worker@1.4.0`, `latest`, `latest=pdf-worker`, `matchingBranch`) or the JSON object itself
 * (@treaty/core/wire reads both; the broker checks the combination).
 */
export function parseSelector(text: string): Selector {
  const selector = selectorFromText(text)
  if (selector !== undefined) return selector
  const message = text.trim().startsWith('{') ? `--selector ${text}: not valid JSON` : `--selector ${text} is not a selector`
  throw new CliError(message, `use ${SELECTOR_SHORTHANDS}`)
}
