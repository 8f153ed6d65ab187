/**
 * `treaty channel set|sync`: tell the broker how long each channel keeps messages, declared by hand or read
 * from JetStream stream configs, so can-i-deploy can check the versions whose messages are still there.
 * A change merges into what the broker already knows: `set --dead-letter` keeps a synced max age, and a
 * sync keeps a declared dead-letter channel.
 */

import { importOptional } from '@treaty/core'
import {
  type BrokerClient,
  type ChannelRetention,
  type ChannelRetentionRequest,
  formatDuration,
  getChannelRetention,
  isTreatyError,
  parseDuration,
  putChannelRetention,
  type RetentionPolicy,
} from '@treaty/core/client'
import { RETENTION_POLICIES } from '@treaty/core/wire'
import { CliError } from '../exit-codes.js'
import { cliManifest } from '../manifest.js'
import { type BrokerConnection, brokerClient } from './broker-client.js'

export interface ChannelSetOptions extends BrokerConnection {
  channel: string
  maxAge?: string | undefined
  maxMessages?: number | undefined
  policy?: string | undefined
  deadLetter?: string | undefined
  stream?: string | undefined
}

const DECLARED_DEFAULT: ChannelRetentionRequest = {
  policy: 'limits',
  maxAgeMs: null,
  maxMessages: null,
  deadLetter: null,
  stream: null,
  source: 'declared',
}

/** What the broker knows of `channel`, or undefined when nothing yet. */
async function known(client: BrokerClient, channel: string): Promise<ChannelRetention | undefined> {
  try {
    return await getChannelRetention(client, channel)
  } catch (err) {
    if (isTreatyError(err) && (err.details as { brokerCode?: string } | undefined)?.brokerCode === 'TREATY_BROKER_CHANNEL_NOT_FOUND')
      return undefined
    throw err
  }
}

function request(r: ChannelRetention): ChannelRetentionRequest {
  const { channel: _channel, updatedAt: _updatedAt, ...rest } = r
  return rest
}

/** Validates every option first, then merges it into what the broker knows. */
export async function setChannel(options: ChannelSetOptions): Promise<ChannelRetention> {
  const changes: Partial<ChannelRetentionRequest> = { source: 'declared' }
  if (options.maxAge !== undefined) {
    const ms = options.maxAge === 'none' ? null : parseDuration(options.maxAge)
    if (ms === undefined) {
      throw new CliError(`--max-age ${options.maxAge} is not a duration`, 'use e.g. --max-age 7d, 36h, 90m, or none for no age limit')
    }
    changes.maxAgeMs = ms
  }
  if (options.maxMessages !== undefined) {
    if (!Number.isSafeInteger(options.maxMessages) || options.maxMessages < 1) {
      throw new CliError(`--max-messages ${options.maxMessages} is not a positive whole number`, 'use e.g. --max-messages 100000')
    }
    changes.maxMessages = options.maxMessages
  }
  if (options.policy !== undefined) {
    if (!RETENTION_POLICIES.includes(options.policy as RetentionPolicy)) {
      throw new CliError(`--policy ${options.policy} is not a retention policy`, `use one of ${RETENTION_POLICIES.join(', ')}`)
    }
    changes.policy = options.policy as RetentionPolicy
  }
  if (options.deadLetter !== undefined) changes.deadLetter = options.deadLetter === 'none' ? null : options.deadLetter
  if (options.stream !== undefined) changes.stream = options.stream
  if (Object.keys(changes).length === 1) {
    throw new CliError(
      `nothing to set for ${options.channel}`,
      'pass --max-age, --max-messages, --policy, --dead-letter or --stream (treaty channel set --help)',
    )
  }
  const client = brokerClient(options)
  const current = await known(client, options.channel)
  return putChannelRetention(client, options.channel, { ...(current ? request(current) : DECLARED_DEFAULT), ...changes })
}

/** The part of a JetStream stream config that says how long its messages stay. */
export interface StreamRetention {
  name: string
  subjects: string[]
  retention: string
  /** Nanoseconds; 0 is no age limit. */
  max_age: number
  /** -1 is no count limit. */
  max_msgs: number
}

/** One retention entry per subject of the stream, as the broker stores it. */
export function fromStream(s: StreamRetention): { channel: string; retention: ChannelRetentionRequest }[] {
  const policy: RetentionPolicy = s.retention === 'workqueue' ? 'workqueue' : s.retention === 'interest' ? 'interest' : 'limits'
  return s.subjects.map((channel) => ({
    channel,
    retention: {
      policy,
      maxAgeMs: s.max_age > 0 ? Math.round(s.max_age / 1e6) : null,
      maxMessages: s.max_msgs > 0 ? s.max_msgs : null,
      deadLetter: null,
      stream: s.name,
      source: 'jetstream',
    },
  }))
}

/** Reads every stream's config from JetStream (nothing is written to NATS). */
export async function readStreams(servers: readonly string[]): Promise<StreamRetention[]> {
  // Optional peers: only `channel sync` talks to NATS, so a pipeline that never runs it does not install nats.js.
  const manifest = cliManifest()
  const [{ connect }, { jetstreamManager }] = await Promise.all([
    importOptional({ name: '@nats-io/transport-node', feature: 'treaty channel sync', manifest }, () => import('@nats-io/transport-node')),
    importOptional({ name: '@nats-io/jetstream', feature: 'treaty channel sync', manifest }, () => import('@nats-io/jetstream')),
  ])
  let nc: Awaited<ReturnType<typeof connect>>
  try {
    nc = await connect({ servers: [...servers], name: 'treaty channel sync', timeout: 5_000 })
  } catch (cause) {
    throw new CliError(`cannot connect to NATS at ${servers.join(', ')}: ${(cause as Error).message}`, 'check --nats', {
      cause,
    })
  }
  try {
    const jsm = await jetstreamManager(nc)
    const out: StreamRetention[] = []
    for await (const info of jsm.streams.list()) {
      const c = info.config
      out.push({ name: c.name, subjects: c.subjects ?? [], retention: String(c.retention), max_age: c.max_age, max_msgs: c.max_msgs })
    }
    return out
  } finally {
    await nc.close()
  }
}

export interface ChannelSyncOptions extends BrokerConnection {
  nats: readonly string[]
}

/** Reads the streams first, then records each subject's retention, keeping any declared dead-letter channel. */
export async function syncChannels(options: ChannelSyncOptions): Promise<ChannelRetention[]> {
  if (options.nats.length === 0) throw new CliError('--nats is required', 'pass --nats nats://127.0.0.1:4222 (several allowed)')
  const client = brokerClient(options)
  const entries = (await readStreams(options.nats)).flatMap(fromStream)
  const out: ChannelRetention[] = []
  for (const { channel, retention } of entries) {
    const current = await known(client, channel)
    out.push(await putChannelRetention(client, channel, { ...retention, deadLetter: current?.deadLetter ?? null }))
  }
  return out
}

/** `pdf.generated (PDF_EVENTS): kept 7d, dead letters to pdf.dead-letter`. */
export function describeRetention(r: ChannelRetention): string {
  const kept =
    r.policy === 'limits'
      ? r.maxAgeMs === null
        ? 'kept with no age limit'
        : `kept ${formatDuration(r.maxAgeMs)}`
      : r.policy === 'none'
        ? 'not kept'
        : `${r.policy} (a message leaves once acknowledged)`
  return `${r.channel}${r.stream ? ` (${r.stream})` : ''}: ${kept}${r.deadLetter ? `, dead letters to ${r.deadLetter}` : ''}`
}
