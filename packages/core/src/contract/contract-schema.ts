/**
 * The JSON Schema of the contract format, shipped for other tools (`contractSchema`).
 * `Contract` in types.ts is checked against it by contract-schema.test.ts.
 */
export const SERVICE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'

const messagePart = {
  type: 'object',
  required: ['schema', 'example'],
  additionalProperties: false,
  properties: {
    schema: {
      description: 'JSON Schema of what the consumer accepts: 2020-12, or the draft its $schema names (04, 06, 07, 2019-09)',
      type: ['object', 'boolean'],
    },
    example: { description: 'one instance valid under `schema`' },
  },
} as const

export const contractSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://treaty.dev/schemas/contract-1.json',
  title: 'Treaty contract',
  type: 'object',
  required: ['treaty', 'consumer', 'provider', 'expectations'],
  additionalProperties: false,
  properties: {
    treaty: { const: '1', description: 'format version' },
    consumer: { type: 'string', pattern: SERVICE_NAME_PATTERN },
    provider: { type: 'string', pattern: SERVICE_NAME_PATTERN },
    expectations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['description', 'channel', 'providerStates', 'payload'],
        additionalProperties: false,
        properties: {
          description: { type: 'string', minLength: 1, maxLength: 500 },
          channel: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\s]+$' },
          messageName: { type: 'string', minLength: 1, maxLength: 255 },
          providerStates: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name'],
              additionalProperties: false,
              properties: {
                name: { type: 'string', minLength: 1 },
                params: { type: 'object' },
              },
            },
          },
          headers: messagePart,
          payload: messagePart,
        },
      },
    },
  },
} as const
