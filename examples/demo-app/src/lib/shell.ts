import { exec } from "node:child_process";

/**
 * Counts the lines of a file with `wc -l`.
 * @param path - the file to count
 */
export function lineCount(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    exec(`wc -l ${path}`, (error, stdout) => {
      if (error) reject(error);
      else resolve(Number.parseInt(String(stdout).trim(), 10));
    });
  });
}
