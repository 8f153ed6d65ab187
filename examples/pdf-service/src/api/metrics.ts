/** A few Prometheus counters and one histogram, rendered as the text exposition format. No dependency. */
export class Metrics {
  readonly #counters = new Map<string, { help: string; values: Map<string, number> }>()
  readonly #histograms = new Map<string, { help: string; buckets: number[]; counts: number[]; sum: number; count: number }>()

  counter(name: string, help: string): (labels?: Record<string, string | number>, by?: number) => void {
    const entry = { help, values: new Map<string, number>() }
    this.#counters.set(name, entry)
    return (labels = {}, by = 1) => {
      const key = Object.entries(labels)
        .map(([label, value]) => `${label}="${String(value).replace(/["\\\n]/g, '_')}"`)
        .join(',')
      entry.values.set(key, (entry.values.get(key) ?? 0) + by)
    }
  }

  histogram(name: string, help: string, buckets: number[]): (value: number) => void {
    const entry = { help, buckets, counts: buckets.map(() => 0), sum: 0, count: 0 }
    this.#histograms.set(name, entry)
    return (value) => {
      entry.sum += value
      entry.count++
      buckets.forEach((bound, index) => {
        if (value <= bound) entry.counts[index]!++
      })
    }
  }

  render(): string {
    const lines: string[] = []
    for (const [name, { help, values }] of this.#counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`)
      if (values.size === 0) lines.push(`${name} 0`)
      for (const [labels, value] of values) lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`)
    }
    for (const [name, { help, buckets, counts, sum, count }] of this.#histograms) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`)
      for (const [index, bound] of buckets.entries()) lines.push(`${name}_bucket{le="${bound}"} ${counts[index]}`)
      lines.push(`${name}_bucket{le="+Inf"} ${count}`, `${name}_sum ${sum}`, `${name}_count ${count}`)
    }
    return `${lines.join('\n')}\n`
  }
}
