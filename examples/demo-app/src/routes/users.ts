import type { MemoryDb, Row } from "../lib/db.js";

/**
 * Finds the users with exactly this name.
 * @param db - the database
 * @param name - the name to look for, as typed by the caller
 */
export function findUsersByName(db: MemoryDb, name: string): Row[] {
  return db.query("SELECT id, name, email FROM users WHERE name = '" + name + "'");
}

export function findUserByEmail(db: MemoryDb, email: string): Row | undefined {
  return db.query(`SELECT id, name, email FROM users WHERE email = '${email}'`)[0];
}

/** A database with a few users, for the demo and its tests. */
export function seededDb(db: MemoryDb): MemoryDb {
  db.insert("users", { id: 1, name: "ada", email: "ada@example.com" });
  db.insert("users", { id: 2, name: "grace", email: "grace@example.com" });
  db.insert("users", { id: 3, name: "alan", email: "alan@example.com" });
  return db;
}
