import { GitSpawner, setGitRunner } from "../src/git/index.js";

/**
 * Runs this process's git as `guild up` runs the coordinator's: from the small helper process, not forked from
 * this large one (GUILD_GIT_SPAWNER=0 keeps execFile, to compare the two).
 */
export function runGitAsGuildUp(): void {
  if (process.env.GUILD_GIT_SPAWNER !== "0") setGitRunner(new GitSpawner());
}
