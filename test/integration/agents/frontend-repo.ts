import { tempRepo } from "../../helpers/git-repo.js";

/** A repository whose `web/**` belongs to a frontend role with a quick scripted brain. */
export function frontendRepo() {
  return tempRepo({
    "guild.yaml": `version: 1
rules:
  - { pattern: "web/**", owners: ["@frontend"] }
roles:
  frontend: { brain: { kind: scripted, delayMs: 10 } }
`,
    "web/index.txt": "web\n",
  });
}
