import {
  AuthorizationError,
  type NodeConnectionOptions,
  UserAuthenticationExpiredError,
} from "@nats-io/transport-node";
import { GuildError } from "../../protocol/index.js";
import { readCredentials } from "../auth/credentials.js";

/** Where and as whom a guild process connects. */
export interface NatsTarget {
  /** One server URL, or several separated by commas; `nats://user:password@host:port` carries a user. */
  url: string;
  /** A credentials file (nkey seed or JWT .creds); `NATS_CREDS` is read by the callers that default it. */
  creds?: string;
}

/**
 * The client options for a target: the servers without their user info, and the user and password from
 * the URL or the authenticator from the credentials file (nats.js does not read a URL's user info).
 */
export function connectionOptions(target: NatsTarget): Partial<NodeConnectionOptions> {
  let user: string | undefined;
  let pass: string | undefined;
  const servers = target.url
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((server) => {
      const withScheme = /^[a-z]+:\/\//i.test(server) ? server : `nats://${server}`;
      let parsed: URL;
      try {
        parsed = new URL(withScheme);
      } catch {
        throw new GuildError("bus.unavailable", `not a NATS URL: ${server}`, { details: { url: server } });
      }
      if (parsed.username) {
        user = decodeURIComponent(parsed.username);
        pass = decodeURIComponent(parsed.password);
      }
      return `${parsed.protocol}//${parsed.host}`;
    });
  const options: Partial<NodeConnectionOptions> = { servers };
  if (target.creds) {
    const auth = readCredentials(target.creds);
    options.authenticator = auth.authenticator;
    if (auth.inboxPrefix) options.inboxPrefix = auth.inboxPrefix;
  } else if (user !== undefined) {
    options.user = user;
    options.pass = pass ?? "";
  }
  return options;
}

/**
 * Whether a connection error is the server refusing who we are (bad user, password or key): the client's
 * error classes for the server's `-ERR` say so, on the error or its cause; the message is not read.
 */
export function isAuthFailure(e: unknown): boolean {
  for (let at: unknown = e, depth = 0; at instanceof Error && depth < 4; at = at.cause, depth++) {
    if (at instanceof AuthorizationError || at instanceof UserAuthenticationExpiredError) return true;
  }
  return false;
}
