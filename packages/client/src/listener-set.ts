// A set of listeners for one event, where one listener that throws does not keep the others from running.

/** Listeners of one event with arguments `A`. */
export class ListenerSet<A extends unknown[]> {
  private readonly listeners = new Set<(...args: A) => void>();

  /** Adds `listener`; returns the function that removes it. */
  add(listener: (...args: A) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls every listener with `args`; an error thrown by one goes to `onThrow`, the rest still run. */
  emit(args: A, onThrow: (error: Error) => void): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(...args);
      } catch (error) {
        onThrow(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}
