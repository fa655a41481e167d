// The page's copy of the event log: every event from the feed, in sequence order, with the last id seen.
// EventSource resends that id (Last-Event-ID) when it reconnects; when it gives up (the dashboard was down
// for longer), a new one starts after the last sequence, so a restart loses nothing either way.

const RETRY_MS = 1000;

/** Role of an event: the agent's role for agents' events, else the source (coordinator, cli, dashboard). */
export function roleOf(event) {
  const role = event.payload?.role;
  if (typeof role === "string") return role;
  return event.source.replace(/-\d+$/, "");
}

export function createEventStore() {
  const events = [];
  const listeners = new Set();
  let lastSeq = 0;
  let status = "connecting";
  let source;
  let pending = [];
  let frame = 0;

  function flush() {
    frame = 0;
    const batch = pending;
    pending = [];
    for (const listener of listeners) listener(batch);
  }

  function connect() {
    source = new EventSource(`/api/events?after=${lastSeq}`);
    source.addEventListener("open", () => setStatus("live"));
    source.addEventListener("guild", (message) => {
      const seq = Number(message.lastEventId);
      if (!(seq > lastSeq)) return;
      lastSeq = seq;
      const event = JSON.parse(message.data);
      event.seq = seq;
      events.push(event);
      pending.push(event);
      // One render per frame, however many events arrive in it.
      if (!frame) frame = requestAnimationFrame(flush);
    });
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) {
        setStatus("reconnecting");
        setTimeout(connect, RETRY_MS);
      } else setStatus("reconnecting");
    });
  }

  function setStatus(next) {
    if (status === next) return;
    status = next;
    for (const listener of listeners) listener([]);
  }

  connect();
  return {
    events,
    get lastSeq() {
      return lastSeq;
    },
    get status() {
      return status;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
