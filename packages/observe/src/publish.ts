/**
 * Observations to the broker: per (provider version, consumer version, channel), the run's cumulative
 * totals. Sent at most every `intervalMs` and once at the end; a failed send is retried with the next batch,
 * and because totals are cumulative per run id, a send that arrives twice changes nothing.
 */
import type { BrokerClient, Observation } from '@treaty/core/client'
import type { MismatchFinding } from './types.js'

export function toObservations(findings: readonly MismatchFinding[], providerVersions: ReadonlyMap<string, string>): Observation[] {
  const out: Observation[] = []
  for (const f of findings) {
    const providerVersion = providerVersions.get(f.provider)
    // Evidence is about a provider version: traffic of a provider not deployed where we look names none.
    if (!providerVersion || !f.contentHash || f.checked === 0) continue
    out.push({
      provider: f.provider,
      providerVersion,
      consumer: f.consumer,
      consumerVersion: f.consumerVersion,
      contentHash: f.contentHash,
      channel: f.channel,
      messages: f.checked,
      mismatches: f.rejected,
      pointers: f.pointers.slice(0, 20),
      ...(f.examples[0] ? { example: f.examples[0] } : {}),
    })
  }
  return out
}

export class ObservationPublisher {
  #last = ''
  #lastAt = 0
  /** Sends that failed since the last success; reported so a run says the broker went away. */
  failures = 0

  constructor(
    private readonly client: BrokerClient,
    private readonly runId: string,
    private readonly environment: string,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sends when something changed and the interval has passed (or `force`); true when sent or nothing to send. */
  async maybePublish(observations: Observation[], force = false): Promise<boolean> {
    if (observations.length === 0) return true
    const body = JSON.stringify(observations)
    if (body === this.#last) return true
    if (!force && this.now() - this.#lastAt < this.intervalMs) return true
    this.#lastAt = this.now()
    // Large runs: the broker takes at most 500 observations per request.
    for (let i = 0; i < observations.length; i += 500) {
      await this.client.publishObservations({
        runId: this.runId,
        environment: this.environment,
        observations: observations.slice(i, i + 500),
      })
    }
    this.#last = body
    this.failures = 0
    return true
  }
}
