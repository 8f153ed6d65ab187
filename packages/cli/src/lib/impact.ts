/**
 * `treaty impact`: what the provider would send after a change (from a provider-schema file, a published
 * provider version, or its producers' TypeScript types), asked of the broker against every consumer
 * expectation it holds. Rendering (human, Markdown for a pull request) is pure, below.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { impact as askImpact, consumerVersionLabel, type ImpactReport, type ImpactRequest } from '@treaty/core/client'
import { CliError } from '../exit-codes.js'
import { type BrokerConnection, brokerClient, required } from './broker-client.js'

export interface ImpactOptions extends BrokerConnection {
  service?: string | undefined
  /** A provider-schema JSON file: `{ producers: [{ key, channel, payload, headers }] }`. */
  schema?: string | undefined
  /** A provider version that published its provider schema. */
  version?: string | undefined
  /** The producers module, read statically (`static: true`). */
  producers?: string | undefined
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
  else body.producers = await producersFromTypes(resolve(cwd, options.producers!), options, cwd)
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
  if (!options.static) {
    throw new CliError(
      '--producers needs --static: impact reads what the producers can send from their TypeScript types',
      'add --static, or pass --schema <provider-schema.json>',
    )
  }
  const { extractProducers } = await import('@treaty/core/analysis')
  const { producers } = extractProducers({
    producerFiles: [file],
    ...(options.tsconfig ? { tsconfig: resolve(cwd, options.tsconfig) } : { files: [file] }),
  })
  return producers.map((p) => ({ key: p.key, payload: p.payload, headers: p.headers }))
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
