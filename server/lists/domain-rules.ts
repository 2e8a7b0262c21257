// The two rules on which domains a caller may act (SPEC §2, ADR 0015), in one place for every
// path (propose, vote, decide, the direct edit, imports):
// - own instance: an instance may not act on the block of its own domain, a subdomain of it, or
//   a parent of it up to its registrable domain (403 `own_instance`);
// - broad domains: a bare TLD or public suffix reaches every unrelated registrant under it, so it
//   may be listed only on a list whose policy sets `allowBroad`, and then only by vote (403
//   `broad_domain`).
import type { Actor } from "../accounts/actor.js";
import { isOwnInstanceDomain } from "../domains/own-instance.js";
import { isPublicSuffix } from "../domains/public-suffix.js";
import { forbidden } from "../errors.js";

export function ownInstanceIsTarget(actor: Actor | "system", domain: string): boolean {
  if (actor === "system") return false;
  const own = actor.instance?.domain;
  return own !== undefined && isOwnInstanceDomain(own, domain);
}

/** Throws 403 `own_instance` when `domain` is the caller's instance's (see above). */
export function refuseOwnInstance(actor: Actor, domain: string, doing: string): void {
  if (!ownInstanceIsTarget(actor, domain)) return;
  throw forbidden(
    `${domain} is your own instance's domain (or its parent or subdomain): your instance cannot ${doing} its own block; another instance must.`,
    "own_instance",
  );
}

export const isBroadDomain = isPublicSuffix;

export const broadForbidden = (domain: string, slug: string) =>
  forbidden(
    `${domain} is a public suffix (a bare TLD or a suffix such as co.uk): blocking it blocks every unrelated server under it. The list ${slug} does not allow such entries (its policy's allowBroad is false).`,
    "broad_domain",
  );

export const broadOnlyByVote = (domain: string) =>
  forbidden(
    `${domain} is a public suffix (a bare TLD or a suffix such as co.uk): blocking it blocks every unrelated server under it, so it may pass only by the members' votes, never by a curator's decision.`,
    "broad_domain",
  );
