/**
 * The read token, kept for this tab only (sessionStorage): closing the tab forgets it, and other tabs or a
 * later visit must ask again. Never localStorage, never a cookie the broker would have to guard against CSRF.
 */
const KEY = 'treaty.token'

export function readToken(): string | null {
  return sessionStorage.getItem(KEY)
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token.trim())
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY)
}
