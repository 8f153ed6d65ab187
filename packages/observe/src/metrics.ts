/**
 * Prometheus text exposition (0.0.4) rendered from the observer's own aggregates at scrape time: the hot
 * path counts once, for the report and the metrics alike.
 */
import { createServer, type Server } from 'node:http'
import type { ObservationReport } from './types.js'

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',')}}`

export function metricsText(report: ObservationReport, lagSeconds: number): string {
  const lines: string[] = [
    '# HELP treaty_observed_messages_total Messages the observer checked, per channel and verdict.',
    '# TYPE treaty_observed_messages_total counter',
  ]
  for (const c of report.channels) {
    for (const [verdict, n] of [
      ['accepted', c.accepted],
      ['rejected', c.rejected],
      ['not-json', c.notJson],
    ] as const) {
      lines.push(`treaty_observed_messages_total${labels({ channel: c.channel, verdict })} ${n}`)
    }
  }
  const uncovered = report.uncovered.reduce((n, u) => n + u.count, report.uncoveredOther)
  lines.push(`treaty_observed_messages_total${labels({ channel: '', verdict: 'uncovered' })} ${uncovered}`)
  lines.push(
    '# HELP treaty_observed_mismatches_total Messages a consumer version would reject, per consumer version and channel.',
    '# TYPE treaty_observed_mismatches_total counter',
  )
  for (const m of report.mismatches) {
    lines.push(
      `treaty_observed_mismatches_total${labels({ consumer: m.consumer, consumer_version: m.consumerVersion, channel: m.channel })} ${m.rejected}`,
    )
  }
  lines.push(
    '# HELP treaty_observed_lag_seconds Time between publication and observation of the latest message (when the transport knows it).',
    '# TYPE treaty_observed_lag_seconds gauge',
    `treaty_observed_lag_seconds ${lagSeconds}`,
    '# HELP treaty_observed_skipped_total Messages skipped by sampling.',
    '# TYPE treaty_observed_skipped_total counter',
    `treaty_observed_skipped_total ${report.skipped}`,
  )
  return `${lines.join('\n')}\n`
}

/** Serves `/metrics` on 127.0.0.1:`port` (0 picks a free one); resolves to the server and its URL. */
export async function serveMetrics(port: number, render: () => string, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(render())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  const address = server.address()
  const bound = typeof address === 'object' && address ? address.port : port
  return { server, url: `http://${host}:${bound}/metrics` }
}
