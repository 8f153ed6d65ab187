/**
 * Errors raised before a request reaches a route, in the one error shape `{ error: { code, message } }` and
 * without echoing any of the request: a malformed URL (fastify's frameworkErrors), and what Node's HTTP
 * parser refuses on the socket (headers or URL too large, a request that did not arrive in time, garbage).
 */
import type { Socket } from 'node:net'
import type { FastifyReply } from 'fastify'
import { BrokerError, BrokerErrorCodes, errorBody } from '../errors.js'

export function frameworkErrors(_error: unknown, _request: unknown, reply: FastifyReply): void {
  const e = new BrokerError(BrokerErrorCodes.VALIDATION, 'the request URL is malformed (check its percent-encoding)', { path: 'url' })
  void reply.status(e.statusCode).send(errorBody(e))
}

const SOCKET_ERRORS: Record<string, [status: number, reason: string, message: string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'the request did not arrive in time; send it whole, without pauses'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'the URL or headers are larger than this broker accepts'],
}

export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, reason, message] = SOCKET_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'the request is not valid HTTP']
  const body = JSON.stringify({ error: { code: BrokerErrorCodes.VALIDATION, message } })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}
