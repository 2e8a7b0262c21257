// Pieces shared by the pages of one list: reading it, its section tabs and its export links.
import { NavLink } from "react-router";
import { useResource } from "../api/hooks.js";
import type { BlockList } from "../api/types.js";
import { seg } from "../forms.js";
import { useSession } from "../session.js";

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
        <li>
          <NavLink to={`${base}/propose`}>Propose</NavLink>
        </li>
        <li>
          <NavLink to={`/import?list=${seg(list.slug)}`}>Import</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/sources`}>Sources</NavLink>
        </li>
      </ul>
    </nav>
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
