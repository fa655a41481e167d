import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's chromium (`apt-get install chromium`, as .ci/run does); playwright never downloads a browser here. */
export const CHROMIUM = process.env.GUILD_CHROMIUM ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Whether the system chromium is installed. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** A real headless chromium, closed on dispose: `await using browser = await launchChromium()`. */
export async function launchChromium(): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}
