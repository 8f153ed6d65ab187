/** A value as a short line of JSON for messages (`found "abc"`), never a 100 kB dump nor a throw. */
export function preview(value: unknown, max = 80): string {
  let text: string
  try {
    // JSON.stringify answers undefined for undefined, functions and symbols: show what they are instead.
    text = JSON.stringify(value) ?? String(value)
  } catch {
    // A BigInt or a cycle.
    text = safeString(value)
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function safeString(value: unknown): string {
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}
