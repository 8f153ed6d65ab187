import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { BrokerClient, contractHash, readContracts } from '@treaty/core'
import { type Broker, startBroker } from '@treaty/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { treaty } from './treaty.js'

const fixtures = resolve(import.meta.dirname, '../../core/src/interop/__fixtures__/asyncapi')

const pactV3 = {
  consumer: { name: 'billing' },
  provider: { name: 'shop' },
  messages: [
    {
      description: 'an order is placed',
      providerStates: [{ name: 'an order exists', params: { id: 'o-1' } }],
      contents: { orderId: 'o-1', total: 12.5 },
      metaData: { topic: 'order.placed' },
      matchingRules: { body: { '$.orderId': { matchers: [{ match: 'type' }] }, '$.total': { matchers: [{ match: 'decimal' }] } } },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
}

/** `treaty import asyncapi` of the orders fixture as pdf-worker (quote-client for the operation that names no provider). */
const importOrders = (out: string) =>
  treaty(['import', 'asyncapi', join(fixtures, 'orders-3.yaml'), '--service', 'pdf-worker', '--provider', 'quote-client', '--out', out])

const made: string[] = []
/** A temp dir for a test's files, removed when this file's tests end. */
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'treaty-cli-interop-'))
  made.push(dir)
  return dir
}
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

// Each step spawns the CLI, and the AsyncAPI parser takes seconds to load on a busy machine.
const SLOW = { timeout: 240_000 }

describe('treaty import / export', SLOW, () => {
  let dir: string
  beforeAll(async () => {
    dir = await scratch()
  })

  it('imports an AsyncAPI document into contracts and a provider schema, and refuses to change them silently', async () => {
    const out = join(dir, 'asyncapi')
    const run = await importOrders(out)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect((await readdir(out)).sort()).toEqual(['pdf-worker--pdf-api.json', 'pdf-worker--quote-client.json', 'provider-schemas'])
    expect(await readdir(join(out, 'provider-schemas'))).toEqual(['pdf-worker.json'])
    const again = await importOrders(out)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('unchanged')
    const file = join(out, 'pdf-worker--pdf-api.json')
    await writeFile(file, (await readFile(file, 'utf8')).replace('a PDF is requested', 'edited by hand'))
    const clash = await importOrders(out)
    expect(clash.code).toBe(2)
    expect(clash.stderr).toContain(
      'hint: import into another directory with --out <dir> and compare; --overwrite replaces the whole file, expectations a consumer test proved included',
    )
    expect(await readFile(file, 'utf8')).toContain('edited by hand')
  })

  it('refuses an HTTP pact, which has no message to import, with exit 2 and writes no empty contract', async () => {
    const pactFile = join(dir, 'web-api.json')
    const http = {
      consumer: { name: 'web' },
      provider: { name: 'api' },
      interactions: [{ description: 'get a user', request: { method: 'GET', path: '/users/1' }, response: { status: 200 } }],
      metadata: { pactSpecification: { version: '2.0.0' } },
    }
    await writeFile(pactFile, JSON.stringify(http))
    const out = join(dir, 'http-pact')
    const run = await treaty(['import', 'pact', pactFile, '--out', out])
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('no message interactions')])
    expect(run.stderr).toContain('interactions[0]')
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('refuses a pact message without contents with exit 2, naming the message rather than the contract format', async () => {
    const pactFile = join(dir, 'no-contents.json')
    const { contents: _, ...withoutContents } = pactV3.messages[0]!
    await writeFile(pactFile, JSON.stringify({ ...pactV3, messages: [withoutContents] }))
    const run = await treaty(['import', 'pact', pactFile, '--out', join(dir, 'no-contents')])
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('messages[0].contents')])
    expect(run.stderr).not.toContain('contract-format')
  })

  it('refuses pact messages whose content type is not JSON (V3 metadata, V4 contents) instead of importing the text as a JSON string', async () => {
    const v3 = join(dir, 'xml-v3.json')
    const xml = {
      ...pactV3.messages[0]!,
      contents: '<order id="o-1"/>',
      metaData: { topic: 'order.placed', contentType: 'application/xml' },
    }
    await writeFile(v3, JSON.stringify({ ...pactV3, messages: [xml] }))
    const old = await treaty(['import', 'pact', v3, '--out', join(dir, 'xml-v3')])
    expect([old.code, old.stderr]).toEqual([2, expect.stringContaining('messages[0]')])
    expect(old.stderr).toContain('application/xml')
    const v4 = join(dir, 'xml-v4.json')
    const contents = { content: '<order/>', contentType: 'text/xml', encoded: false }
    const interaction = { type: 'Asynchronous/Messages', description: 'xml', contents, metadata: { subject: 'order.placed' } }
    await writeFile(v4, JSON.stringify({ ...pactV3, messages: undefined, interactions: [interaction] }))
    const run = await treaty(['import', 'pact', v4, '--out', join(dir, 'xml-v4')])
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('interactions[0].contents')])
    await expect(stat(join(dir, 'xml-v4'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('refuses an AsyncAPI message whose content type is not JSON, naming it, as it refuses an Avro schema', async () => {
    const file = join(dir, 'text.json')
    const message = { name: 'Line', contentType: 'text/plain', payload: { type: 'string' } }
    await writeFile(
      file,
      JSON.stringify({
        asyncapi: '3.0.0',
        info: { title: 'w', version: '1.0.0' },
        defaultContentType: 'application/json',
        channels: { lines: { address: 'line.written', messages: { line: message } } },
        operations: { onLine: { action: 'receive', channel: { $ref: '#/channels/lines' } } },
      }),
    )
    const run = await treaty(['import', 'asyncapi', file, '--service', 'w', '--provider', 'writer', '--out', join(dir, 'text')])
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('operations.onLine.message(Line)')])
    expect(run.stderr).toContain('text/plain')
    await expect(stat(join(dir, 'text'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('asks for an example where an AsyncAPI message has none and its schema yields none, and needs none for what the service sends', async () => {
    const id = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{4}$' } } }
    const doc = (action: string) => ({
      asyncapi: '3.0.0',
      info: { title: 'w', version: '1.0.0' },
      channels: { orders: { address: 'order.placed', messages: { placed: { name: 'OrderPlaced', payload: id } } } },
      operations: { onOrder: { action, channel: { $ref: '#/channels/orders' } } },
    })
    const receive = join(dir, 'receive.json')
    await writeFile(receive, JSON.stringify(doc('receive')))
    const refused = await treaty(['import', 'asyncapi', receive, '--service', 'w', '--provider', 'shop', '--out', join(dir, 'receive')])
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('operations.onOrder.message(OrderPlaced).payload')])
    expect(refused.stderr).toContain('examples')
    expect(refused.stderr).not.toContain('withPayloadSchema')
    const send = join(dir, 'send.json')
    await writeFile(send, JSON.stringify(doc('send')))
    const sent = await treaty(['import', 'asyncapi', send, '--service', 'w', '--out', join(dir, 'send')])
    expect([sent.code, sent.stderr]).toEqual([0, ''])
  })

  it('imports an AsyncAPI 3 multi-format payload ({ schemaFormat, schema }) as its schema, in its draft, not as a schema that accepts anything', async () => {
    const file = join(dir, 'multi-format.json')
    const draft04 = {
      type: 'object',
      required: ['n'],
      properties: { n: { type: 'number', minimum: 0, exclusiveMinimum: true } },
    }
    const message = {
      name: 'Count',
      payload: { schemaFormat: 'application/schema+json;version=draft-04', schema: draft04 },
      headers: { schemaFormat: 'application/schema+json;version=draft-07', schema: { type: 'object', required: ['Correlation-Id'] } },
      examples: [{ payload: { n: 0 } }, { payload: { n: 2 }, headers: { 'Correlation-Id': 'c-1' } }],
    }
    await writeFile(
      file,
      JSON.stringify({
        asyncapi: '3.0.0',
        info: { title: 'w', version: '1.0.0' },
        channels: { counts: { address: 'count.made', messages: { count: message } } },
        operations: { onCount: { action: 'receive', channel: { $ref: '#/channels/counts' } } },
      }),
    )
    const out = join(dir, 'multi-format')
    const run = await treaty(['import', 'asyncapi', file, '--service', 'w', '--provider', 'counter', '--out', out])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain("an example's payload does not match its schema")
    const [expectation] = JSON.parse(await readFile(join(out, 'w--counter.json'), 'utf8')).expectations
    expect(expectation.payload).toEqual({
      schema: { type: 'object', required: ['n'], properties: { n: { type: 'number', exclusiveMinimum: 0 } } },
      example: { n: 2 },
    })
    expect(expectation.headers.schema).toEqual({ type: 'object', required: ['Correlation-Id'] })
  })

  it('exits 2 naming --service when an AsyncAPI import has none', async () => {
    const run = await treaty(['import', 'asyncapi', join(fixtures, 'orders-3.yaml'), '--out', join(dir, 'none')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--service')
  })

  it('exports the imported service as an AsyncAPI 3.0 document', async () => {
    const out = join(dir, 'export-src')
    await importOrders(out)
    const file = join(dir, 'asyncapi.yaml')
    const run = await treaty(['export', 'asyncapi', '--service', 'pdf-worker', '--contracts', out, '--out', file])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const doc = JSON.parse(await readFile(file, 'utf8'))
    expect(doc.asyncapi).toBe('3.0.0')
    expect(
      Object.values(doc.operations)
        .map((o) => (o as { action: string }).action)
        .sort(),
    ).toEqual(['receive', 'receive', 'send', 'send'])
    const back = await treaty(['import', 'asyncapi', file, '--service', 'pdf-worker', '--out', join(dir, 'back')])
    expect(back.code).toBe(0)
  })

  it('exports over its own earlier export, but not over the AsyncAPI document or pact it imported (the docs use one name for both)', async () => {
    const project = join(dir, 'same-names')
    await mkdir(join(project, 'pacts'), { recursive: true })
    await cp(fixtures, project, { recursive: true })
    await rename(join(project, 'orders-3.yaml'), join(project, 'asyncapi.yaml'))
    const source = await readFile(join(project, 'asyncapi.yaml'), 'utf8')
    const pact = `${JSON.stringify(pactV3)}\n`
    await writeFile(join(project, 'pacts', 'billing-shop.json'), pact)
    const cwd = { cwd: project }
    await treaty(
      ['import', 'asyncapi', 'asyncapi.yaml', '--service', 'pdf-worker', '--provider', 'quote-client', '--out', 'contracts'],
      cwd,
    )
    await treaty(['import', 'pact', 'pacts/billing-shop.json', '--out', 'contracts'], cwd)

    const asyncapi = await treaty(
      ['export', 'asyncapi', '--service', 'pdf-worker', '--contracts', 'contracts', '--out', 'asyncapi.yaml'],
      cwd,
    )
    expect([asyncapi.code, asyncapi.stderr]).toEqual([2, expect.stringContaining('--overwrite')])
    expect(await readFile(join(project, 'asyncapi.yaml'), 'utf8')).toBe(source)
    const pacts = await treaty(['export', 'pact', '--contracts', 'contracts', '--out', 'pacts'], cwd)
    expect([pacts.code, pacts.stderr]).toEqual([2, expect.stringContaining('pacts/billing-shop.json')])
    expect(await readdir(join(project, 'pacts'))).toEqual(['billing-shop.json'])
    expect(await readFile(join(project, 'pacts', 'billing-shop.json'), 'utf8')).toBe(pact)

    const elsewhere = ['export', 'pact', '--contracts', 'contracts', '--out', 'exported']
    expect((await treaty(elsewhere, cwd)).code).toBe(0)
    const contract = join(project, 'contracts', 'billing--shop.json')
    await writeFile(contract, (await readFile(contract, 'utf8')).replace('an order is placed', 'an order was placed'))
    expect((await treaty(elsewhere, cwd)).code).toBe(0)
    expect(await readFile(join(project, 'exported', 'billing-shop.json'), 'utf8')).toContain('an order was placed')
    const forced = await treaty(['export', 'pact', '--contracts', 'contracts', '--out', 'pacts', '--overwrite'], cwd)
    expect(forced.code).toBe(0)
    expect(JSON.parse(await readFile(join(project, 'pacts', 'billing-shop.json'), 'utf8')).metadata.pactSpecification.version).toBe('4.0')
  })

  it('imports its own export into the same directory as unchanged, AsyncAPI and Pact alike (a round trip changes nothing)', async () => {
    const out = join(dir, 'round-trip')
    await importOrders(out)
    const doc = join(dir, 'round-trip.json')
    expect((await treaty(['export', 'asyncapi', '--service', 'pdf-worker', '--contracts', out, '--out', doc])).code).toBe(0)
    const again = await treaty(['import', 'asyncapi', doc, '--service', 'pdf-worker', '--out', out, '--json'])
    expect([again.code, again.stderr]).toEqual([0, ''])
    expect(JSON.parse(again.stdout)).toMatchObject({ written: [] })

    const pactFile = join(dir, 'round-trip-pact.json')
    await writeFile(pactFile, JSON.stringify(pactV3))
    const contracts = join(dir, 'round-trip-pact')
    await treaty(['import', 'pact', pactFile, '--out', contracts])
    const pacts = join(dir, 'round-trip-pacts')
    expect((await treaty(['export', 'pact', '--contracts', contracts, '--out', pacts])).code).toBe(0)
    const back = await treaty(['import', 'pact', join(pacts, 'billing-shop.json'), '--out', contracts, '--json'])
    expect([back.code, back.stderr]).toEqual([0, ''])
    expect(JSON.parse(back.stdout)).toMatchObject({ written: [] })
  })

  it('refuses to export pacts from a directory without contracts with exit 2, instead of exiting 0 having written nothing', async () => {
    const empty = join(dir, 'no-contracts')
    await mkdir(empty)
    const run = await treaty(['export', 'pact', '--contracts', empty, '--out', join(dir, 'no-pacts')])
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining(`no contract in ${empty}`)])
  })

  it('notes a pact description it renames to keep descriptions unique in the contract', async () => {
    const pactFile = join(dir, 'twice.json')
    const message = pactV3.messages[0]!
    await writeFile(pactFile, JSON.stringify({ ...pactV3, messages: [message, { ...message, providerStates: [] }] }))
    const run = await treaty(['import', 'pact', pactFile, '--out', join(dir, 'twice')])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('note: messages[1]: description "an order is placed" is taken: imported as "an order is placed (2)"')
  })

  it('exits 2, not as an internal error, when --out is a file where a directory goes or a directory where a file goes', async () => {
    const pactFile = join(dir, 'out-mixup.json')
    await writeFile(pactFile, JSON.stringify(pactV3))
    const aFile = join(dir, 'a-file')
    await writeFile(aFile, 'mine\n')
    const imported = await treaty(['import', 'pact', pactFile, '--out', aFile])
    expect([imported.code, imported.stderr]).toEqual([2, expect.stringContaining(`${aFile} is a file`)])
    const contracts = join(dir, 'out-mixup')
    await treaty(['import', 'pact', pactFile, '--out', contracts])
    const pacts = await treaty(['export', 'pact', '--contracts', contracts, '--out', aFile])
    expect([pacts.code, pacts.stderr]).toEqual([2, expect.stringContaining(`${aFile} is a file`)])
    const asyncapi = await treaty(['export', 'asyncapi', '--service', 'billing', '--contracts', contracts, '--out', contracts])
    expect([asyncapi.code, asyncapi.stderr]).toEqual([2, expect.stringContaining(`${contracts} is a directory`)])
    expect(await readFile(aFile, 'utf8')).toBe('mine\n')
  })

  it('refuses an option of the other format (pact --provider, asyncapi --channel) instead of ignoring it', async () => {
    const pactFile = join(dir, 'other-format.json')
    await writeFile(pactFile, JSON.stringify(pactV3))
    const pact = await treaty(['import', 'pact', pactFile, '--provider', 'warehouse', '--out', join(dir, 'other-format')])
    expect([pact.code, pact.stderr]).toEqual([2, expect.stringContaining('--provider')])
    await expect(stat(join(dir, 'other-format'))).rejects.toMatchObject({ code: 'ENOENT' })
    const asyncapi = await treaty([
      'import',
      'asyncapi',
      join(fixtures, 'orders-3.yaml'),
      '--service',
      'pdf-worker',
      '--channel',
      'pdf.x',
      '--out',
      join(dir, 'other-format'),
    ])
    expect([asyncapi.code, asyncapi.stderr]).toEqual([2, expect.stringContaining('--channel')])
  })

  it('imports a message pact and exports contracts as V4 pacts', async () => {
    const pactFile = join(dir, 'billing-shop.json')
    await writeFile(pactFile, JSON.stringify(pactV3))
    const out = join(dir, 'pact-contracts')
    const run = await treaty(['import', 'pact', pactFile, '--out', out])
    expect(run.code).toBe(0)
    const contract = JSON.parse(await readFile(join(out, 'billing--shop.json'), 'utf8'))
    expect(contract.expectations[0]).toMatchObject({
      channel: 'order.placed',
      providerStates: [{ name: 'an order exists', params: { id: 'o-1' } }],
    })
    const pacts = join(dir, 'pacts')
    const exported = await treaty(['export', 'pact', '--contracts', out, '--out', pacts])
    expect(exported.code).toBe(0)
    const pact = JSON.parse(await readFile(join(pacts, 'billing-shop.json'), 'utf8'))
    expect(pact.metadata.pactSpecification.version).toBe('4.0')
    expect(pact.interactions[0].type).toBe('Asynchronous/Messages')
  })
})

describe('treaty publish-provider-schema', SLOW, () => {
  let broker: Broker
  beforeAll(async () => {
    // PGlite's first start takes over a minute on a loaded machine.
    broker = await startBroker({ via: 'cli', timeoutMs: 200_000 })
  }, 240_000)
  afterAll(async () => {
    await broker?.stop()
  })

  it('sends the provider schema an AsyncAPI import wrote, so the broker holds it for static checks', async () => {
    const dir = await scratch()
    await importOrders(dir)
    const file = join(dir, 'provider-schemas', 'pdf-worker.json')
    const args = ['publish-provider-schema', file, '--app-version', '1.0.0', '--broker-url', broker.url, '--json']
    const first = await treaty(args)
    expect(first.stderr).toBe('')
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'created', provider: 'pdf-worker', providerVersion: '1.0.0' })
    const second = await treaty(args)
    expect(JSON.parse(second.stdout).status).toBe('unchanged')
  })

  it('exports what is deployed in an environment, each message marked with how it is proven', async () => {
    const dir = await scratch()
    await importOrders(dir)
    const client = new BrokerClient({ url: broker.url })
    const contracts = await readContracts(dir)
    await client.publishContracts({ consumer: 'pdf-worker', version: '1.0.0', contracts })
    await client.putEnvironment('production', { production: true })
    const api = contracts.find((c) => c.provider === 'pdf-api')!
    await client.publishVerification({
      provider: 'pdf-api',
      providerVersion: '2.0.0',
      results: [
        {
          contentHash: contractHash(api),
          success: true,
          expectations: api.expectations.map((e) => ({ description: e.description, success: true })),
        },
      ],
    })
    await client.recordDeployment('production', { service: 'pdf-api', version: '2.0.0' })
    await client.recordDeployment('production', { service: 'pdf-worker', version: '1.0.0' })
    const file = join(dir, 'production.yaml')
    const exportProduction = (service: string) =>
      treaty(['export', 'asyncapi', '--service', service, '--environment', 'production', '--broker-url', broker.url, '--out', file])
    const run = await exportProduction('pdf-worker')
    expect(run.stderr).toBe('')
    const doc = JSON.parse(await readFile(file, 'utf8'))
    expect(doc.info.version).toBe('1.0.0')
    const proofs = Object.values(doc.channels as Record<string, { messages: Record<string, { 'x-treaty': { provider: string } }> }>)
      .flatMap((c) => Object.values(c.messages))
      .map((m) => m['x-treaty'])
    expect(proofs).toContainEqual(expect.objectContaining({ provider: 'pdf-api', evidence: 'replay', providerVersion: '2.0.0' }))
    expect(proofs).toContainEqual(expect.objectContaining({ provider: 'quote-client', evidence: 'declared' }))
    const missing = await exportProduction('nobody')
    expect(missing.code).toBe(2)
    const typo = await exportProduction('pdf-workr')
    expect([typo.code, typo.stderr]).toEqual([2, expect.stringContaining('did you mean --service pdf-worker?')])
  })
})
