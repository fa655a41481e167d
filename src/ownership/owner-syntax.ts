// GitHub accepts handles that end in `-` (old accounts such as `@tobias-`) and `_shortcode` suffixes.
const HANDLE = /^@[A-Za-z0-9][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.-]+)?$/;
const EMAIL = /^[^@\s/]+@[^@\s/]+\.[^@\s/]+$/;
const ROLE_NAME = /^[A-Za-z0-9_-]+$/;

/** What an owner token must look like, for error messages. */
export const OWNER_EXPECTED = "an owner: @role, @user, @org/team or an email address";

/** Whether a CODEOWNERS owner token is a handle (`@alice`, `@org/team`) or an email address. */
export function isOwnerToken(token: string): boolean {
  return HANDLE.test(token) || EMAIL.test(token);
}

/** Whether a guild.yaml owner is valid: a CODEOWNERS owner or a bare role name (`security`). */
export function isConfigOwner(token: string): boolean {
  return isOwnerToken(token) || ROLE_NAME.test(token);
}
