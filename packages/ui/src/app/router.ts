/**
 * Hash routes (`#/pairs?q=pdf`): the broker serves one index.html and never needs to know the UI's paths,
 * so an unknown path on the server stays the API's JSON 404.
 */
import { useEffect, useState } from 'preact/hooks'

export interface Route {
  /** Path segments, decoded: `#/services/pdf-api` → ['services', 'pdf-api']. */
  segments: string[]
  query: URLSearchParams
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '')
  const [path = '', qs = ''] = raw.split('?', 2)
  const segments = path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s))
  return { segments, query: new URLSearchParams(qs) }
}

/** A link target: `href('services', name)` → `#/services/<name>`, with an optional query. */
export function href(...parts: (string | Record<string, string | undefined>)[]): string {
  const segments = parts.filter((p): p is string => typeof p === 'string').map((p) => encodeURIComponent(p))
  const query = parts.find((p): p is Record<string, string | undefined> => typeof p === 'object')
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, v)
  const qs = params.toString()
  return `#/${segments.join('/')}${qs ? `?${qs}` : ''}`
}

export function navigate(target: string): void {
  window.location.hash = target.replace(/^#/, '')
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}
