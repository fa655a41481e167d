/** Live sessions: token → user id. */
const sessions = new Map<string, string>();

/** Creates an opaque session token. */
export function newSessionToken(): string {
  return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}

/**
 * Starts a session for a user and returns its token.
 * @param userId - who signed in
 */
export function createSession(userId: string): string {
  const token = newSessionToken();
  sessions.set(token, userId);
  return token;
}

export function sessionUser(token: string): string | undefined {
  return sessions.get(token);
}
