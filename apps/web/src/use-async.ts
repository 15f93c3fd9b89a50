// Loads something for a page and reloads it on demand, keeping the last value while reloading.

import { isClientError } from "@buildsim/client";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

/** A load's state: the value once loaded, the API's refusal if any, and `reload`. */
export interface AsyncState<T> {
  value: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change or `reload` is called; later answers win. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // The caller's deps decide when to reload.
  useEffect(() => {
    const run = ++latest.current;
    const controller = new AbortController();
    setLoading(true);
    load(controller.signal).then(
      (v) => {
        if (run !== latest.current) return;
        setValue(v);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (run !== latest.current || isClientError(e, "aborted")) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, tick]);
  return { value, error, loading, reload };
}
