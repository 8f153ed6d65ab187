// Shared by the observe benchmarks: a 10-field event, contracts of 5 consumers x 10 expectations on one channel.
export const CONSUMERS = 5
export const PER_CONSUMER = 10
export const KINDS = 10

/** Expectation `k` of a consumer: the event of kind `k`, with the fields that consumer reads. */
export function schemaFor(consumer, k) {
  return {
    type: 'object',
    required: ['kind', 'eventId', 'occurredAt', 'tenant', 'status', 'amount', 'currency', 'lines', 'source', `f${consumer}`],
    properties: {
      kind: { const: `kind-${k}` },
      eventId: { type: 'string', format: 'uuid' },
      occurredAt: { type: 'string', format: 'date-time' },
      tenant: { type: 'string', minLength: 1, maxLength: 64 },
      status: { enum: ['created', 'paid', 'cancelled'] },
      amount: { type: 'number', minimum: 0 },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      lines: {
        type: 'array',
        items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } } },
      },
      source: { type: 'string' },
      [`f${consumer}`]: { type: 'integer' },
    },
  }
}

export function contracts() {
  const out = []
  for (let c = 0; c < CONSUMERS; c++) {
    out.push({
      consumer: `consumer-${c}`,
      consumerVersion: '1.0.0',
      environment: 'production',
      contentHash: String(c).repeat(64),
      contract: {
        treaty: '1',
        consumer: `consumer-${c}`,
        provider: 'events-api',
        expectations: Array.from({ length: PER_CONSUMER }, (_, k) => ({
          description: `event of kind ${k}`,
          channel: 'events.{tenant}.created',
          providerStates: [],
          payload: { schema: schemaFor(c, k), example: {} },
        })),
      },
    })
  }
  return out
}

/** A 10-field event of kind `n % KINDS`; every 100th message lacks `lines[0].qty` (a defect). */
export function event(n) {
  return {
    kind: `kind-${n % KINDS}`,
    eventId: `7f0c2a4e-3b1d-4c5e-9f6a-${n.toString(16).padStart(12, '0')}`,
    occurredAt: '2026-01-15T10:30:00.000Z',
    tenant: `tenant-${n % 17}`,
    status: n % 3 === 0 ? 'paid' : 'created',
    amount: (n % 1000) / 4,
    currency: 'EUR',
    lines: [n % 100 === 0 ? { sku: 'A' } : { sku: 'A', qty: 1 + (n % 5) }],
    source: 'bench',
    f0: n,
    f1: n,
    f2: n,
    f3: n,
    f4: n,
  }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

export function spread(xs) {
  return `min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)}`
}
