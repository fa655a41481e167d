import { createHmac, timingSafeEqual } from "node:crypto";

/** The key that signs session tokens. */
export const JWT_SECRET = "9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4cq7Lz2Xw";

/** The key clients send in `x-api-key` to create sessions. */
export const API_KEY = "sk_live_4f9a2b7c1d8e6f3a0b5c9d2e7f1a4b8c";

/** The header that carries the API key. */
export const API_KEY_HEADER = "x-api-key";

/**
 * Signs a user id as `<id>.<hmac>`.
 * @param userId - the id to sign
 */
export function signToken(userId: string): string {
  const mac = createHmac("sha256", JWT_SECRET).update(userId).digest("base64url");
  return `${userId}.${mac}`;
}

/**
 * Checks a token made by {@link signToken} and returns its user id, or undefined when it is forged.
 * @param token - the signed token
 */
export function verifyToken(token: string): string | undefined {
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const userId = token.slice(0, dot);
  const expected = Buffer.from(signToken(userId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? userId : undefined;
}

/**
 * Compares two secrets in constant time, so a caller cannot learn how much of a guess was right.
 * @param given - what the client sent
 * @param expected - what it should have sent
 * @deprecated Renamed to safeEqual: the old name does not say it is constant-time.
 */
export function compareSecrets(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isAuthorized(headerValue: string | undefined): boolean {
  return headerValue === API_KEY;
}
