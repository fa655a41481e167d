// Runs git once through guild's helper and does nothing else: the process must still end by itself.
import { gitText } from "../../../src/git/git-exec.js";

console.log(await gitText(process.cwd(), ["--version"]));
