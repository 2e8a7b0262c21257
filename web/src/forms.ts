// Field errors of a form: from the page's own checks or from the API's problem+json `errors`,
// keyed by field path (`severity`, `tags.0`, `policy.quorum`).
import { ApiError } from "./api/client.js";

export type FieldErrorMap = Record<string, string[]>;

export function apiFieldErrors(error: unknown): FieldErrorMap {
  return error instanceof ApiError ? error.fieldMessages() : {};
}

/** Messages for a field and everything below it (`tags` gets `tags.0` too). */
export function errorsAt(map: FieldErrorMap, field: string): string[] | undefined {
  const messages = Object.entries(map)
    .filter(([path]) => path === field || path.startsWith(`${field}.`))
    .flatMap(([, list]) => list);
  return messages.length > 0 ? messages : undefined;
}

/** A `placed` test for ErrorBanner: true for field paths that a form shows next to a control. */
export const placedUnder =
  (...fields: string[]) =>
  (path: string) =>
    fields.some((field) => path === field || path.startsWith(`${field}.`));

/** Moves focus to the first control marked invalid, once React has rendered the errors. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  window.requestAnimationFrame(() => {
    const target = form?.querySelector<HTMLElement>(
      '[aria-invalid="true"], fieldset[aria-invalid="true"] input',
    );
    if (target instanceof HTMLFieldSetElement) target.querySelector("input")?.focus();
    else target?.focus();
  });
}

export const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
};

/** Escapes a path segment (a domain, a slug) for a URL. */
export const seg = (value: string | number) => encodeURIComponent(String(value));
