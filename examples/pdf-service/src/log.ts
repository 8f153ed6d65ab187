/**
 * pino for every service. Level from LOG_LEVEL (trace|debug|info|warn|error); default info, warn
 * with NODE_ENV=production. Anything about a job is logged through `jobLogger`, so the line
 * carries the job's `correlationId` whatever the message says.
 */
import pino, { type Logger } from 'pino'

export type { Logger }

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])

export function logLevel(env: NodeJS.ProcessEnv = process.env): string {
  const level = env.LOG_LEVEL?.toLowerCase()
  if (level && LEVELS.has(level)) return level
  return env.NODE_ENV === 'production' ? 'warn' : 'info'
}

export function createLogger(service: string, options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? logLevel(),
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  )
}

export function jobLogger(log: Logger, fields: { jobId?: string | null; correlationId: string }): Logger {
  return log.child(fields.jobId ? { correlationId: fields.correlationId, jobId: fields.jobId } : { correlationId: fields.correlationId })
}
