import { join } from "node:path";
import { createAppServer } from "./server.js";

const root = join(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 3000);
createAppServer({ publicDir: join(root, "public"), dataDir: join(root, "data") }).listen(port, () => {
  console.log(`demo-app on http://localhost:${port}`);
});
