/**
 * `--dry-run`: a broker client that records each request it would send and sends nothing, so the
 * printout is exactly what a real run sends (same methods, paths and bodies, built by the same code).
 */
import { BrokerClient } from '@treaty/core/client'
import { type Printer, paint } from '../output.js'
import type { Report, Verdict } from '../verdict.js'
import { type BrokerConnection, brokerClient } from './broker-client.js'

export interface PlannedRequest {
  method: string
  url: string
  body: unknown
}

export class DryRunClient extends BrokerClient {
  readonly planned: PlannedRequest[] = []

  override request<T>(method: string, path: string, body?: unknown): Promise<T> {
    this.planned.push({ method, url: `${this.url}${path}`, body })
    // Callers print a status when there is one; a dry run has none but this.
    return Promise.resolve({ status: 'dry run: not sent' } as T)
  }
}

/** Prints the requests a dry run would have sent: one line each, then the JSON body. */
export function printPlanned(p: Printer, planned: readonly PlannedRequest[], json: boolean | undefined): void {
  if (json) {
    p.out(JSON.stringify({ dryRun: true, requests: planned }, null, 2))
    return
  }
  p.out(`dry run: nothing sent; ${planned.length} request(s) would be sent:`)
  for (const r of planned) {
    p.out(`${r.method} ${r.url}`)
    if (r.body !== undefined) p.out(JSON.stringify(r.body, null, 2))
  }
}

/** A write command's last words: the planned requests of a dry run, the response as JSON, or `✓ <line>`. */
export function printOutcome(
  p: Report,
  client: BrokerClient | undefined,
  json: boolean | undefined,
  response: unknown,
  line: () => string,
): Verdict {
  if (client instanceof DryRunClient) printPlanned(p, client.planned, json)
  else if (json) p.out(JSON.stringify(response, null, 2))
  else p.out(`${paint(p, 'green', '✓')} ${line()}`)
  return p.verdict()
}

/** A dry-run client for the configured broker: the same URL checks as a real one, then nothing is sent. */
export function dryRunClient(options: BrokerConnection): DryRunClient {
  const real = brokerClient(options)
  return new DryRunClient({ url: real.url })
}
