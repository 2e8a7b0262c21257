// Proof that an appellant speaks for the listed domain (docs/decisions/0031): the domain serves
// the appeal's verification token at /.well-known/fediblock-verification, as ACME's http-01
// challenge serves its key authorization. The fetch goes through the outbound policy
// (server/net/outbound.ts): https only, no private addresses, no redirect to another host.
//
// Error contract: `checkDomainServes` never throws for what the domain's server did; it answers
// a union saying what was found, which the service turns into a 422 with that code.
import { OutboundError, outboundFetch, type OutboundPolicy } from "../net/outbound.js";

export const WELL_KNOWN_PATH = "/.well-known/fediblock-verification";
/** The token is short: anything much longer is not a token file. */
const MAX_BYTES = 1024;
const TIMEOUT_MS = 10_000;

/** The URL `domain` serves its token at, under FEDIBLOCK_VERIFICATION_BASE. */
export const verificationUrl = (base: string, domain: string) =>
  `${base.replaceAll("{domain}", domain)}${WELL_KNOWN_PATH}`;

export type VerificationFinding =
  | { ok: true }
  | {
      ok: false;
      code:
        | "verification_mismatch"
        | "verification_not_found"
        | "verification_status"
        | "verification_unreachable";
      message: string;
    };

/** A short, printable excerpt of what was served instead of the token. */
function excerpt(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, "?");
  return printable.length > 60 ? `${printable.slice(0, 60)}…` : printable;
}

export async function checkDomainServes(
  url: string,
  token: string,
  policy: OutboundPolicy,
): Promise<VerificationFinding> {
  let answer;
  try {
    answer = await outboundFetch(url, policy, {
      headers: { accept: "text/plain" },
      maxBytes: MAX_BYTES,
      timeoutMs: TIMEOUT_MS,
    });
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    if (error.code === "outbound_too_large") {
      return {
        ok: false,
        code: "verification_mismatch",
        message: `${url} serves more than ${MAX_BYTES} bytes: serve the token alone.`,
      };
    }
    return {
      ok: false,
      code: "verification_unreachable",
      message: `${url} could not be fetched: ${error.message}.`,
    };
  }
  if (answer.status === 404 || answer.status === 410) {
    return {
      ok: false,
      code: "verification_not_found",
      message: `${url} answered ${answer.status}: serve the token there (a plain text file), then verify again.`,
    };
  }
  if (answer.status < 200 || answer.status >= 300) {
    return {
      ok: false,
      code: "verification_status",
      message: `${url} answered ${answer.status}; it must answer 200 with the token.`,
    };
  }
  const served = answer.body.toString("utf8").trim();
  if (served !== token) {
    return {
      ok: false,
      code: "verification_mismatch",
      message:
        served === ""
          ? `${url} serves an empty file: serve this appeal's token.`
          : `${url} serves "${excerpt(served)}", not this appeal's token.`,
    };
  }
  return { ok: true };
}
