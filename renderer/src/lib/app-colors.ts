/**
 * One stable color per app, so a session keeps its color across the graph, the timeline and the lists.
 * Known sources get hand-picked hues that stay apart on the dark and light themes; others hash into the rest.
 */
const KNOWN: Record<string, string> = {
  okta: '#4f8cff',
  entra: '#2fb6d6',
  m365: '#e0783a',
  google_workspace: '#3fbf6a',
  slack: '#c05ad8',
  github: '#9aa4b5',
  salesforce: '#36a3e8',
  aws: '#f2a93b',
  generic: '#8e8e8e'
}

const SPARE = ['#d9629a', '#9bc53d', '#e6c84a', '#6c7ee1', '#48c9b0', '#e57373', '#b39ddb', '#80cbc4']

export const appColor = (app: string | null | undefined): string => {
  if (!app) return '#6b7280'
  const known = KNOWN[app]
  if (known) return known
  let h = 0
  for (let i = 0; i < app.length; i++) h = (h * 31 + app.charCodeAt(i)) >>> 0
  return SPARE[h % SPARE.length]
}
