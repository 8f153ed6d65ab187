/** The frame every page shares, and the small pieces they all use. */
import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ApiError } from './api.js'
import { href } from './router.js'
import { type PairState, STATE_INFO } from './states.js'
import { forgetToken, readToken, saveToken } from './token.js'
import type { Loaded } from './use-api.js'

const NAV: [string, string][] = [
  ['Overview', href()],
  ['Pairs', href('pairs')],
  ['Can I deploy?', href('can-i-deploy')],
  ['Environments', href('environments')],
  ['Webhooks', href('webhooks')],
]

export function Layout(props: { title: string; current: string; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${props.title} · Treaty`
  }, [props.title])
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href()}>
          Treaty
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([label, target]) => (
              <li key={label}>
                <a href={target} aria-current={props.current === label ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <TokenStatus />
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </>
  )
}

function TokenStatus() {
  const token = readToken()
  if (!token) return null
  return (
    <button
      type="button"
      class="link"
      onClick={() => {
        forgetToken()
        window.location.reload()
      }}
    >
      Forget token
    </button>
  )
}

export function StateBadge(props: { state: PairState; mode?: 'replay' | 'static' | null }) {
  const info = STATE_INFO[props.state]
  return (
    <span class="state" style={{ background: info.colour }} title={info.meaning} data-state={props.state}>
      {info.label}
      {props.mode ? ` · ${props.mode}` : ''}
    </span>
  )
}

export function Legend() {
  return (
    <ul class="legend" aria-label="Verification states">
      {(Object.keys(STATE_INFO) as PairState[]).map((s) => (
        <li key={s}>
          <StateBadge state={s} /> {STATE_INFO[s].meaning}
        </li>
      ))}
    </ul>
  )
}

/** Renders loading, error (a 401 becomes the token prompt) or the page's content. */
export function Show<T>(props: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  const { loaded } = props
  if (loaded.status === 'loading') return <p aria-live="polite">Loading…</p>
  if (loaded.status === 'error') {
    const e = loaded.error
    if (e instanceof ApiError && e.needsToken) return <TokenPrompt />
    return (
      <div class="error" role="alert">
        <p>
          <strong>{e instanceof ApiError ? e.code : 'Error'}</strong>: {e.message}
        </p>
      </div>
    )
  }
  return <>{props.children(loaded.data)}</>
}

/**
 * Asked for when the broker answers 401. The token stays in this tab (sessionStorage): nothing is shown
 * of the data without it.
 */
export function TokenPrompt() {
  const [value, setValue] = useState('')
  const wrong = readToken() !== null
  return (
    <form
      class="token"
      aria-labelledby="token-title"
      onSubmit={(e) => {
        e.preventDefault()
        if (value.trim() === '') return
        saveToken(value)
        window.location.reload()
      }}
    >
      <h2 id="token-title">This broker needs a token</h2>
      {wrong ? (
        <p role="alert">The token given is not accepted by this broker; enter another.</p>
      ) : (
        <p>Enter a read token. It is kept for this browser tab only, and forgotten when the tab closes.</p>
      )}
      <label for="token-input">Token</label>
      <input id="token-input" type="password" autocomplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      <button type="submit">Use token</button>
    </form>
  )
}
