// A moment as people say it ("closes in 3 days"), with the exact time in the title and dateTime.
import { useEffect, useState } from "react";

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const absolute = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

export function relativeText(at: Date, now: number = Date.now()): string {
  const diff = at.getTime() - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.round(diff / ms), unit);
  }
  return diff >= 0 ? "in less than a minute" : "just now";
}

export const absoluteText = (at: Date) => absolute.format(at);

/** Re-renders every minute so "in 5 minutes" stays true on a page left open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

export function RelativeTime({ at, prefix }: { at: string | Date; prefix?: string }) {
  const now = useNow();
  const date = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return null;
  return (
    <time dateTime={date.toISOString()} title={absoluteText(date)}>
      {prefix ? `${prefix} ` : ""}
      {relativeText(date, now)}
    </time>
  );
}

/** The absolute time, for tables where a column of exact times reads better. */
export function AbsoluteTime({ at }: { at: string | Date }) {
  const date = typeof at === "string" ? new Date(at) : at;
  return (
    <time dateTime={date.toISOString()} title={relativeText(date)}>
      {absoluteText(date)}
    </time>
  );
}
