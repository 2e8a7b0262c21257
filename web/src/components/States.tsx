// Empty and loading states, and the "more" button of paged collections.
import type { ReactNode } from "react";

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty__title">{title}</p>
      {children}
    </div>
  );
}

/** Placeholder lines that hold the space the content will take, so nothing jumps. */
export function Skeleton({ lines = 4, label = "Loading…" }: { lines?: number; label?: string }) {
  return (
    <div className="skeleton" role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, index) => (
        <div key={index} className="skeleton__line" aria-hidden="true" />
      ))}
    </div>
  );
}

export function MoreButton({
  hasMore,
  loading,
  onMore,
  shown,
  noun,
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  shown: number;
  noun: string;
}) {
  if (shown === 0) return null;
  return (
    <div className="more">
      <span className="muted small" aria-live="polite">
        {shown} {noun} shown{hasMore ? "" : ", all of them"}
      </span>
      {hasMore && (
        <button type="button" className="button" onClick={onMore} disabled={loading}>
          {loading ? "Loading…" : "Show more"}
        </button>
      )}
    </div>
  );
}
