/**
 * Most expectations a message is tried against are not meant for it (another message kind on the same
 * channel). When an expectation requires a top-level property with a `const` (`kind: "invoice.paid"`), a
 * payload object holding another value there cannot match, and the validator need not run
 * (bench/observe/observer.mjs). Arrays and non-objects are always validated: `required` does not apply to them.
 */
export interface Discriminator {
  key: string
  value: string | number | boolean | null
}

export function discriminatorOf(schema: unknown): Discriminator | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined
  const { required, properties } = schema as { required?: unknown; properties?: Record<string, unknown> }
  if (!Array.isArray(required) || !properties) return undefined
  for (const key of required) {
    const value = (properties[key] as { const?: unknown } | undefined)?.const
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      return { key, value: value as string | number | boolean | null }
  }
  return undefined
}

/** False only when the discriminator proves the payload cannot match. */
export function mayMatch(d: Discriminator | undefined, payload: unknown): boolean {
  if (!d || typeof payload !== 'object' || payload === null || Array.isArray(payload)) return true
  return (payload as Record<string, unknown>)[d.key] === d.value
}
