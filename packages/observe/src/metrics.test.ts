import { encode, good, observed } from '@treaty/test-support'
import { afterEach, expect, it } from 'vitest'
import { metricsText, serveMetrics } from './metrics.js'
import { Observer } from './observer.js'

let close: (() => void) | undefined
afterEach(() => close?.())

it('serves per-channel verdicts, per-consumer mismatches and lag as Prometheus text over HTTP', async () => {
  const o = new Observer(observed)
  const at = new Date()
  o.handle({ subject: 'pdf.requested', headers: { 'Correlation-Id': 'c' }, payload: encode(good), receivedAt: at })
  o.handle({ subject: 'pdf.requested', headers: {}, payload: encode(good), receivedAt: at })
  o.handle({ subject: 'elsewhere', headers: {}, payload: encode({}), receivedAt: at })
  o.lagSeconds = 0.25
  const { server, url } = await serveMetrics(0, () => metricsText(o.report(), o.lagSeconds))
  close = () => server.close()
  const res = await fetch(url)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/)
  const text = await res.text()
  expect(text).toContain('treaty_observed_messages_total{channel="pdf.requested",verdict="accepted"} 1')
  expect(text).toContain('treaty_observed_messages_total{channel="pdf.requested",verdict="rejected"} 1')
  expect(text).toContain('treaty_observed_messages_total{channel="",verdict="uncovered"} 1')
  expect(text).toContain('treaty_observed_mismatches_total{consumer="pdf-worker",consumer_version="1.4.0",channel="pdf.requested"} 1')
  expect(text).toContain('treaty_observed_lag_seconds 0.25')
  expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404)
})
