/**
 * Seeds a broker the way users do, through the `treaty` CLI: environments, contracts from three consumers,
 * a replayed verification that passes and one that fails (with a mismatch pointer), a provider schema
 * that proves one contract statically and refutes another, deployments, and a newer contract on a feature
 * branch (pending, with an evolution diff against the previous version). And, for the overview past its
 * polished-layout limit, an organisation of hundreds of services published through the broker's HTTP API.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BrokerClient } from '@treaty/core'
import { treaty } from '../../cli/test/treaty.js'

type Props = Record<string, { type: string; format?: string; enum?: string[]; minimum?: number }>

function contract(
  consumer: string,
  provider: string,
  expectations: { description: string; channel: string; props: Props; required: string[]; example: object }[],
) {
  return {
    treaty: '1',
    consumer,
    provider,
    expectations: expectations.map((e) => ({
      description: e.description,
      channel: e.channel,
      providerStates: [{ name: 'a job exists', params: { jobId: 'j-1' } }],
      payload: { schema: { type: 'object', required: e.required, properties: e.props }, example: e.example },
    })),
  }
}

const pdfRequested = (required: string[]) => ({
  description: 'a PDF generation request',
  channel: 'pdf.requested',
  props: {
    jobId: { type: 'string' },
    title: { type: 'string' },
    pages: { type: 'integer', minimum: 1 },
    format: { type: 'string', enum: ['a4', 'letter'] },
  } as Props,
  required,
  example: { jobId: 'j-1', title: 'Invoice 1', pages: 1, format: 'a4' },
})

export interface Seeded {
  /** Every service the seed creates. */
  services: string[]
}

export async function seedThroughCli(brokerUrl: string, token?: string): Promise<Seeded> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-ui-seed-'))
  try {
    return await seedIn(dir, brokerUrl, token)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function seedIn(dir: string, brokerUrl: string, token: string | undefined): Promise<Seeded> {
  const env = { TREATY_BROKER_URL: brokerUrl, ...(token ? { TREATY_TOKEN: token } : {}) }
  const run = async (args: string[]) => {
    const r = await treaty(args, { cwd: dir, env })
    if (r.code !== 0) throw new Error(`treaty ${args.join(' ')} exited ${r.code}:\n${r.stdout}${r.stderr}`)
    return r
  }
  const publish = async (name: string, documents: object[], version: string, branch: string) => {
    const contracts = join(dir, `contracts-${name}-${version}`)
    await mkdir(contracts)
    for (const [i, d] of documents.entries()) await writeFile(join(contracts, `${name}-${i}.json`), JSON.stringify(d))
    await run(['publish', contracts, '--app-version', version, '--branch', branch])
  }

  await run(['environment', 'create', 'production', '--production'])
  await run(['environment', 'create', 'staging'])

  await publish('pdf-worker', [contract('pdf-worker', 'pdf-api', [pdfRequested(['jobId', 'pages'])])], '1.0.0', 'main')
  await publish(
    'billing',
    [
      contract('billing', 'pdf-api', [
        {
          description: 'a finished PDF',
          channel: 'pdf.completed',
          props: { jobId: { type: 'string' }, invoiceId: { type: 'string' } },
          required: ['jobId', 'invoiceId'],
          example: { jobId: 'j-1', invoiceId: 'inv-1' },
        },
      ]),
    ],
    '3.0.0',
    'main',
  )
  const userCreated = (required: string[], props: Props) => ({
    description: 'a new user',
    channel: 'user.created',
    props,
    required,
    example: { id: 'u-1', email: 'a@example.com', phone: '+1 555' },
  })
  await publish(
    'mailer',
    [contract('mailer', 'user-api', [userCreated(['id', 'email'], { id: { type: 'string' }, email: { type: 'string' } })])],
    '1.0.0',
    'main',
  )
  await publish(
    'crm',
    [contract('crm', 'user-api', [userCreated(['id', 'phone'], { id: { type: 'string' }, phone: { type: 'string' } })])],
    '1.0.0',
    'main',
  )

  // pdf-api replays its producers: pdf.requested satisfies pdf-worker, pdf.completed sends a number where billing reads a string.
  await writeFile(
    join(dir, 'pdf-producers.ts'),
    "export const producers = {\n  'pdf.requested': () => ({ payload: { jobId: 'j-9', title: 'Invoice 9', pages: 2, format: 'a4' } }),\n" +
      "  'pdf.completed': () => ({ payload: { jobId: 'j-9', invoiceId: 42 } }),\n}\n" +
      "export const states = { 'a job exists': async () => {} }\n",
  )
  const verified = await treaty(
    ['verify', '--service', 'pdf-api', '--producers', 'pdf-producers.ts', '--app-version', '2.0.0', '--branch', 'main', '--publish'],
    { cwd: dir, env },
  )
  // billing's contract is pending (never verified yet), so its failure is published but does not fail the run.
  if (verified.code !== 0 || !/1 passed, 0 failed, 1 pending/.test(verified.stdout)) {
    throw new Error(`expected verify to publish one success and one pending failure:\n${verified.stdout}${verified.stderr}`)
  }

  // user-api publishes the schema its types allow: it proves mailer's contract and refutes crm's (no phone).
  await writeFile(
    join(dir, 'user-producers.ts'),
    'export interface UserCreated { id: string; email: string }\n' +
      "export const producers = { 'user.created': (): { payload: UserCreated } => ({ payload: { id: 'u-9', email: 'b@example.com' } }) }\n",
  )
  await run([
    'verify',
    '--static',
    '--publish',
    '--service',
    'user-api',
    '--producers',
    'user-producers.ts',
    '--app-version',
    '5.0.0',
    '--branch',
    'main',
  ])

  for (const [service, version] of [
    ['pdf-api', '2.0.0'],
    ['pdf-worker', '1.0.0'],
    ['billing', '3.0.0'],
    ['user-api', '5.0.0'],
  ] as const) {
    await run(['record-deployment', '--service', service, '--app-version', version, '--environment', 'production'])
  }
  await run(['record-deployment', '--service', 'pdf-worker', '--app-version', '1.0.0', '--environment', 'staging'])

  // A newer pdf-worker on a feature branch now requires `title`: pending for pdf-api, and a change to show.
  await publish('pdf-worker', [contract('pdf-worker', 'pdf-api', [pdfRequested(['jobId', 'pages', 'title'])])], '1.1.0', 'feat-title')

  return { services: ['billing', 'crm', 'mailer', 'pdf-api', 'pdf-worker', 'user-api'] }
}

/** A hub's name and the one channel it provides. */
const hubName = (k: number) => `hub-${k}`
const hubChannel = (k: number) => `hub-${k}.events`

/**
 * An organisation of `services` services through the broker's HTTP API (the CLI's client, without a process
 * per publish): `hubs` providers, each consumer reading one hub's channel (round robin). Many consumers of one
 * channel is the common shape of an event-driven network, and the one a layout has to spread out: they are
 * indistinguishable to it but for their names.
 */
export async function seedHubs(brokerUrl: string, { services, hubs }: { services: number; hubs: number }): Promise<Seeded> {
  const client = new BrokerClient({ url: brokerUrl })
  const consumers = Array.from({ length: services - hubs }, (_, i) => `svc-${String(i).padStart(3, '0')}`)
  const publishOne = (consumer: string, i: number) =>
    client.publishContracts({
      consumer,
      version: '1.0.0',
      branch: 'main',
      contracts: [
        {
          treaty: '1',
          consumer,
          provider: hubName(i % hubs),
          expectations: [
            {
              description: `${consumer} reads ${hubChannel(i % hubs)}`,
              channel: hubChannel(i % hubs),
              providerStates: [],
              payload: { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, example: { id: 'e-1' } },
            },
          ],
        },
      ],
    })
  // A few requests in flight keep the broker busy without queueing hundreds of sockets on it.
  let next = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < consumers.length) {
        const i = next++
        await publishOne(consumers[i]!, i)
      }
    }),
  )
  return { services: [...Array.from({ length: hubs }, (_, k) => hubName(k)), ...consumers].sort() }
}
