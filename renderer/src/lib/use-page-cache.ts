import { useMemo, useSyncExternalStore } from 'react'
import { PageCache, type FetchPage } from './page-cache'

/** A page cache per query key; components re-render when a page arrives. */
export const usePageCache = <T>(key: string, fetchPage: FetchPage<T>, pageSize = 100): PageCache<T> => {
  // The fetcher is captured with its key: a new key is a new query.
  const cache = useMemo(() => new PageCache<T>(fetchPage, pageSize), [key, pageSize])
  useSyncExternalStore(cache.subscribe, () => cache.version)
  return cache
}
