// The own-instance rule (SPEC §2, ADR 0015): an instance may not act on the block of its own
// domain, of a subdomain of it, or of a parent of it up to its registrable domain. Parents above
// the registrable domain are public suffixes (`co.uk`, `com`): blocking them reaches unrelated
// registrants, which the broad-domain rule governs, not this one. Used by propose, vote, decide,
// the curator's direct edit and direct imports, so that every path draws the line in one place.
import { isPublicSuffix, registrableDomain } from "./public-suffix.js";

/** Whether `target` (normalized) is `own`, a subdomain of it, or a parent up to its registrable domain. */
export function isOwnInstanceDomain(own: string, target: string): boolean {
  if (target === own || target.endsWith(`.${own}`)) return true;
  if (!own.endsWith(`.${target}`) || isPublicSuffix(target)) return false;
  const registrable = registrableDomain(own);
  return registrable !== null && (target === registrable || target.endsWith(`.${registrable}`));
}
