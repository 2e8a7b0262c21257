// Every page's frame: its one h1 (focused after client-side navigation), the document title,
// and a one-time message handed over by the page that navigated here.
import { useEffect, type ReactNode } from "react";
import { useLocation } from "react-router";
import { Banner } from "./Banner.js";

export interface Flash {
  flash?: string;
}

export function Page({
  title,
  eyebrow,
  lead,
  actions,
  children,
}: {
  title: ReactNode;
  eyebrow?: ReactNode;
  lead?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  const location = useLocation();
  const flash = (location.state as Flash | null)?.flash;
  const text = typeof title === "string" ? title : null;
  useEffect(() => {
    if (text) document.title = `${text} · Fediblock Commons`;
  }, [text]);
  return (
    <>
      <div className="page-head">
        <div>
          {eyebrow && <p className="page-head__eyebrow">{eyebrow}</p>}
          <h1 tabIndex={-1}>{title}</h1>
          {lead && <p className="page-head__lead">{lead}</p>}
        </div>
        {actions && <div className="page-head__actions">{actions}</div>}
      </div>
      {flash && <Banner kind="success">{flash}</Banner>}
      {children}
    </>
  );
}
