/**
 * One HTTP exchange for the broker client, on node:http / node:https rather than fetch: fetch loads undici
 * on first use, which cost a one-shot CLI command (can-i-deploy) about 50 ms of its start-up, more than the
 * request itself. The module for the URL's scheme loads on first use. Keep-alive as fetch's (the global agent).
 */
import type { IncomingMessage } from 'node:http'

export interface HttpAnswer {
  status: number
  statusText: string
  contentType: string | undefined
  /** Where a redirect points (the `location` header), which the client reports and never follows. */
  location: string | undefined
  text: string
}

/** A failure before a whole answer arrived: `code` is the system's (ECONNREFUSED, ECONNRESET…) or `TimeoutError`. */
export class HttpFailure extends Error {
  constructor(
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(code, options)
    this.name = 'HttpFailure'
  }
}

/** Sends one request; resolves when the whole body has arrived, within `timeoutMs` from the start (as AbortSignal.timeout). */
export async function send(
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpAnswer> {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
  const headers = init.body === undefined ? init.headers : { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) }
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = request(url, { method: init.method, headers })
    const timer = setTimeout(() => req.destroy(new HttpFailure('TimeoutError')), init.timeoutMs)
    const fail = (cause: unknown) => {
      clearTimeout(timer)
      reject(cause instanceof HttpFailure ? cause : new HttpFailure((cause as { code?: string }).code ?? (cause as Error).name, { cause }))
    }
    req.on('error', fail)
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', fail)
      // A reset while the body streams is a failure too, never a short answer.
      res.on('close', () => {
        if (!res.complete) fail(new HttpFailure('ECONNRESET'))
      })
      res.on('end', () => {
        clearTimeout(timer)
        if (!res.complete) return fail(new HttpFailure('ECONNRESET'))
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          contentType: res.headers['content-type'],
          location: res.headers.location,
          text: Buffer.concat(chunks).toString('utf8'),
        })
      })
    })
    req.end(init.body)
  })
}
