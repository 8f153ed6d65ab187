/** The matrix and can-i-deploy: the questions a release pipeline asks. */
import { matrixRowProperties, record, staticDifferenceSchema, stringArray } from './common.js'
import type { Answer, Sent } from './derive.js'
import { environmentNameSchema, serviceNameSchema, versionSchema } from './names.js'

export const matrixQuerySchema = {
  type: 'object',
  required: ['service'],
  additionalProperties: false,
  properties: { service: serviceNameSchema, version: versionSchema },
} as const
export type MatrixQuery = Sent<typeof matrixQuerySchema>

export const matrixRowSchema = record(matrixRowProperties, ['observed'])
export type MatrixRow = Answer<typeof matrixRowSchema>

export const matrixResponseSchema = record({
  service: { type: 'string' },
  version: { type: 'string' },
  truncated: { type: 'boolean' },
  rows: { type: 'array', items: matrixRowSchema },
})
export type MatrixResponse = Answer<typeof matrixResponseSchema>

export const canIDeployQuerySchema = {
  type: 'object',
  required: ['service', 'version', 'environment'],
  additionalProperties: false,
  properties: { service: serviceNameSchema, version: versionSchema, environment: environmentNameSchema },
} as const
export type CanIDeployQuery = Sent<typeof canIDeployQuerySchema>

/** On rows added by a retention window: the older version and what keeps its messages. */
export const retainedRowSchema = record({
  olderVersion: { type: 'string' },
  until: { type: 'string', format: 'date-time' },
  channel: { type: 'string' },
  retainedIn: { type: 'string' },
  stream: { type: ['string', 'null'] },
  maxAgeMs: { type: ['number', 'null'] },
})

export const canIDeployRowSchema = record(
  {
    ...matrixRowProperties,
    status: { type: 'string', enum: ['verified', 'failed', 'unverified'] },
    role: { type: 'string', enum: ['consumer', 'provider'] },
    mode: { type: 'string', enum: ['replay', 'static'] },
    retention: retainedRowSchema,
    differences: { type: 'array', items: staticDifferenceSchema },
  },
  ['observed', 'mode', 'retention', 'differences'],
)
export type CanIDeployRow = Answer<typeof canIDeployRowSchema>

export const canIDeployResponseSchema = record({
  deployable: { type: 'boolean' },
  reasons: stringArray,
  rows: { type: 'array', items: canIDeployRowSchema },
})
export type CanIDeployResponse = Answer<typeof canIDeployResponseSchema>
