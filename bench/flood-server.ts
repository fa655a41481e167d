// Child process of flood.bench.ts: hosts scripted OpenAI servers, so building and sending a 60 MB reply
// costs this process's CPU, not the one the bench measures. Prints the base URLs as one JSON line.
import { startScriptedOpenAI } from "../test/helpers/scripted-llm/index.js";
import type { ScriptedTurn } from "../test/helpers/scripted-llm/script.js";

const scripts = JSON.parse(process.argv[2] ?? "[]") as ScriptedTurn[][];
const servers = await Promise.all(scripts.map((turns) => startScriptedOpenAI(turns)));
process.stdout.write(`${JSON.stringify(servers.map((s) => s.baseURL))}\n`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
