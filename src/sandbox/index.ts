export { type ChildEnvOptions, childEnv } from "./child-env.js";
