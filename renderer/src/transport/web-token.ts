const TOKEN_KEY = 'afterlogin.token'

/** The per-launch token arrives in the URL fragment (never sent to a server); keep it for reloads, drop it from the address bar. */
export const takeToken = (): string | null => {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash)
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1])
    history.replaceState(null, '', location.pathname + location.search)
    return m[1]
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

/** Bearer header for the web mode's non-contract routes (uploads). */
export const webAuthHeader = (): Record<string, string> => {
  const token = sessionStorage.getItem(TOKEN_KEY)
  return token ? { Authorization: `Bearer ${token}` } : {}
}
