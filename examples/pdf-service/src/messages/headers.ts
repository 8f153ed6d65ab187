/** The correlation id travels as `x-correlation-id` over HTTP and as `Correlation-Id` on NATS. */
import { randomUUID } from 'node:crypto'

export const CORRELATION_ID_HEADER = 'Correlation-Id'
export const HTTP_CORRELATION_ID_HEADER = 'x-correlation-id'

/** Headers of every message of the PDF queue (a type alias, so it is assignable to a string record). */
export type CorrelationHeaders = { 'Correlation-Id': string }

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** A caller's id is kept when it is a sane token; anything else gets a fresh one (ids end up in logs). */
export function correlationIdFrom(candidate: unknown, newId: () => string = randomUUID): string {
  return typeof candidate === 'string' && CORRELATION_ID.test(candidate) ? candidate : newId()
}

/** Raised when a received message does not have the shape its channel promises. */
export class MessageInvalidError extends Error {
  readonly code = 'PDF_MESSAGE_INVALID'
  constructor(
    readonly channel: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${channel}: ${field} ${detail}`)
    this.name = 'MessageInvalidError'
  }
}

export function requireObject(channel: string, value: unknown, field = 'payload'): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MessageInvalidError(channel, field, 'must be an object')
  }
  return value as Record<string, unknown>
}

export function requireString(channel: string, object: Record<string, unknown>, field: string, path = field): string {
  const value = object[field]
  if (typeof value !== 'string' || value.length === 0) throw new MessageInvalidError(channel, path, 'must be a non-empty string')
  return value
}

export function requireNumber(channel: string, object: Record<string, unknown>, field: string, path = field, min = 0): number {
  const value = object[field]
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new MessageInvalidError(channel, path, `must be a number >= ${min}`)
  }
  return value
}

/** Reads the correlation id of a received message; a message without one gets a fresh id (and says so). */
export function correlationIdOf(headers: Readonly<Record<string, unknown>> | undefined): { correlationId: string; generated: boolean } {
  const value = headers?.[CORRELATION_ID_HEADER]
  if (typeof value === 'string' && value.length > 0) return { correlationId: value, generated: false }
  return { correlationId: randomUUID(), generated: true }
}
