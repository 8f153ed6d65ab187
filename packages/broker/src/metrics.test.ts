import { describe, expect, it } from 'vitest'
import { Metrics } from './metrics.js'

describe('Metrics', () => {
  it('renders counters, histograms and gauges in the Prometheus text format', async () => {
    const m = new Metrics()
    m.httpRequests.inc({ method: 'GET', route: '/api/services', status: '200' })
    m.httpRequests.inc({ method: 'GET', route: '/api/services', status: '200' })
    m.httpDuration.observe({ method: 'GET', route: '/api/services' }, 0.004)
    m.addGauge({ name: 'treaty_webhook_queue_depth', help: 'queued', read: async () => 3 })
    const text = await m.render()
    expect(text).toContain('# TYPE treaty_http_requests_total counter')
    expect(text).toContain('treaty_http_requests_total{method="GET",route="/api/services",status="200"} 2')
    expect(text).toContain('treaty_http_request_duration_seconds_bucket{method="GET",route="/api/services",le="0.0025"} 0')
    expect(text).toContain('treaty_http_request_duration_seconds_bucket{method="GET",route="/api/services",le="0.005"} 1')
    expect(text).toContain('treaty_http_request_duration_seconds_bucket{method="GET",route="/api/services",le="+Inf"} 1')
    expect(text).toContain('treaty_http_request_duration_seconds_count{method="GET",route="/api/services"} 1')
    expect(text).toContain('# TYPE treaty_webhook_queue_depth gauge\ntreaty_webhook_queue_depth 3')
    expect(text.endsWith('\n')).toBe(true)
  })

  it('escapes label values and reports a gauge it cannot read as NaN rather than failing the scrape', async () => {
    const m = new Metrics()
    m.httpRequests.inc({ method: 'GET', route: 'a"b\\c', status: '200' })
    m.addGauge({ name: 'g', help: 'h', read: () => Promise.reject(new Error('db down')) })
    const text = await m.render()
    expect(text).toContain('route="a\\"b\\\\c"')
    expect(text).toContain('g NaN')
  })
})
