/**
 * Examples of rejected messages end up in terminals, JSON reports and the broker. Header values whose name
 * looks like a credential are replaced before anything is kept.
 */
const SECRET_NAME = /auth|token|secret|passw|api[-_]?key|cookie|session|credential|signature|private|bearer/i
const SECRET_VALUE = /^(bearer|basic|token)\s+\S/i
export const MASK = '***'

export function maskHeaders(headers: Record<string, string>, maxHeaders = 50, maxValue = 200): Record<string, string> {
  const out: Record<string, string> = {}
  let n = 0
  for (const [name, value] of Object.entries(headers)) {
    if (n++ >= maxHeaders) {
      out['…'] = `${Object.keys(headers).length - maxHeaders} more headers`
      break
    }
    out[name] = SECRET_NAME.test(name) || SECRET_VALUE.test(value) ? MASK : truncate(value, maxValue)
  }
  return out
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`
}
