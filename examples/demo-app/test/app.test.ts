import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { API_KEY } from "../src/lib/auth.js";
import { createAppServer } from "../src/server.js";

const root = join(import.meta.dirname, "..");
const server = createAppServer({ publicDir: join(root, "public"), dataDir: join(root, "data") });
let base = "";

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function getJson(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const reply = await fetch(base + path, init);
  return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
}

test("the page is served", async () => {
  const reply = await fetch(`${base}/`);
  assert.equal(reply.status, 200);
  assert.match(await reply.text(), /<h1>Demo shop<\/h1>/);
});

test("the sign-up page renders its form", async () => {
  const reply = await fetch(`${base}/signup`);
  assert.equal(reply.status, 200);
  const html = await reply.text();
  assert.match(html, /<form method="post" action="\/api\/session">/);
  assert.match(html, /<input[^>]* name="email"/);
  assert.match(html, /<label for="password">Password<\/label>/);
  assert.match(html, /<button[^>]*>Sign up<\/button>/);
});

test("the calculator endpoint computes and refuses code", async () => {
  assert.deepEqual(await getJson(`/api/calc?expr=${encodeURIComponent("2+3*4")}`), {
    status: 200,
    body: { result: 14 },
  });
  assert.equal((await getJson(`/api/calc?expr=${encodeURIComponent("require('fs')")}`)).status, 400);
});

test("users are found by name and email", async () => {
  const byName = await getJson("/api/users?name=grace");
  assert.deepEqual(byName.body.users, [{ id: 2, name: "grace", email: "grace@example.com" }]);
  const byEmail = await getJson("/api/users?email=alan%40example.com");
  assert.deepEqual(byEmail.body.users, [{ id: 3, name: "alan", email: "alan@example.com" }]);
});

test("lines, slugs and carts", async () => {
  assert.deepEqual((await getJson("/api/lines?file=welcome.txt")).body, { lines: 3 });
  assert.deepEqual((await getJson("/api/slug?title=Hello%20There")).body, { slug: "hello-there" });
  const cart = await getJson("/api/cart", {
    method: "POST",
    body: JSON.stringify([{ sku: "a", unitCents: 1050, quantity: 3 }]),
  });
  assert.deepEqual(cart.body, { total: "EUR 31.50" });
});

test("sessions need the api key and a valid email", async () => {
  const post = (key: string, email: string) =>
    getJson("/api/session", {
      method: "POST",
      headers: { "x-api-key": key },
      body: JSON.stringify({ email }),
    });
  assert.equal((await post("wrong", "ada@example.com")).status, 401);
  assert.equal((await post(API_KEY, "not-an-email")).status, 400);
  const ok = await post(API_KEY, "ada@example.com");
  assert.equal(ok.status, 200);
  assert.match(String(ok.body.session), /^[a-z0-9]{16,}$/);
  assert.match(String(ok.body.token), /^ada@example\.com\./);
});
