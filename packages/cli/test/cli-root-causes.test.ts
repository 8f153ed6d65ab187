/**
 * Reports point at root causes (#12): one renamed field is one finding, naming the field the reader
 * wants and the one the producer sends, in `treaty verify --static` and in `treaty compat`, not one line
 * per keyword the engine found missing.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { treaty } from './treaty.js'

/** shipping reads `items[].qty` (an integer from 1 to 100). */
const reads = {
  type: 'object',
  required: ['orderId', 'items'],
  properties: {
    orderId: { type: 'string', format: 'uuid' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sku', 'qty'],
        properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1, maximum: 100 } },
      },
    },
  },
}
const renamed = JSON.parse(JSON.stringify(reads).replaceAll('"qty"', '"quantity"'))

function contract(schema: object, qty: string) {
  return {
    treaty: '1',
    consumer: 'shipping',
    provider: 'orders',
    expectations: [
      {
        description: 'an order',
        channel: 'orders.placed',
        providerStates: [],
        payload: { schema, example: { orderId: '7f1c1c7e-1c1c-4c1c-8c1c-1c1c1c1c1c1c', items: [{ sku: 'a', [qty]: 1 }] } },
      },
    ],
  }
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'treaty-root-causes-'))
  await mkdir(join(dir, 'contracts'))
  await writeFile(join(dir, 'contracts', 'shipping--orders.json'), JSON.stringify(contract(reads, 'qty')))
  await writeFile(join(dir, 'v1.json'), JSON.stringify(contract(reads, 'qty')))
  await writeFile(join(dir, 'v2.json'), JSON.stringify(contract(renamed, 'quantity')))
  // The producer renamed `qty` to `quantity`.
  await writeFile(
    join(dir, 'producers.ts'),
    [
      'export interface Item {',
      '  sku: string',
      '  /** @integer @minimum 1 @maximum 100 */',
      '  quantity: number',
      '}',
      'export interface OrderPlaced {',
      '  /** @format uuid */',
      '  orderId: string',
      '  items: Item[]',
      '}',
      'export const producers = {',
      "  'orders.placed': (): { payload: OrderPlaced } => ({ payload: { orderId: '7f1c1c7e-1c1c-4c1c-8c1c-1c1c1c1c1c1c', items: [{ sku: 'a', quantity: 1 }] } }),",
      '}',
      '',
    ].join('\n'),
  )
})

const findingLines = (out: string) => out.split('\n').filter((l) => l.includes('qty') || l.includes('quantity'))

describe('one renamed field is one finding', () => {
  it('in treaty verify --static', async () => {
    const r = await treaty(['verify', '--static', '--service', 'orders', '--producers', 'producers.ts', '--contracts', 'contracts'], {
      cwd: dir,
    })
    expect(r.code, r.stderr).toBe(1)
    expect(findingLines(r.stdout)).toEqual([
      '    payload/items/*/qty REQUIRED_PROPERTY_ADDED: `qty` renamed or removed; producer sends `quantity`',
    ])
  })

  it('in treaty verify --static --json', async () => {
    const r = await treaty(
      ['verify', '--static', '--service', 'orders', '--producers', 'producers.ts', '--contracts', 'contracts', '--json'],
      { cwd: dir },
    )
    expect(r.code, r.stderr).toBe(1)
    expect(JSON.parse(r.stdout).contracts[0].expectations[0].differences).toEqual([
      {
        part: 'payload',
        pointer: '/items/*/qty',
        kind: 'REQUIRED_PROPERTY_ADDED',
        message: '`qty` renamed or removed; producer sends `quantity`',
      },
    ])
  })

  it('in treaty compat, each way', async () => {
    const backward = await treaty(['compat', 'v1.json', 'v2.json'], { cwd: dir })
    expect(backward.code).toBe(1)
    expect(findingLines(backward.stdout)).toEqual([
      '  /items/*/quantity  REQUIRED_PROPERTY_ADDED  `quantity` renamed or removed; producer sends `qty`',
    ])
    const forward = await treaty(['compat', 'v1.json', 'v2.json', '--mode', 'forward', '--json'], { cwd: dir })
    expect(forward.code).toBe(1)
    expect(JSON.parse(forward.stdout).subjects[0].differences).toEqual([
      {
        writer: 'v2.json',
        reader: 'v1.json',
        direction: 'forward',
        pointer: '/items/*/qty',
        kind: 'REQUIRED_PROPERTY_ADDED',
        message: '`qty` renamed or removed; producer sends `quantity`',
      },
    ])
  })
})
