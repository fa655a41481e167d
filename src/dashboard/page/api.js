// Talks to the dashboard's JSON endpoints: reads with the page's cookie, changes with the token header.
const token = document.querySelector('meta[name="guild-token"]')?.content ?? "";

/** Whether this dashboard refuses changes (shared as a view). */
export const readOnly = document.querySelector('meta[name="guild-read-only"]')?.content === "true";

/** GETs a JSON endpoint; throws with the server's error text. */
export async function getJson(path) {
  const response = await fetch(path, { headers: { "x-guild-token": token } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

/** POSTs a change; resolves to the server's reply ({ok, message} or {error}). */
export async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-guild-token": token },
    body: JSON.stringify(body),
  });
  const reply = await response.json().catch(() => ({}));
  return {
    ok: response.ok && reply.ok !== false,
    message: reply.message ?? reply.error ?? response.statusText,
  };
}
