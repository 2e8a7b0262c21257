// The Public Suffix List (through the maintained `tldts` package, never a hand-written list): a
// block on a public suffix reaches every unrelated registrant under it (`com`, `co.uk`,
// `github.io`), so the service and the sync treat such a domain as broad. The private section
// counts too: a block on `github.io` reaches every site hosted there. This module loads no
// database code, so the sync may use it.
import { getDomain, getPublicSuffix } from "tldts";

const OPTIONS = { allowPrivateDomains: true } as const;

/**
 * Whether a normalized domain is a bare TLD or a public suffix (ICANN or private section), so
 * that blocking it reaches unrelated registrants. Unknown TLDs count as suffixes, as the list's
 * default rule `*` says.
 */
export function isPublicSuffix(domain: string): boolean {
  return getPublicSuffix(domain, OPTIONS) === domain;
}

/** The registrable domain (`example.co.uk` for `a.example.co.uk`), or null for a public suffix. */
export function registrableDomain(domain: string): string | null {
  return getDomain(domain, OPTIONS);
}
