import type { IdentityName, Permissions } from "./identity-permissions.js";

/** One nkey user of the server's authorization block. */
export interface AuthUser {
  identity: IdentityName;
  publicKey: string;
  permissions: Permissions;
}

/**
 * The nats-server `authorization` block for these users (nats-server reads JSON inside its config syntax),
 * with each identity's name as a comment so a person can tell the keys apart.
 */
export function renderAuthorization(users: AuthUser[]): string {
  const entries = users.map(({ identity, publicKey, permissions }) => {
    const perms: Record<string, unknown> = {
      publish: { allow: permissions.publish },
      subscribe: { allow: permissions.subscribe },
    };
    if (permissions.allowResponses) perms.allow_responses = true;
    const body = JSON.stringify({ nkey: publicKey, permissions: perms }, null, 2).replaceAll("\n", "\n    ");
    return `    # ${identity}\n    ${body}`;
  });
  return [
    "# Written by `guild creds init`: one nkey user per guild identity, with the subjects it may use.",
    "# Pass it to nats-server with -c, or `include` it from your own config.",
    "authorization {",
    "  users = [",
    entries.join(",\n"),
    "  ]",
    "}",
    "",
  ].join("\n");
}
