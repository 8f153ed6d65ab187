/**
 * Client calls of stream-aware deployment safety (impact, field usage, channel retention) and the helpers
 * reports use. The wire shapes live in wire/ (channels.ts, provider-schemas.ts).
 */
import type {
  ChannelRetention,
  ChannelRetentionRequest,
  ConsumerVersionRef,
  FieldUsageReport,
  ImpactReport,
  ImpactRequest,
} from '../wire/index.js'
import type { BrokerClient } from './broker-client.js'

/** `pdf-worker 1.4.0 (production)`, `pdf-worker 1.6.0 (main branch)`: how reports name a consumer version. */
export function consumerVersionLabel(r: ConsumerVersionRef): string {
  const where = r.environments.length > 0 ? r.environments.join(', ') : r.mainBranch ? 'main branch' : 'not deployed'
  return `${r.consumer} ${r.version} (${where})`
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** `7d`, `36h`, `90m`, `30s`, `500ms`, `2w` → milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim())
  if (!m) return undefined
  const ms = Math.round(Number(m[1]) * UNIT_MS[m[2]!]!)
  return ms > 0 ? ms : undefined
}

/** Milliseconds → the largest whole unit that reads well: `7d`, `36h`, `90m`. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', UNIT_MS.d!],
    ['h', UNIT_MS.h!],
    ['m', UNIT_MS.m!],
    ['s', UNIT_MS.s!],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`
  }
  if (ms >= UNIT_MS.d! * 2) return `${Math.round(ms / UNIT_MS.d!)}d`
  if (ms >= UNIT_MS.h! * 2) return `${Math.round(ms / UNIT_MS.h!)}h`
  if (ms >= UNIT_MS.m! * 2) return `${Math.round(ms / UNIT_MS.m!)}m`
  return `${Math.round(ms / 1000)}s`
}

export function impact(client: BrokerClient, provider: string, body: ImpactRequest): Promise<ImpactReport> {
  return client.request('POST', `/api/providers/${encodeURIComponent(provider)}/impact`, body)
}

export function putChannelRetention(client: BrokerClient, channel: string, body: ChannelRetentionRequest): Promise<ChannelRetention> {
  return client.request('PUT', `/api/channels/${encodeURIComponent(channel)}/retention`, body)
}

export function getChannelRetention(client: BrokerClient, channel: string): Promise<ChannelRetention> {
  return client.request('GET', `/api/channels/${encodeURIComponent(channel)}/retention`)
}

export function fieldUsage(client: BrokerClient, channel: string): Promise<FieldUsageReport> {
  return client.request('GET', `/api/channels/${encodeURIComponent(channel)}/field-usage`)
}
