import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempRepo } from "./git-repo.js";

/**
 * A repository whose config names programs for its attributes to run: filters (one a long-running
 * process), a diff driver's textconv and command, an external diff, a merge driver, and signing. The
 * program appends a line to `marker` each time it runs and passes content through, so only the marker
 * tells that it ran. `.ts` files get the filter, diff and merge driver, `.md` files the process filter.
 */
export function plantedRepo(marker: string, scratch: string, files: Record<string, string>) {
  const repo = tempRepo({
    ...files,
    ".gitattributes": "*.ts filter=evil diff=evil merge=evil\n*.md filter=long\n",
  });
  const prog = join(scratch, "prog.sh");
  writeFileSync(prog, `#!/bin/sh\necho "$0 $*" >> ${marker}\nif [ -f "$1" ]; then cat "$1"; else cat; fi\n`);
  chmodSync(prog, 0o755);
  const settings: [string, string][] = [
    ["filter.evil.clean", prog],
    ["filter.evil.smudge", prog],
    ["filter.evil.required", "true"],
    ["filter.long.process", prog],
    ["diff.evil.textconv", prog],
    ["diff.evil.command", prog],
    ["diff.external", prog],
    ["merge.evil.driver", `${prog} %O %A %B`],
    ["commit.gpgSign", "true"],
    ["gpg.program", prog],
    ["log.showSignature", "true"],
  ];
  for (const [key, value] of settings) repo.git("config", key, value);
  return repo;
}
