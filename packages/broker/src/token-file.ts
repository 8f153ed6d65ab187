/**
 * Named and service-scoped tokens, from a file (`--tokens-file` / `TREATY_TOKENS_FILE`) or inline
 * (`TREATY_TOKENS`), in YAML or JSON (YAML 1.2 reads both):
 *
 *   tokens:
 *     - name: pdf-worker-ci          # shown in refusals and logs, never the token itself
 *       token: 3f0c…                 # at least 16 characters, no whitespace, unique
 *       services: [pdf-worker]       # may act only for these services (level write)
 *     - name: dashboards
 *       token: 9a1e…
 *       level: read
 *
 * No database migration: the file is read at start; a bad entry stops the broker with the field named.
 */
import { readFileSync } from 'node:fs'
import { isServiceName } from '@treaty/core'
import { parse } from 'yaml'
import type { AccessLevel, TokenEntry } from './auth.js'
import { BrokerError, BrokerErrorCodes } from './errors.js'

const LEVELS: readonly AccessLevel[] = ['read', 'write', 'admin']
const ENTRY_FIELDS = ['name', 'token', 'level', 'services']
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._ @/:-]{0,99}$/

function invalid(message: string): BrokerError {
  return new BrokerError(BrokerErrorCodes.CONFIG_INVALID, message)
}

/** Reads the tokens file; `source` names it in errors (`TREATY_TOKENS_FILE /etc/treaty/tokens.yaml`). */
export function readTokenFile(path: string, source: string): TokenEntry[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw invalid(`${source}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  return parseTokenEntries(text, source)
}

/** Parses and checks the entries' shape; token hygiene across every token is `assertTokenHygiene`'s. */
export function parseTokenEntries(text: string, source: string): TokenEntry[] {
  let value: unknown
  try {
    value = parse(text)
  } catch (err) {
    // The parser's message quotes the offending line, which may hold a token: give the position only.
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0]
    throw invalid(`${source}: not valid YAML or JSON${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}`)
  }
  const list = (value as { tokens?: unknown } | null)?.tokens
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Array.isArray(list)) {
    throw invalid(`${source}: expected an object with a "tokens" list ({ tokens: [{ name, token, level?, services? }] })`)
  }
  const unknown = Object.keys(value).find((k) => k !== 'tokens')
  if (unknown !== undefined) throw invalid(`${source}: ${JSON.stringify(unknown)} is not a known field; the file holds "tokens"`)
  const names = new Set<string>()
  return list.map((raw, i): TokenEntry => {
    const at = `${source} tokens[${i}]`
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw invalid(`${at}: expected an object { name, token, level?, services? }`)
    const entry = raw as Record<string, unknown>
    const extra = Object.keys(entry).find((k) => !ENTRY_FIELDS.includes(k))
    if (extra !== undefined) throw invalid(`${at}.${extra} is not a known field (${ENTRY_FIELDS.join(', ')})`)
    const { name, token, level = 'write', services } = entry
    if (typeof name !== 'string' || !NAME_RE.test(name)) {
      throw invalid(`${at}.name must be a label of 1-100 letters, digits, spaces or ._@/:- (it names the token in refusals and logs)`)
    }
    if (names.has(name)) throw invalid(`${at}.name ${JSON.stringify(name)} is used twice; give each token its own name`)
    names.add(name)
    if (typeof token !== 'string') throw invalid(`${at}.token must be a string`)
    if (typeof level !== 'string' || !(LEVELS as readonly string[]).includes(level)) {
      throw invalid(`${at}.level must be one of ${LEVELS.join(', ')} (default write)`)
    }
    if (services === undefined) return { name, token, level: level as AccessLevel, source: at }
    if (level !== 'write') {
      throw invalid(
        `${at}.services: only a write token is limited to services (reads are not scoped; an admin token acts for every service)`,
      )
    }
    if (!Array.isArray(services) || services.length === 0) throw invalid(`${at}.services must be a non-empty list of service names`)
    services.forEach((s, j) => {
      if (!isServiceName(s)) throw invalid(`${at}.services[${j}] ${JSON.stringify(s)} is not a valid service name`)
    })
    return { name, token, level: 'write', services: [...new Set(services as string[])], source: at }
  })
}
