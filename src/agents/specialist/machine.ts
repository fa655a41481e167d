import { assign, fromPromise, setup } from "xstate";
import type { Proposal, TaskAssignment } from "../../protocol/index.js";

/** A task's worktree as the specialist sees it. */
export interface PreparedWorkspace {
  dir: string;
  branch: string;
  sparse: boolean;
}

/** What the brain's run left behind. */
export interface WorkOutcome {
  summary: string;
  inputTokens: number;
  outputTokens: number;
  /** Set when a budget stopped the work: the proposal is partial. */
  budgetExceeded?: string;
  /** Paths the brain's writes (write_file, apply_patch) reported as done. */
  wrote?: string[];
}

export type Assignment = TaskAssignment["payload"];

export interface SpecialistContext {
  agentId: string;
  role: string;
  assignment: Assignment | undefined;
  workspace: PreparedWorkspace | undefined;
  outcome: WorkOutcome | undefined;
  proposal: Proposal | undefined;
  error: string | undefined;
}

export type SpecialistEvent =
  | { type: "CLAIM"; assignment: Assignment }
  | { type: "CANCEL"; reason: string }
  | { type: "RESET" };

/**
 * The specialist: idle → claimed → workspaceReady → working|revising → proposing → proposed → idle.
 * Stage logic is injected with `.provide({ actors })`, so the machine is pure and testable on its own.
 */
const specialist = setup({
  types: {
    context: {} as SpecialistContext,
    events: {} as SpecialistEvent,
    input: {} as { agentId: string; role: string },
  },
  actors: {
    prepareWorkspace: fromPromise<PreparedWorkspace, { assignment: Assignment }>(async () => {
      throw new Error("prepareWorkspace must be provided");
    }),
    work: fromPromise<WorkOutcome, { assignment: Assignment; workspace: PreparedWorkspace }>(async () => {
      throw new Error("work must be provided");
    }),
    propose: fromPromise<
      Proposal,
      { assignment: Assignment; workspace: PreparedWorkspace; outcome: WorkOutcome }
    >(async () => {
      throw new Error("propose must be provided");
    }),
  },
  guards: {
    isRevision: ({ context }) => Boolean(context.assignment?.feedback),
  },
  actions: {
    recordError: assign({
      error: (_, params: { error: unknown }) =>
        params.error instanceof Error ? params.error.message : String(params.error),
    }),
  },
});

/** Working and revising run the same brain loop; revising differs only in that the task carries feedback. */
const workState = specialist.createStateConfig({
  invoke: {
    src: "work",
    input: ({ context }) => ({
      assignment: context.assignment as Assignment,
      workspace: context.workspace as PreparedWorkspace,
    }),
    onDone: { target: "proposing", actions: assign({ outcome: ({ event }) => event.output }) },
    onError: {
      target: "failed",
      actions: { type: "recordError", params: ({ event }) => ({ error: event.error }) },
    },
  },
  on: { CANCEL: "cancelled" },
});

export const specialistMachine = specialist.createMachine({
  id: "specialist",
  initial: "idle",
  context: ({ input }) => ({
    agentId: input.agentId,
    role: input.role,
    assignment: undefined,
    workspace: undefined,
    outcome: undefined,
    proposal: undefined,
    error: undefined,
  }),
  states: {
    idle: {
      entry: assign({ assignment: undefined, workspace: undefined, outcome: undefined, proposal: undefined }),
      on: {
        CLAIM: {
          target: "claimed",
          actions: assign({ assignment: ({ event }) => event.assignment, error: undefined }),
        },
      },
    },
    claimed: {
      invoke: {
        src: "prepareWorkspace",
        input: ({ context }) => ({ assignment: context.assignment as Assignment }),
        onDone: { target: "workspaceReady", actions: assign({ workspace: ({ event }) => event.output }) },
        onError: {
          target: "failed",
          actions: { type: "recordError", params: ({ event }) => ({ error: event.error }) },
        },
      },
      on: { CANCEL: "cancelled" },
    },
    workspaceReady: {
      always: [{ guard: "isRevision", target: "revising" }, { target: "working" }],
    },
    working: workState,
    revising: workState,
    proposing: {
      invoke: {
        src: "propose",
        input: ({ context }) => ({
          assignment: context.assignment as Assignment,
          workspace: context.workspace as PreparedWorkspace,
          outcome: context.outcome as WorkOutcome,
        }),
        onDone: { target: "proposed", actions: assign({ proposal: ({ event }) => event.output }) },
        onError: {
          target: "failed",
          actions: { type: "recordError", params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    proposed: { on: { RESET: "idle" } },
    failed: { on: { RESET: "idle" } },
    cancelled: { on: { RESET: "idle" } },
  },
});
