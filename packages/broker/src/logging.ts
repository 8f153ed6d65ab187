/**
 * Logging: pino (fastify's logger), level from LOG_LEVEL, a correlation id on every line of a request.
 * The id comes from the caller's `x-correlation-id` when it is a sane token, otherwise it is made here;
 * either way it is echoed back so the caller can quote it.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { type DestinationStream, type Logger, pino } from 'pino'

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export const CORRELATION_HEADER = 'x-correlation-id'

/** Bounded and log-safe: no spaces, quotes or control characters can reach a log line through it. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/

export function correlationIdOf(req: IncomingMessage, generate: () => string = randomUUID): string {
  const given = req.headers[CORRELATION_HEADER]
  return typeof given === 'string' && CORRELATION_ID.test(given) ? given : generate()
}

/** info while developing, warn in production (NODE_ENV=production), unless LOG_LEVEL says otherwise. */
export function defaultLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  return env.NODE_ENV === 'production' ? 'warn' : 'info'
}

/**
 * Errors are logged as type, code and message. Stacks only at debug and trace: they are for whoever debugs
 * the broker, not for every log shipper, and database errors carry whole client objects that have no place
 * in a log line.
 */
export function errorSerializer(withStack: boolean) {
  return (err: unknown) => {
    if (!(err instanceof Error)) return { message: String(err) }
    const e = err as Error & { code?: unknown }
    return {
      type: e.name,
      message: e.message,
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(withStack && e.stack ? { stack: e.stack } : {}),
    }
  }
}

/**
 * Method, path and client address of a request. Never the query string: a token pasted as `?token=` (or
 * anything else secret in a URL) must not reach a log line.
 */
export function requestSerializer(req: { method?: string; url?: string; ip?: string; socket?: { remoteAddress?: string } }) {
  return { method: req.method, url: req.url?.split('?')[0], remoteAddress: req.ip ?? req.socket?.remoteAddress }
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { name: 'treaty-broker' },
      serializers: { err: errorSerializer(level === 'debug' || level === 'trace'), req: requestSerializer },
      // Belt and braces: fastify's request serializer does not log headers, but nothing may ever log a token.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.secret'], censor: '[redacted]' },
    },
    destination,
  )
}
