import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake GitHub received. */
export interface GitHubRequest {
  method: string;
  url: string;
  auth: string;
  body: Record<string, unknown>;
}

/**
 * A local server speaking GitHub's REST shape for `POST /repos/{owner}/{repo}/pulls` (201 with the new pull
 * request, or `status` with GitHub's error body); records each request. Dispose with `await using`.
 */
export async function fakeGitHub(status = 201) {
  const requests: GitHubRequest[] = [];
  const read = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const server = createServer((req, res) => {
    void read(req).then((body) => {
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        auth: req.headers.authorization ?? "",
        body,
      });
      res.setHeader("content-type", "application/json");
      if (status !== 201) {
        res.statusCode = status;
        res.end(
          JSON.stringify({
            message: "Validation Failed",
            errors: [{ message: "A pull request already exists" }],
          }),
        );
        return;
      }
      res.statusCode = 201;
      const { port } = server.address() as AddressInfo;
      res.end(
        JSON.stringify({ number: 7, html_url: `http://127.0.0.1:${port}/acme/app/pull/7`, state: "open" }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async [Symbol.asyncDispose]() {
      await new Promise((r) => server.close(r));
    },
  };
}
