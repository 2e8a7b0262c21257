import type { HttpClient } from "../http.js";
import { GoToSocialTarget } from "./gotosocial.js";
import { MastodonTarget } from "./mastodon.js";
import type { Target, TargetKind } from "./target.js";

export function connectTarget(kind: TargetKind, url: URL, token: string, http: HttpClient): Target {
  return kind === "mastodon"
    ? new MastodonTarget(url, token, http)
    : new GoToSocialTarget(url, token, http);
}
