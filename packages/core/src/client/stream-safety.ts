/**
 * Wire shapes of stream-aware deployment safety (impact, field usage, channel retention), defined once for
 * the broker's routes and domain, the CLI and tests, with the client calls that use them.
 */
import type { JsonSchema } from '../json/types.js'
import type { BrokerClient } from './broker-client.js'

/**
 * How a channel keeps messages. `limits`: until max age / max messages (what can be replayed later);
 * `workqueue` and `interest`: a message leaves once acknowledged; `none`: not kept (core NATS).
 */
export type RetentionPolicy = 'limits' | 'workqueue' | 'interest' | 'none'

export const RETENTION_POLICIES: readonly RetentionPolicy[] = ['limits', 'workqueue', 'interest', 'none']

/** What the broker knows of one channel's retention: declared by a team or read from a JetStream stream. */
export interface ChannelRetention {
  /** A channel, or a NATS subject pattern (`pdf.>`, `tenant.*.events`) as a stream lists it. */
  channel: string
  policy: RetentionPolicy
  /** How long a message is kept, in milliseconds; null: no age limit. */
  maxAgeMs: number | null
  /** How many messages are kept; null: no count limit. */
  maxMessages: number | null
  /** Where messages that could not be handled go (and may be replayed from). */
  deadLetter: string | null
  /** The JetStream stream the channel belongs to, when read from one. */
  stream: string | null
  source: 'declared' | 'jetstream'
  updatedAt?: string
}

export type ChannelRetentionRequest = Omit<ChannelRetention, 'channel' | 'updatedAt'>

/** A consumer version an impact finding or a field-usage entry is about. */
export interface ConsumerVersionRef {
  consumer: string
  version: string
  /** Environments it is deployed in now. */
  environments: string[]
  /** True when it is the latest version from the consumer's main branch. */
  mainBranch: boolean
}

/** One root cause: one field the change touches, and every consumer version it breaks. */
export interface ImpactFinding {
  channel: string
  part: 'payload' | 'headers'
  /** JSON pointer into the message (`*` is any array item). */
  pointer: string
  /** The compatibility engine's kind (`REQUIRED_PROPERTY_ADDED`, …) or `NO_PRODUCER`. */
  kind: string
  /** What the change does to the field, in a few words (`removes or makes optional`). */
  change: string
  message: string
  /** The finding in one sentence: `removes or makes optional payload/items/*\/qty on pdf.requested: breaks …`. */
  summary: string
  breaks: ConsumerVersionRef[]
  /** Consumers with a contract on the channel that never read this field. */
  unaffected: string[]
  /** Whether a consumer version deployed in an environment (not only on a main branch) breaks. */
  breaksDeployed: boolean
}

/** One field a consumer version reads on a channel, and what it requires of it. */
export interface FieldUsage {
  channel: string
  part: 'payload' | 'headers'
  pointer: string
  /** `required string (uuid)`, `optional integer >= 1`, …: the consumer's constraint in short. */
  constraint: string
  consumer: string
  version: string
  environments: string[]
}

/** What replaying one contract content against the changed producers found (`treaty impact --producers` by replay). */
export interface ImpactReplayResult {
  contentHash: string
  /** Root causes, per expectation (by description) and part; empty when every expectation passed. */
  differences: { expectation: string; part: 'payload' | 'headers'; pointer: string; kind: string; message: string }[]
}

export interface ImpactRequest {
  /**
   * What the provider would send after the change, exactly one of: `producers` (a provider schema), `version`
   * (the provider schema that version published), or `replay` (the changed producers run against every content).
   */
  producers?: { key: string; channel?: string; payload: JsonSchema; headers: JsonSchema }[]
  version?: string
  replay?: ImpactReplayResult[]
  /** Only consumer versions deployed in these environments (and main branches) count; default all. */
  environments?: string[]
}

export interface ImpactReport {
  provider: string
  /** True when a consumer version deployed in an environment breaks: what `treaty impact` exits 1 on. */
  breaksDeployed: boolean
  findings: ImpactFinding[]
  /** Every consumer version considered, so a report can say who is safe. */
  consumers: ConsumerVersionRef[]
  /** The fields consumers read on the provider's channels. */
  usage: FieldUsage[]
}

export interface FieldUsageReport {
  channel: string
  usage: FieldUsage[]
}

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
