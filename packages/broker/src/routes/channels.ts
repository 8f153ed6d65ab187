/** Channels: their retention (declared or read from JetStream) and the field-usage map of their readers. */
import {
  channelParamsSchema,
  channelRetentionRequestSchema,
  channelRetentionSchema,
  channelsResponseSchema,
  type FieldUsageReport,
  fieldUsageReportSchema,
  type Received,
  type Served,
} from '@treaty/core/wire'
import type { FastifyPluginAsync } from 'fastify'
import { mayActForAny } from '../auth.js'
import { fieldUsageMap } from '../domain/field-usage.js'
import { impactCandidates } from '../domain/impact.js'
import type { Store } from '../store/store.js'
import { doc, errors, guard, type RouteDeps } from './schemas.js'

type Params = Received<typeof channelParamsSchema>
type Retention = Served<typeof channelRetentionSchema>

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
    app.get<{ Reply: Served<typeof channelsResponseSchema> }>(
      '/api/channels',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('channels', 'read', 'Every channel whose retention the broker knows'),
          response: { 200: channelsResponseSchema, ...errors() },
        },
      },
      async () => ({ channels: await deps.store.listChannelRetention() }),
    )

    app.get<{ Params: Params; Reply: Retention }>(
      '/api/channels/:channel/retention',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('channels', 'read', 'How long a channel keeps messages'),
          params: channelParamsSchema,
          response: { 200: channelRetentionSchema, ...errors(404) },
        },
      },
      (request) => deps.store.getChannelRetention(request.params.channel),
    )

    app.put<{ Params: Params; Body: Received<typeof channelRetentionRequestSchema>; Reply: Retention }>(
      '/api/channels/:channel/retention',
      {
        onRequest: guard(deps, 'write'),
        schema: {
          ...doc('channels', 'write', 'Declare (or sync from JetStream) how long a channel keeps messages; can-i-deploy uses it'),
          params: channelParamsSchema,
          body: channelRetentionRequestSchema,
          response: { 200: channelRetentionSchema, 201: channelRetentionSchema, ...errors(415) },
        },
      },
      async (request, reply) => {
        // A channel belongs to no one service: its retention (which can-i-deploy reads) is set by an unscoped token.
        mayActForAny(request.principal, "setting a channel's retention")
        const { retention, created } = await deps.store.putChannelRetention(request.params.channel, request.body)
        return reply.status(created ? 201 : 200).send(retention)
      },
    )

    app.get<{ Params: Params; Reply: Served<typeof fieldUsageReportSchema> }>(
      '/api/channels/:channel/field-usage',
      {
        onRequest: guard(deps, 'read'),
        schema: {
          ...doc('channels', 'read', 'Which consumer version reads which field on the channel (main-branch heads and deployed versions)'),
          params: channelParamsSchema,
          response: { 200: fieldUsageReportSchema, ...errors() },
        },
      },
      (request) => channelFieldUsage(deps.store, request.params.channel),
    )
  }
}
