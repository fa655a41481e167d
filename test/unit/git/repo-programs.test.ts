import { describe, expect, it } from "vitest";
import { gitCommandSync } from "../../../src/git/git-exec.js";
import {
  neutralSettings,
  repositoryProgramSettingsSync,
  withConfigEnv,
  withoutDiffPrograms,
} from "../../../src/git/repo-programs.js";
import { tempRepo } from "../../helpers/git-repo.js";

describe("switching off the programs a repository's config names", () => {
  it("empties every filter's commands and makes none required, whatever its name", () => {
    const settings = neutralSettings([
      "core.bare",
      "filter.lfs.clean",
      "filter.a=b.c.process",
      "filter.lfs.smudge",
    ]);
    expect(settings).toEqual([
      ["filter.lfs.clean", ""],
      ["filter.lfs.smudge", ""],
      ["filter.lfs.process", ""],
      ["filter.lfs.required", "false"],
      ["filter.a=b.c.clean", ""],
      ["filter.a=b.c.smudge", ""],
      ["filter.a=b.c.process", ""],
      ["filter.a=b.c.required", "false"],
    ]);
  });

  it("replaces a merge driver with git's own text merge and leaves other merge settings", () => {
    expect(neutralSettings(["merge.ours.driver", "merge.ours.name", "merge.conflictstyle"])).toEqual([
      ["merge.ours.driver", "git merge-file --marker-size=%L -L ours -L base -L theirs %A %O %B"],
    ]);
  });

  it("passes settings as numbered environment variables, so a name holding = stays whole", () => {
    expect(withConfigEnv({ LANG: "C" }, [["filter.a=b.clean", ""]])).toEqual({
      LANG: "C",
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "filter.a=b.clean",
      GIT_CONFIG_VALUE_0: "",
    });
    expect(withConfigEnv(undefined, [])).toEqual({});
  });

  it("keeps the config a caller already passes in the environment, after its own settings", () => {
    const caller = {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.x.extraheader",
      GIT_CONFIG_VALUE_0: "auth",
    };
    expect(withConfigEnv(caller, [["filter.f.clean", ""]])).toEqual({
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "filter.f.clean",
      GIT_CONFIG_VALUE_0: "",
      GIT_CONFIG_KEY_1: "http.x.extraheader",
      GIT_CONFIG_VALUE_1: "auth",
    });
  });

  it("puts the no-textconv and no-external-diff flags after the subcommand, past leading -c and -C", () => {
    expect(withoutDiffPrograms(["-c", "x.y=1", "diff", "a", "b"])).toEqual([
      "-c",
      "x.y=1",
      "diff",
      "--no-ext-diff",
      "--no-textconv",
      "a",
      "b",
    ]);
    expect(withoutDiffPrograms(["blame", "f"])).toEqual(["blame", "--no-textconv", "f"]);
    expect(withoutDiffPrograms(["merge-tree", "--write-tree", "a", "b"])).toEqual([
      "merge-tree",
      "--write-tree",
      "a",
      "b",
    ]);
  });

  it("reads a repository's config names synchronously once, again only after its config changed", () => {
    using repo = tempRepo();
    let listed = 0;
    const names = () => {
      listed++;
      return repo.git("config", "--list", "--name-only").split("\n");
    };
    expect(repositoryProgramSettingsSync(repo.path, names)).toEqual([]);
    expect(repositoryProgramSettingsSync(repo.path, names)).toEqual([]);
    expect(listed).toBe(1);
    repo.git("config", "filter.late.clean", "/bin/false");
    expect(repositoryProgramSettingsSync(repo.path, names)).toContainEqual(["filter.late.clean", ""]);
    expect(listed).toBe(2);
    // What an agent's own git processes get in that repository: the same settings, the hooks off, no user config.
    const { args, env } = gitCommandSync(repo.path, ["diff", "HEAD"]);
    expect(args).toEqual(expect.arrayContaining(["core.hooksPath=/dev/null", "diff", "--no-textconv"]));
    const keys = Object.entries(env).filter(([k]) => k.startsWith("GIT_CONFIG_KEY_"));
    expect(keys.map(([, v]) => v)).toEqual(
      expect.arrayContaining(["filter.late.clean", "filter.late.required"]),
    );
    expect(env.GIT_CONFIG_GLOBAL).toBe("/dev/null");
  });
});
