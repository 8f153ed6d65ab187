import type { OptionTable, ParsedOptions, TreatyCommand } from '../command.js'
import type { GlobalArgs } from '../options.js'

/** The option table: parsing, help text and the argument type all come from it. */
const options = {
  service: { type: 'string', array: true, describe: 'Provider(s) whose traffic to check [env TREATY_SERVICE]' },
  all: { type: 'boolean', describe: 'Every service deployed in the environment' },
  environment: { type: 'string', describe: 'Check against the consumer versions deployed there (contracts from the broker)' },
  contracts: { type: 'string', describe: 'Without --environment: contract files in this directory (default ./contracts)' },
  nats: { type: 'string', describe: 'NATS server URL(s), comma-separated' },
  amqp: { type: 'string', describe: 'RabbitMQ URL (amqp://user:pass@host:5672/vhost)' },
  exchange: { type: 'string', describe: 'With --amqp: the topic exchange messages are routed through' },
  subject: {
    type: 'string',
    array: true,
    describe: 'Tap these subjects / routing keys instead of the channels (e.g. pdf.> to see uncovered ones)',
  },
  channel: { type: 'string', array: true, describe: 'Only these contract channels' },
  duration: { type: 'number', describe: 'Stop after this many seconds (default: until Ctrl-C)' },
  'max-messages': { type: 'number', describe: 'Stop after this many messages' },
  sample: { type: 'number', default: 1, describe: 'Fraction of messages to check, in (0, 1]' },
  'fail-on-mismatch': { type: 'boolean', describe: 'Exit 1 when a consumer would reject a message or a payload is not JSON' },
  'from-stream': {
    type: 'string',
    describe: 'NATS: replay this JetStream stream (ordered consumer, no acks) instead of live traffic',
  },
  since: { type: 'string', describe: 'With --from-stream: an ISO time or a duration back from now (30s, 15m, 2h, 1d)' },
  'metrics-port': { type: 'number', describe: 'Serve Prometheus /metrics on 127.0.0.1:PORT while running' },
  publish: {
    type: 'boolean',
    default: true,
    describe: 'Publish observations to the broker as `observed` evidence (--no-publish: do not)',
  },
} satisfies OptionTable

type Args = GlobalArgs & ParsedOptions<typeof options>

/** The parsed arguments of `treaty observe`, as lib/observe.ts reads them. */
export type ObserveArgs = Args

export const observeCommand: TreatyCommand<Args> = {
  command: 'observe',
  describe: 'Check live NATS / RabbitMQ traffic against the contracts of every consumer version deployed in an environment',
  options,
  examples: [
    [
      '$0 observe --service pdf-api --environment production --nats nats://nats:4222 --duration 60 --fail-on-mismatch',
      'a smoke test after a deploy',
    ],
    ['$0 observe --all --environment production --amqp amqp://rabbit:5672 --exchange events', 'RabbitMQ, every provider'],
    [
      '$0 observe --service pdf-api --environment staging --nats nats://nats:4222 --from-stream PDF_REQUESTS --since 1h',
      'replay the last hour',
    ],
  ],
  run: async (args, p) => {
    const { runObserve } = await import('../lib/observe.js')
    return runObserve(args, p)
  },
}
