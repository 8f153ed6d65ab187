import type { TreatyCommand } from '../command.js'
import type { GlobalArgs } from '../options.js'

interface SetArgs extends GlobalArgs {
  channel: string
  maxAge?: string
  maxMessages?: number
  policy?: string
  deadLetter?: string
  stream?: string
}

interface SyncArgs extends GlobalArgs {
  nats?: string[]
}

const set: TreatyCommand<SetArgs> = {
  command: 'set <channel>',
  describe: 'Declare how long a channel keeps messages; can-i-deploy then checks older versions within that window',
  positionals: { channel: { describe: 'A channel or NATS subject pattern, e.g. pdf.requested' } },
  options: {
    'max-age': { type: 'string', describe: 'How long a message is kept: 7d, 36h, 90m, or none' },
    'max-messages': { type: 'number', describe: 'How many messages are kept' },
    policy: { type: 'string', describe: 'limits (kept until max age), workqueue or interest (gone once acked), none' },
    'dead-letter': { type: 'string', describe: 'The channel failed messages go to (and may be replayed from), or none' },
    stream: { type: 'string', describe: 'The stream the channel belongs to, for reasons to name' },
  },
  examples: [['$0 channel set pdf.requested --max-age 7d --dead-letter pdf.dead-letter', '']],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { describeRetention, setChannel } = await import('../lib/channels.js')
    const { paint } = await import('../output.js')
    const config = await resolveConfig(args)
    const r = await setChannel({ ...config, channel: args.channel, ...pick(args) })
    if (args.json) return p.json(r)
    p.out(`${paint(p, 'green', '✓')} ${describeRetention(r)}`)
    return p.verdict()
  },
}

const sync: TreatyCommand<SyncArgs> = {
  command: 'sync',
  describe: 'Read every JetStream stream config (subjects, max age, max messages, retention) into the broker',
  options: { nats: { type: 'string', array: true, describe: 'NATS server URLs (several allowed) [env NATS_URL]' } },
  examples: [['$0 channel sync --nats nats://127.0.0.1:4222', '']],
  run: async (args, p) => {
    const { resolveConfig } = await import('../config.js')
    const { describeRetention, syncChannels } = await import('../lib/channels.js')
    const config = await resolveConfig(args)
    const nats = args.nats ?? (process.env.NATS_URL ? process.env.NATS_URL.split(',') : [])
    const synced = await syncChannels({ ...config, nats })
    if (args.json) return p.json({ channels: synced })
    for (const r of synced) p.out(`  ${describeRetention(r)}`)
    p.out(`✓ ${synced.length} ${synced.length === 1 ? 'channel' : 'channels'} synced from JetStream`)
    return p.verdict()
  },
}

function pick(args: SetArgs) {
  const { maxAge, maxMessages, policy, deadLetter, stream } = args
  return { maxAge, maxMessages, policy, deadLetter, stream }
}

export const channelCommand: TreatyCommand = {
  command: 'channel <command>',
  describe: 'Tell the broker how long channels keep messages (declared, or read from JetStream)',
  subcommands: [set, sync] as TreatyCommand[],
}
