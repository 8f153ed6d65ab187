/** Environments, the deployments and releases pipelines record into them. */
import { dateTime, nullableDateTime, record } from './common.js'
import type { Answer, Sent } from './derive.js'
import { environmentNameSchema, serviceNameSchema, versionSchema } from './names.js'

export const environmentParamsSchema = { type: 'object', required: ['name'], properties: { name: environmentNameSchema } } as const

export const environmentSchema = record({
  name: { type: 'string' },
  production: { type: 'boolean' },
  createdAt: dateTime,
  updatedAt: dateTime,
})
export type Environment = Answer<typeof environmentSchema>

export const putEnvironmentRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { production: { type: 'boolean' } },
} as const
export type PutEnvironmentRequest = Sent<typeof putEnvironmentRequestSchema>

export const environmentsResponseSchema = record({ environments: { type: 'array', items: environmentSchema } })
export type EnvironmentsResponse = Answer<typeof environmentsResponseSchema>

export const deploymentSchema = record({
  environment: { type: 'string' },
  service: { type: 'string' },
  version: { type: 'string' },
  deployedAt: dateTime,
  undeployedAt: nullableDateTime,
})
export type Deployment = Answer<typeof deploymentSchema>

/** A service version entering an environment: a deployment, a release, or the end of a release's support. */
export const serviceVersionRequestSchema = {
  type: 'object',
  required: ['service', 'version'],
  additionalProperties: false,
  properties: { service: serviceNameSchema, version: versionSchema },
} as const
export type ServiceVersionRequest = Sent<typeof serviceVersionRequestSchema>

export const deploymentRecordedSchema = record({
  deployment: deploymentSchema,
  replaced: { type: ['string', 'null'], description: 'the version now undeployed' },
  changed: { type: 'boolean' },
})
export type DeploymentRecorded = Answer<typeof deploymentRecordedSchema>

export const deploymentsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { history: { type: 'boolean', default: false } },
} as const

export const deploymentsResponseSchema = record({ deployments: { type: 'array', items: deploymentSchema } })
export type DeploymentsResponse = Answer<typeof deploymentsResponseSchema>

export const undeploymentRequestSchema = {
  type: 'object',
  required: ['service'],
  additionalProperties: false,
  properties: { service: serviceNameSchema },
} as const
export type UndeploymentRequest = Sent<typeof undeploymentRequestSchema>

/** An undeployment, a release or the end of its support; `changed` is false when nothing changed. */
export const lifecycleResponseSchema = record({
  environment: { type: 'string' },
  service: { type: 'string' },
  version: { type: 'string' },
  changed: { type: 'boolean' },
})
export type LifecycleResponse = Answer<typeof lifecycleResponseSchema>
