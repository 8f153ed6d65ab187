/**
 * Prometheus metrics in the text exposition format (0.0.4). Small on purpose: counters, one histogram
 * family, and gauges read at scrape time. Each broker instance exposes its own counts; Prometheus sums them.
 */

type Labels = Record<string, string>

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')

function labelText(labels: Labels): string {
  const keys = Object.keys(labels)
  if (keys.length === 0) return ''
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`
}

class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>()

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels)
    const entry = this.values.get(key)
    if (entry) entry.value += by
    else this.values.set(key, { labels, value: by })
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`]
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${value}`)
    return lines.join('\n')
  }
}

class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>()

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelText(labels)
    let s = this.series.get(key)
    if (!s) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }
      this.series.set(key, s)
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++
    s.sum += value
    s.count++
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`]
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) => {
        lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i]}`)
      })
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`)
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`)
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`)
    }
    return lines.join('\n')
  }
}

export interface Gauge {
  name: string
  help: string
  read: () => Promise<number> | number
}

export class Metrics {
  readonly httpRequests = new Counter('treaty_http_requests_total', 'HTTP requests answered, by method, route and status code.')
  readonly httpDuration = new Histogram(
    'treaty_http_request_duration_seconds',
    'Time to answer HTTP requests, by method and route.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  )
  readonly contractsPublished = new Counter('treaty_contracts_published_total', 'Contracts received in publish requests, by outcome.')
  readonly verificationsPublished = new Counter('treaty_verification_results_total', 'Verification results recorded, by outcome.')
  readonly webhookAttempts = new Counter('treaty_webhook_delivery_attempts_total', 'Webhook delivery attempts, by outcome.')
  private readonly gauges: Gauge[] = []

  addGauge(g: Gauge): void {
    this.gauges.push(g)
  }

  async render(): Promise<string> {
    const parts = [this.httpRequests, this.httpDuration, this.contractsPublished, this.verificationsPublished, this.webhookAttempts].map(
      (m) => m.render(),
    )
    for (const g of this.gauges) {
      let value: number
      try {
        value = await g.read()
      } catch {
        value = Number.NaN
      }
      parts.push(`# HELP ${g.name} ${g.help}\n# TYPE ${g.name} gauge\n${g.name} ${value}`)
    }
    return `${parts.join('\n')}\n`
  }
}
