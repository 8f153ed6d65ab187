/**
 * The JSON Schema of the contract format, shipped for other tools (`contractSchema`).
 * `Contract` in types.ts is checked against it by contract-schema.test.ts.
 */
/**
 * The one rule for service names, used by the contract format and by the broker's routes (which import it):
 * a name becomes a file name and a URL segment, so a contract may not carry a name no route can address.
 * No lookaround (a dot is followed by a non-dot or the end), so the pattern is in the RE2 dialect that
 * every schema, this one included, is checked against; the length is `maxLength`.
 */
export const SERVICE_NAME_PATTERN = '^[A-Za-z0-9](?:\\.?[A-Za-z0-9_-])*\\.?$'
export const SERVICE_NAME_MAX_LENGTH = 128
export const serviceNameSchema = { type: 'string', pattern: SERVICE_NAME_PATTERN, maxLength: SERVICE_NAME_MAX_LENGTH } as const
/** The rule in the words an error message uses. */
export const SERVICE_NAME_RULE = 'a name of 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit, without ".."'

const SERVICE_NAME_RE = new RegExp(SERVICE_NAME_PATTERN)

export function isServiceName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= SERVICE_NAME_MAX_LENGTH && SERVICE_NAME_RE.test(value)
}

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
    consumer: serviceNameSchema,
    provider: serviceNameSchema,
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
