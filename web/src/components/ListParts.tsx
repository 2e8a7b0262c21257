// Pieces shared by the pages of one list: reading it, its section tabs and its export links.
import { NavLink } from "react-router";
import { useResource } from "../api/hooks.js";
import type { BlockList } from "../api/types.js";
import { seg } from "../forms.js";
import { isAdmin, useSession } from "../session.js";
import { Banner } from "./Banner.js";
import { AbsoluteTime } from "./RelativeTime.js";

export function useList(slug: string) {
  return useResource<BlockList>(`/api/v1/lists/${seg(slug)}`);
}

export function ListTabs({ list }: { list: BlockList }) {
  const { me } = useSession();
  if (!me) return null;
  const base = `/l/${seg(list.slug)}`;
  return (
    <nav aria-label={`Sections of ${list.name}`}>
      <ul className="tabs">
        <li>
          <NavLink to={base} end>
            Entries ({list.counts.entries})
          </NavLink>
        </li>
        <li>
          <NavLink to={`${base}/proposals`}>Proposals ({list.counts.openProposals} open)</NavLink>
        </li>
        {/* An archived list takes no proposal and no import. */}
        {list.archivedAt === null && (
          <>
            <li>
              <NavLink to={`${base}/propose`}>Propose</NavLink>
            </li>
            <li>
              <NavLink to={`/import?list=${seg(list.slug)}`}>Import</NavLink>
            </li>
          </>
        )}
        {isAdmin(me) && (
          <li>
            <NavLink to={`/admin/lists/${seg(list.slug)}/edit`}>Settings</NavLink>
          </li>
        )}
        <li>
          <NavLink to={`${base}/sources`}>Sources</NavLink>
        </li>
      </ul>
    </nav>
  );
}

/** Says that the list is archived: read-only, its exports frozen at its last revision. */
export function ArchivedNotice({ list }: { list: BlockList }) {
  if (list.archivedAt === null) return null;
  return (
    <Banner kind="info" title="This list is archived">
      <p>
        Since <AbsoluteTime at={list.archivedAt} />, it is read-only: no proposals, imports or
        edits. Its exports and the feeds of its subscribers keep serving its last revision (
        {list.revision}), so nobody&apos;s blocks are removed.
      </p>
    </Banner>
  );
}

export const exportPath = (slug: string, format: "csv" | "json" | "txt", query = "") =>
  `/lists/${seg(slug)}.${format}${query}`;

export function DownloadLinks({ list }: { list: BlockList }) {
  return (
    <div className="downloads">
      <span className="muted small">Download:</span>
      <a className="button button--small" href={exportPath(list.slug, "csv")} download>
        CSV<span className="visually-hidden"> of {list.name} (Mastodon import)</span>
      </a>
      <a className="button button--small" href={exportPath(list.slug, "json")} download>
        JSON<span className="visually-hidden"> of {list.name}</span>
      </a>
      <a className="button button--small" href={exportPath(list.slug, "txt")} download>
        TXT<span className="visually-hidden"> of {list.name} (one domain per line)</span>
      </a>
      <a
        className="button button--small"
        href={exportPath(list.slug, "csv", "?min_severity=suspend")}
        download
      >
        Suspensions only<span className="visually-hidden"> (CSV of {list.name})</span>
      </a>
    </div>
  );
}

const percent = (threshold: number) => `${Math.round(threshold * 100)}%`;
const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/** The list's voting rules in words, folded under a summary of the main three. */
export function VotingRules({ list }: { list: BlockList }) {
  const { policy } = list;
  return (
    <details className="card voting-rules">
      <summary>
        Voting rules: quorum {policy.quorum} · {percent(policy.threshold)} yes ·{" "}
        {plural(policy.votingDays, "day")}
      </summary>
      <dl className="facts">
        <dt>Passes</dt>
        <dd>
          when at least {plural(policy.quorum, "instance")} voted yes or no and at least{" "}
          {percent(policy.threshold)} of them yes
          {policy.minOpenHours > 0 && `, once open ${plural(policy.minOpenHours, "hour")}`}
        </dd>
        <dt>Rejected</dt>
        <dd>if it has not passed {plural(policy.votingDays, "day")} after it opened</dd>
        <dt>Severity</dt>
        <dd>
          {policy.severityRule === "majority"
            ? "the one most yes votes chose (a tie goes to the stricter)"
            : "the strictest among the yes votes"}
        </dd>
        <dt>Evidence</dt>
        <dd>
          {policy.publicEvidence
            ? "links are shown to everyone"
            : "links are shown to signed-in members only"}
        </dd>
        <dt>Broad entries</dt>
        <dd>
          {policy.allowBroad
            ? "a bare TLD or public suffix may be listed, by vote only"
            : "a bare TLD or public suffix (such as co.uk) is refused"}
        </dd>
      </dl>
      <p className="muted small">Open proposals keep the rules they were opened under.</p>
    </details>
  );
}
