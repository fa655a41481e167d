import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { API_KEY, isAuthorized, signToken, verifyToken } from "../src/lib/auth.js";
import { calculate } from "../src/lib/calculator.js";
import { MemoryDb } from "../src/lib/db.js";
import { applyDiscount, cartTotal, formatPrice } from "../src/lib/pricing.js";
import { createSession, newSessionToken, sessionUser } from "../src/lib/session.js";
import { lineCount } from "../src/lib/shell.js";
import { slugify, truncateWords } from "../src/lib/slugify.js";
import { clampInt, isEmail, isHostName } from "../src/lib/validation.js";
import { findUserByEmail, findUsersByName, seededDb } from "../src/routes/users.js";

test("calculate follows operator precedence and parentheses", () => {
  assert.equal(calculate("2+3*4"), 14);
  assert.equal(calculate("(2+3)*4"), 20);
  assert.equal(calculate("10 / 4 - 1.5"), 1);
  assert.equal(calculate("-3 + 5"), 2);
  assert.throws(() => calculate("process.exit(1)"), /only numbers/);
});

test("signed tokens verify, forged ones do not", () => {
  const token = signToken("ada");
  assert.equal(verifyToken(token), "ada");
  assert.equal(verifyToken(`${token.slice(0, -2)}xx`), undefined);
  assert.equal(verifyToken("grace.not-a-mac"), undefined);
  assert.equal(isAuthorized(API_KEY), true);
  assert.equal(isAuthorized("wrong"), false);
  assert.equal(isAuthorized(undefined), false);
});

test("session tokens are long, distinct and map back to the user", () => {
  const a = newSessionToken();
  const b = newSessionToken();
  assert.match(a, /^[a-z0-9]{16,}$/);
  assert.notEqual(a, b);
  assert.equal(sessionUser(createSession("ada")), "ada");
});

test("lineCount counts the lines of a file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "demo-app-"));
  const file = join(dir, "notes.txt");
  writeFileSync(file, "a\nb\nc\n");
  assert.equal(await lineCount(file), 3);
});

test("the in-memory database answers selects with literals and parameters", () => {
  const db = seededDb(new MemoryDb());
  assert.deepEqual(db.query("SELECT name FROM users WHERE id = 2"), [{ name: "grace" }]);
  assert.deepEqual(db.query("SELECT id FROM users WHERE name = ? OR name = ?", ["ada", "alan"]), [
    { id: 1 },
    { id: 3 },
  ]);
  assert.throws(() => db.query("DROP TABLE users"), /expected SELECT/);
  assert.deepEqual(findUsersByName(db, "ada"), [{ id: 1, name: "ada", email: "ada@example.com" }]);
  assert.equal(findUserByEmail(db, "grace@example.com")?.name, "grace");
  assert.deepEqual(findUsersByName(db, "nobody"), []);
});

test("pure helpers", () => {
  assert.equal(slugify("Hello, World!"), "hello-world");
  assert.equal(slugify("Crème brûlée"), "creme-brulee");
  assert.equal(truncateWords("one two three", 2), "one two…");
  assert.equal(
    cartTotal([
      { sku: "a", unitCents: 250, quantity: 2 },
      { sku: "b", unitCents: 99, quantity: -1 },
    ]),
    500,
  );
  assert.equal(applyDiscount(1999, 10), 1799);
  assert.equal(applyDiscount(500, 150), 0);
  assert.equal(formatPrice(1234, "EUR"), "EUR 12.34");
  assert.equal(isEmail("ada@example.com"), true);
  assert.equal(isEmail("ada@example"), false);
  assert.equal(isHostName("example.com"), true);
  assert.equal(isHostName("a;rm -rf /"), false);
  assert.equal(clampInt(7.9, 0, 5), 5);
});
