// The shape of "waiting for your vote" (layer-neutral: the route documents it, the web reads it).
import { z } from "zod";

export const awaitingProposal = z.object({
  id: z.number().int(),
  list: z.string(),
  listName: z.string(),
  kind: z.string(),
  domain: z.string(),
  reason: z.string(),
  openedAt: z.string(),
  closesAt: z.string(),
  /** Seconds until the window closes, at the time of the answer. */
  secondsLeft: z.number().int(),
});
export type AwaitingProposal = z.infer<typeof awaitingProposal>;

export const awaitingView = z.object({
  count: z.number().int(),
  items: z.array(awaitingProposal),
});
export type AwaitingView = z.infer<typeof awaitingView>;
