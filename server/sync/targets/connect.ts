import { configFailure } from "../errors.js";
import type { HttpClient } from "../http.js";
import { Ledger, LedgerError } from "../ledger.js";
import { AkkomaTarget } from "./akkoma.js";
import { GoToSocialTarget } from "./gotosocial.js";
import { LemmyTarget } from "./lemmy.js";
import { MastodonTarget } from "./mastodon.js";
import { MisskeyTarget } from "./misskey.js";
import type { Target, TargetKind } from "./target.js";

/** What the targets without per-block comments need: the pair's state folder (ADR 0016). */
export interface TargetState {
  dir: string;
  /** A dry run: the ledger is read, never written. */
  readOnly: boolean;
}

export function connectTarget(
  kind: TargetKind,
  url: URL,
  token: string,
  http: HttpClient,
  state: TargetState,
): Target {
  const ledger = () => {
    try {
      return Ledger.load(state.dir, url.host, { readOnly: state.readOnly });
    } catch (error) {
      if (error instanceof LedgerError) throw configFailure(error.message);
      throw error;
    }
  };
  switch (kind) {
    case "mastodon":
      return new MastodonTarget(url, token, http);
    case "gotosocial":
      return new GoToSocialTarget(url, token, http);
    case "misskey":
      return new MisskeyTarget(url, token, http, ledger());
    case "akkoma":
      return new AkkomaTarget(url, token, http, ledger());
    case "lemmy":
      return new LemmyTarget(url, token, http, ledger());
  }
}
