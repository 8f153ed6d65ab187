/**
 * `treaty impact`: what the provider would send after a change (from a provider-schema file, a published
 * provider version, its producers' TypeScript types, or by running its producers), asked of the broker against
 * every consumer expectation it holds. Rendering (human, Markdown for a pull request) is pure, below.
 *
 * By replay (`--producers` without `--static`), the producers run against every contract the broker holds for
 * the provider on a main branch or deployed (the verifier's own replay: `verifyContracts`), and what failed is
 * sent as root causes per field; the broker groups them across consumer versions as for a schema.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { type ContractResult, kindForRejectedKeyword, rootDifferences, verifyContracts } from '@treaty/core'
import {
  impact as askImpact,
  consumerVersionLabel,
  type ImpactReplayResult,
  type ImpactReport,
  type ImpactRequest,
} from '@treaty/core/client'
import { CliError } from '../exit-codes.js'
import { type BrokerConnection, brokerClient, required } from './broker-client.js'
import { DEFAULT_SELECTORS } from './selectors.js'

export interface ImpactOptions extends BrokerConnection {
  service?: string | undefined
  /** A provider-schema JSON file: `{ producers: [{ key, channel, payload, headers }] }`. */
  schema?: string | undefined
  /** A provider version that published its provider schema. */
  version?: string | undefined
  /** The producers module: run (replay), or read statically (`static: true`). */
  producers?: string | undefined
  /** The provider states module, for replay (default: the producers module's `states`). */
  states?: string | undefined
  static?: boolean | undefined
  tsconfig?: string | undefined
  environments?: readonly string[] | undefined
  cwd?: string | undefined
}

export async function impact(options: ImpactOptions): Promise<ImpactReport> {
  const provider = required(options.service, '--service', 'pass --service <provider>, set TREATY_SERVICE, or set service in treaty.config')
  const sources = [options.schema, options.version, options.producers].filter((s) => s !== undefined)
  if (sources.length !== 1) {
    throw new CliError(
      'say what the provider would send: exactly one of --schema, --app-version and --producers',
      'e.g. treaty impact --service pdf-api --schema provider-schema.json (or --producers src/producers.ts --static)',
    )
  }
  const cwd = options.cwd ?? process.cwd()
  const body: ImpactRequest = options.environments?.length ? { environments: [...options.environments] } : {}
  if (options.version !== undefined) body.version = options.version
  else if (options.schema !== undefined) body.producers = await readProviderSchema(resolve(cwd, options.schema))
  else if (options.static) body.producers = await producersFromTypes(resolve(cwd, options.producers!), options, cwd)
  else body.replay = await replay(provider, options, cwd)
  return askImpact(brokerClient(options), provider, body)
}

async function readProviderSchema(file: string): Promise<NonNullable<ImpactRequest['producers']>> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'))
  } catch (cause) {
    throw new CliError(`cannot read the provider schema ${file}: ${(cause as Error).message}`, 'pass --schema <file.json>', {
      cause,
    })
  }
  const producers = (parsed as { producers?: unknown } | null)?.producers
  if (!Array.isArray(producers)) {
    throw new CliError(
      `${file} is not a provider schema: it needs a "producers" array`,
      'the file is what POST /api/providers/<provider>/schemas takes: { "producers": [{ "key", "payload", "headers" }] }',
    )
  }
  return producers as NonNullable<ImpactRequest['producers']>
}

async function producersFromTypes(file: string, options: ImpactOptions, cwd: string): Promise<NonNullable<ImpactRequest['producers']>> {
  const { extractProducers } = await import('@treaty/core/analysis')
  const { producers } = extractProducers({
    producerFiles: [file],
    ...(options.tsconfig ? { tsconfig: resolve(cwd, options.tsconfig) } : { files: [file] }),
  })
  return producers.map((p) => ({ key: p.key, payload: p.payload, headers: p.headers }))
}

/** Runs the producers against every main-branch and deployed contract for `provider`, as `treaty verify` does. */
async function replay(provider: string, options: ImpactOptions, cwd: string): Promise<ImpactReplayResult[]> {
  const { contractsToVerify, providerSetup } = await import('./verify.js')
  // Always the broker's contracts (never a contracts directory from the config): impact is about who is out there.
  const setup = { ...options, contractsDir: undefined, producers: options.producers, states: options.states, selectors: DEFAULT_SELECTORS }
  const { producers, states } = await providerSetup(setup, cwd)
  const { contracts } = await contractsToVerify(provider, setup, cwd)
  if (contracts.length === 0) return []
  const report = await verifyContracts({ provider, contracts, producers, states })
  return report.contracts.map((c) => ({ contentHash: c.contentHash!, differences: replayDifferences(c) }))
}

/**
 * What one replayed contract's mismatches say about fields: a message pointer (`/items/0/qty`) becomes the
 * field (`/items/*\/qty`), and the same field across items and keywords is one root cause. A producer that failed proves nothing about any field.
 */
export function replayDifferences(result: ContractResult): ImpactReplayResult['differences'] {
  const out: ImpactReplayResult['differences'] = []
  for (const e of result.expectations) {
    for (const m of e.mismatches) {
      const base = { expectation: e.description, message: m.message }
      if (m.kind === 'schema') {
        // The pointer already names a missing or unexpected property (the engine puts it there).
        out.push({ ...base, part: m.part, pointer: fieldOf(m.pointer), kind: kindForRejectedKeyword(m.keyword) })
      } else if (m.kind === 'no-producer') {
        out.push({ ...base, part: 'payload', pointer: '', kind: 'NO_PRODUCER' })
      } else if (m.kind === 'not-json') {
        out.push({ ...base, part: m.part ?? 'payload', pointer: fieldOf(m.pointer ?? ''), kind: 'TYPE_NARROWED' })
      } else {
        out.push({ ...base, part: 'payload', pointer: '', kind: 'CANNOT_PROVE', message: `cannot prove: ${m.message}` })
      }
    }
  }
  return rootDifferences(out, { scope: (d) => `${d.expectation}\u0000${d.part}` })
}

/** Array indices become `*`, as fields are named in schemas and in the field-usage map. */
function fieldOf(pointer: string): string {
  return pointer.replace(/\/\d+(?=\/|$)/g, '/*')
}

/** The human report: a verdict line, then one line per finding. */
export function impactLines(report: ImpactReport): string[] {
  const lines: string[] = []
  if (report.findings.length === 0) {
    lines.push(
      `✓ no consumer of ${report.provider} reads anything this change breaks (${report.consumers.length} consumer versions checked)`,
    )
    return lines
  }
  const deployed = new Set(report.findings.flatMap((f) => f.breaks.filter((b) => b.environments.length > 0).map(consumerVersionLabel)))
  lines.push(
    report.breaksDeployed
      ? `✗ this change to ${report.provider} breaks ${deployed.size} deployed consumer ${deployed.size === 1 ? 'version' : 'versions'} (${plural(report.findings.length, 'finding')})`
      : `! this change to ${report.provider} breaks only consumer versions not yet deployed (${plural(report.findings.length, 'finding')})`,
  )
  for (const f of report.findings) lines.push(`  ${f.summary}`, `    ${f.message}`)
  return lines
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** A Markdown comment for a pull request: a verdict and a table a reviewer reads in ten seconds. */
export function impactMarkdown(report: ImpactReport): string {
  const out = [`### Treaty impact: \`${report.provider}\``, '']
  if (report.findings.length === 0) {
    out.push(`✅ No consumer reads anything this change breaks (${report.consumers.length} consumer versions checked).`)
    return out.join('\n')
  }
  out.push(
    report.breaksDeployed
      ? '❌ **Breaks consumer versions that are deployed.**'
      : '⚠️ Breaks only consumer versions that are not deployed yet (main branches).',
    '',
    '| Field | Channel | Change | Breaks | Never reads it |',
    '| --- | --- | --- | --- | --- |',
  )
  for (const f of report.findings) {
    const field = f.pointer === '' ? `whole ${f.part}` : `\`${cell(`${f.part}${f.pointer}`)}\``
    out.push(
      `| ${field} | \`${cell(f.channel)}\` | ${cell(f.change)} | ${cell(f.breaks.map(consumerVersionLabel).join(', '))} | ${cell(f.unaffected.join(', ') || '—')} |`,
    )
  }
  return out.join('\n')
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
