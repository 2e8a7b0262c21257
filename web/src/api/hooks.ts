// Reading from the service in components: one resource, or a paged collection with "more".
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type Query } from "./client.js";
import type { Page } from "./types.js";

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replace the data with an answer the page already has (after a write). */
  setData: (data: T) => void;
}

/** GETs `path` (null: nothing yet) and again whenever it or the query changes. */
export function useResource<T>(path: string | null, query?: Query): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}`;

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api.get<T>(path, query, controller.signal).then(
      (answer) => {
        setData(answer);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // `key` stands for path and query.
  }, [key, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload, setData };
}

export interface Paged<T> {
  items: T[];
  error: unknown;
  loading: boolean;
  /** True until the first page has arrived. */
  initial: boolean;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/** A `{items, nextCursor}` collection, read page by page. */
export function usePaged<T>(path: string | null, query: Query = {}, limit = 50): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [initial, setInitial] = useState(true);
  const [version, setVersion] = useState(0);
  const controller = useRef<AbortController | null>(null);
  const key = path === null ? null : `${path}?${JSON.stringify(query)}`;

  const fetchPage = useCallback(
    (from: string | null, replace: boolean) => {
      if (path === null) return;
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setLoading(true);
      setError(null);
      api.get<Page<T>>(path, { ...query, limit, cursor: from }, current.signal).then(
        (page) => {
          setItems((old) => (replace ? page.items : [...old, ...page.items]));
          setCursor(page.nextCursor);
          setLoading(false);
          setInitial(false);
        },
        (failure: unknown) => {
          if (current.signal.aborted) return;
          setError(failure);
          setLoading(false);
          setInitial(false);
        },
      );
    },
    // `key` stands for path and query.
    [key, limit],
  );

  useEffect(() => {
    setInitial(true);
    fetchPage(null, true);
    return () => controller.current?.abort();
  }, [fetchPage, version]);

  return {
    items,
    error,
    loading,
    initial,
    hasMore: cursor !== null,
    loadMore: () => fetchPage(cursor, false),
    reload: () => setVersion((v) => v + 1),
  };
}
