/** Loads data for a page and re-renders on arrival; a 401 anywhere shows the token prompt instead. */
import { useEffect, useState } from 'preact/hooks'
import { ApiError } from './api.js'

export type Loaded<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: ApiError | Error }

export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' })
  useEffect(() => {
    let live = true
    setState({ status: 'loading' })
    load().then(
      (data) => live && setState({ status: 'ready', data }),
      (error: Error) => live && setState({ status: 'error', error }),
    )
    return () => {
      live = false
    }
    // The caller lists what the request depends on, like useEffect's own deps.
  }, deps)
  return state
}

export function isTokenError(error: unknown): boolean {
  return error instanceof ApiError && error.needsToken
}
