/** Where the docs skill writes the generated API reference, relative to the worktree. */
export const API_DOC_PATH = "docs/API.md";
