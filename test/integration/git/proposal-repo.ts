import { tempRepo, writeFiles } from "../../helpers/git-repo.js";

/** A repository where each proposal is a branch committed on top of the base commit. */
export function proposalRepo(files: Record<string, string>) {
  const repo = tempRepo(files);
  const base = repo.head();
  let n = 0;
  const propose = (changes: Record<string, string | null>, from = base): string => {
    const branch = `p${++n}`;
    repo.git("checkout", "-q", "-b", branch, from);
    const writes = Object.fromEntries(
      Object.entries(changes).filter((e): e is [string, string] => e[1] !== null),
    );
    writeFiles(repo.path, writes);
    for (const [path, content] of Object.entries(changes)) if (content === null) repo.git("rm", "-q", path);
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", branch);
    const head = repo.head();
    repo.git("checkout", "-q", "main");
    return head;
  };
  return Object.assign(repo, { base, propose });
}
