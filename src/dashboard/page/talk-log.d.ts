/** One line of a goal's talk: who told whom what, and why (types for the page module's tests). */
export interface TalkRow {
  seq: number;
  time: string;
  goalId: string | undefined;
  kind: string;
  from: string;
  to: string;
  what: string;
  why: string;
}

export function talkOf(
  events: readonly {
    type: string;
    source: string;
    time: string;
    goalId?: string | undefined;
    payload: unknown;
    seq: number;
  }[],
  goalId: string,
): TalkRow[];
