import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temp directory removed on dispose: `await using dir = tempDir()` / `using dir = tempDir()`. */
export function tempDir(
  prefix = "guild-test-",
  parent = tmpdir(),
): {
  path: string;
  [Symbol.dispose](): void;
  [Symbol.asyncDispose](): Promise<void>;
} {
  const path = mkdtempSync(join(parent, prefix));
  const remove = () => rmSync(path, { recursive: true, force: true });
  return { path, [Symbol.dispose]: remove, [Symbol.asyncDispose]: async () => remove() };
}
