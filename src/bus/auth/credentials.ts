import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Authenticator, credsAuthenticator, nkeyAuthenticator, nkeys } from "@nats-io/transport-node";
import { GuildError } from "../../protocol/index.js";
import {
  type IdentityName,
  type IdentityPlan,
  identityNames,
  permissionsFor,
} from "./identity-permissions.js";
import { renderAuthorization } from "./server-config.js";

const SEED = /^SU[A-Z2-7]{56}$/;
const JWT_CREDS = /-----BEGIN NATS USER JWT-----/;

/** The reply prefix of the identity with this public key: replies to it are readable by it alone. */
export function inboxPrefixOf(publicKey: string): string {
  return `_INBOX_${publicKey}`;
}

/** What `guild creds init` wrote. */
export interface WrittenIdentities {
  /** The nats-server authorization block, to `include` or pass with `-c`. */
  config: string;
  /** Identity name → its nkey seed file. */
  files: Record<IdentityName, string>;
}

function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  // An existing file keeps its old mode on write; the seed must not stay readable by others.
  chmodSync(path, 0o600);
}

/**
 * Writes one nkey seed file per identity (`<identity>.nk`, mode 0600) and `nats.conf`, the server's
 * authorization block with each identity's public key and permissions.
 */
export function writeIdentities(dir: string, plan: IdentityPlan): WrittenIdentities {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {} as Record<IdentityName, string>;
  const users = identityNames(plan).map((identity) => {
    const user = nkeys.createUser();
    const publicKey = user.getPublicKey();
    const file = join(dir, `${identity}.nk`);
    writePrivate(file, `${new TextDecoder().decode(user.getSeed())}\n`);
    files[identity] = file;
    return { identity, publicKey, permissions: permissionsFor(identity, plan, inboxPrefixOf(publicKey)) };
  });
  const config = join(dir, "nats.conf");
  writePrivate(config, renderAuthorization(users));
  return { config, files };
}

/** How a connection authenticates, read from a credentials file. */
export interface ConnectionAuth {
  authenticator: Authenticator;
  /** Set for nkey identities, whose permissions allow replies under this prefix only. */
  inboxPrefix?: string;
}

/**
 * Reads a credentials file: an nkey seed (`guild creds init`) or a decentralised-JWT `.creds` file.
 * A missing or malformed file is a `bus.unauthorized` error naming it.
 */
export function readCredentials(path: string): ConnectionAuth {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new GuildError(
      "bus.unauthorized",
      `cannot read NATS credentials ${path}: ${(e as Error).message}`,
      {
        cause: e,
        details: { path },
      },
    );
  }
  const bytes = new TextEncoder().encode(text);
  if (JWT_CREDS.test(text)) return { authenticator: credsAuthenticator(bytes) };
  const seed = text.trim();
  if (!SEED.test(seed)) {
    throw new GuildError(
      "bus.unauthorized",
      `NATS credentials ${path} hold neither a user nkey seed nor a .creds JWT`,
      { details: { path } },
    );
  }
  const publicKey = nkeys.fromSeed(new TextEncoder().encode(seed)).getPublicKey();
  return {
    authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
    inboxPrefix: inboxPrefixOf(publicKey),
  };
}
