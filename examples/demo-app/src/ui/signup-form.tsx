/** @jsx h */
// biome-ignore lint/correctness/noUnusedImports: h is the JSX factory named by the pragma above
import { h, type Markup } from "./h.js";

/**
 * The sign-up form served at `/signup`.
 * @param props - where the form posts to
 */
export function SignupForm(props: { action: string }): Markup {
  return (
    <form method="post" action={props.action}>
      <img src="/img/welcome-banner.png" />
      <input name="email" type="email" placeholder="you@example.com" />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" />
      <iframe src="/terms.html" width="100%" height="120" />
      <button>Sign up</button>
    </form>
  );
}

export function signupPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Sign up</title></head><body>${SignupForm({ action: "/api/session" })}</body></html>`;
}
