// The one way to show an outcome: an error (role="alert"), a success or a note (role="status").
import type { ReactNode } from "react";
import { Link } from "react-router";
import { ApiError, messageOf } from "../api/client.js";

export function Banner({
  kind,
  title,
  children,
}: {
  kind: "error" | "success" | "warning" | "info";
  title?: string;
  children?: ReactNode;
}) {
  return (
    <div
      className={`banner banner--${kind}`}
      role={kind === "error" ? "alert" : "status"}
      // An error can receive focus: a form whose error no field shows moves focus here.
      tabIndex={kind === "error" ? -1 : undefined}
    >
      {title && <p className="banner__title">{title}</p>}
      {children}
    </div>
  );
}

/**
 * An error from the service: its `detail`, and the field errors that no field on the page shows
 * (pass the field paths the form places next to its inputs as `placed`).
 */
export function ErrorBanner({
  error,
  title = "That did not work",
  placed,
}: {
  error: unknown;
  title?: string;
  placed?: (field: string) => boolean;
}) {
  if (!error) return null;
  const unplaced =
    error instanceof ApiError
      ? error.errors.filter((problem) => !problem.field || !placed?.(problem.field))
      : [];
  const heading = error instanceof ApiError && error.status === 0 ? "Network error" : title;
  return (
    <Banner kind="error" title={heading}>
      <p>{messageOf(error)}</p>
      {error instanceof ApiError && error.proposalId !== undefined && (
        <p>
          <Link to={`/proposals/${error.proposalId}`}>Open proposal {error.proposalId}</Link>
        </p>
      )}
      {unplaced.length > 0 && (
        <ul>
          {unplaced.map((problem, index) => (
            <li key={index}>
              {problem.field && problem.field !== "(body)" && <code>{problem.field}</code>}
              {problem.line !== undefined && <>line {problem.line}</>}
              {(problem.field && problem.field !== "(body)") || problem.line !== undefined
                ? ": "
                : ""}
              {problem.message}
            </li>
          ))}
        </ul>
      )}
    </Banner>
  );
}
