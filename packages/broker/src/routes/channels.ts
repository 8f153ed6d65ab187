/** Channels: their retention (declared or read from JetStream) and the field-usage map of their readers. */
import { type ChannelRetentionRequest, type FieldUsageReport, RETENTION_POLICIES } from '@treaty/core/client'
import type { FastifyPluginAsync } from 'fastify'
import { mayActForAny } from '../auth.js'
import { fieldUsageMap } from '../domain/field-usage.js'
import { impactCandidates } from '../domain/impact.js'
import type { Store } from '../store/store.js'
import { dateTime, doc, errors, guard, type RouteDeps, stringArray } from './schemas.js'

/** As a contract names a channel (no whitespace), plus NATS wildcards; no `..` so it is safe in a URL segment. */
export const channelSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  pattern: '^(?!.*\\.\\.)[^\\s/]+$',
} as const

const nullableString = { anyOf: [channelSchema, { type: 'null' }] } as const
const nullableCount = { anyOf: [{ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }, { type: 'null' }] } as const

const retentionBody = {
  type: 'object',
  required: ['policy', 'maxAgeMs', 'maxMessages', 'deadLetter', 'stream', 'source'],
  additionalProperties: false,
  properties: {
    policy: { type: 'string', enum: RETENTION_POLICIES },
    maxAgeMs: { ...nullableCount, description: 'how long a message is kept, in ms; null: no age limit' },
    maxMessages: nullableCount,
    deadLetter: nullableString,
    stream: { anyOf: [{ type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\s]+$' }, { type: 'null' }] },
    source: { type: 'string', enum: ['declared', 'jetstream'] },
  },
} as const

const nullable = (type: string) => ({ type: [type, 'null'] })

export const retentionResponse = {
  type: 'object',
  properties: {
    channel: { type: 'string' },
    policy: { type: 'string' },
    maxAgeMs: nullable('number'),
    maxMessages: nullable('number'),
    deadLetter: nullable('string'),
    stream: nullable('string'),
    source: { type: 'string' },
    updatedAt: dateTime,
  },
} as const

export const fieldUsageItem = {
  type: 'object',
  properties: {
    channel: { type: 'string' },
    part: { type: 'string' },
    pointer: { type: 'string' },
    constraint: { type: 'string' },
    consumer: { type: 'string' },
    version: { type: 'string' },
    environments: stringArray,
  },
} as const

const params = { type: 'object', required: ['channel'], properties: { channel: channelSchema } } as const

/** Who reads what on a channel: the consumer versions (main-branch heads and deployed) of every provider with a contract on it. */
export async function channelFieldUsage(store: Store, channel: string): Promise<FieldUsageReport> {
  const usage = []
  for (const provider of await store.providersOfChannel(channel)) {
    const { publications } = await store.loadVerificationCandidates(provider, [], [])
    const expectations = await store.loadExpectations([...new Set(publications.map((p) => p.contentHash))])
    usage.push(...fieldUsageMap(impactCandidates(publications, expectations), channel))
  }
  return { channel, usage }
}

export function channelRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/api/channels',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('channels', 'read', 'Every channel whose retention the broker knows'),
          response: { 200: { type: 'object', properties: { channels: { type: 'array', items: retentionResponse } } } },
        },
      },
      async () => ({ channels: await deps.store.listChannelRetention() }),
    )

    app.get<{ Params: { channel: string } }>(
      '/api/channels/:channel/retention',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('channels', 'read', 'How long a channel keeps messages'),
          params,
          response: { 200: retentionResponse, ...errors(404) },
        },
      },
      (request) => deps.store.getChannelRetention(request.params.channel),
    )

    app.put<{ Params: { channel: string }; Body: ChannelRetentionRequest }>(
      '/api/channels/:channel/retention',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('channels', 'write', 'Declare (or sync from JetStream) how long a channel keeps messages; can-i-deploy uses it'),
          params,
          body: retentionBody,
          response: { 200: retentionResponse, 201: retentionResponse, ...errors(415) },
        },
      },
      async (request, reply) => {
        // A channel belongs to no one service: its retention (which can-i-deploy reads) is set by an unscoped token.
        mayActForAny(request.principal, "setting a channel's retention")
        const { retention, created } = await deps.store.putChannelRetention(request.params.channel, request.body)
        return reply.status(created ? 201 : 200).send(retention)
      },
    )

    app.get<{ Params: { channel: string } }>(
      '/api/channels/:channel/field-usage',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('channels', 'read', 'Which consumer version reads which field on the channel (main-branch heads and deployed versions)'),
          params,
          response: {
            200: { type: 'object', properties: { channel: { type: 'string' }, usage: { type: 'array', items: fieldUsageItem } } },
          },
        },
      },
      (request) => channelFieldUsage(deps.store, request.params.channel),
    )
  }
}
