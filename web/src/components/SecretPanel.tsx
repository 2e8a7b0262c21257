// A secret shown once (a new API token, a one-time password): what it is, a field to copy it from
// and a button to put it away. Focus moves to the panel whenever a new secret appears in it.
import { useEffect, useId, useRef, type ReactNode } from "react";
import { CopyField } from "./CopyField.js";

export function SecretPanel({
  id,
  title,
  label,
  value,
  doneLabel,
  onDone,
  children,
}: {
  /** The id of the copy field. */
  id: string;
  title: ReactNode;
  label: string;
  value: string;
  doneLabel: string;
  onDone: () => void;
  /** Why it is shown only once and what to do with it. */
  children: ReactNode;
}) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => panel.current?.focus(), [value]);
  return (
    <div className="secret" ref={panel} tabIndex={-1} role="region" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <CopyField id={id} label={label} value={value} />
      <button type="button" className="button" onClick={onDone}>
        {doneLabel}
      </button>
    </div>
  );
}
