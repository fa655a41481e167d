/**
 * Calls `deliver` for each message in arrival order: synchronously while deliveries stay synchronous,
 * queued behind the pending one once a delivery returns a promise, so async handlers keep per-subject order
 * without paying for a promise per message on the fast path.
 */
export function serialDelivery<M>(
  deliver: (message: M) => void | Promise<void>,
  onError: (error: unknown, message: M) => void,
): { push(message: M): void; idle(): Promise<void> } {
  let tail: Promise<void> | undefined;
  const run = (message: M): Promise<void> | undefined => {
    try {
      const out = deliver(message);
      return out instanceof Promise ? out.catch((e: unknown) => onError(e, message)) : undefined;
    } catch (e) {
      onError(e, message);
      return undefined;
    }
  };
  return {
    push(message) {
      if (tail) {
        const next: Promise<void> = tail.then(() => run(message));
        tail = next;
        void next.then(() => {
          if (tail === next) tail = undefined;
        });
        return;
      }
      const pending = run(message);
      if (pending) {
        tail = pending;
        void pending.then(() => {
          if (tail === pending) tail = undefined;
        });
      }
    },
    idle: () => tail ?? Promise.resolve(),
  };
}
