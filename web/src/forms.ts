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

/** The form's error banner: inside the form, else the nearest one before it. */
function errorBannerOf(form: HTMLFormElement): HTMLElement | null {
  const inside = form.querySelector<HTMLElement>('.banner[role="alert"]');
  if (inside) return inside;
  for (let node = form.previousElementSibling; node; node = node.previousElementSibling) {
    if (node instanceof HTMLElement && node.matches('.banner[role="alert"]')) return node;
  }
  return null;
}

/**
 * Moves focus to the first control marked invalid, once React has rendered the errors; when no
 * control is (a 403, a 409), to the form's error banner, scrolled into view.
 */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  window.requestAnimationFrame(() => {
    if (!form) return;
    const target = form.querySelector<HTMLElement>(
      '[aria-invalid="true"], fieldset[aria-invalid="true"] input',
    );
    if (target instanceof HTMLFieldSetElement) target.querySelector("input")?.focus();
    else if (target) target.focus();
    else {
      const banner = errorBannerOf(form);
      if (!banner) return;
      banner.focus({ preventScroll: true });
      banner.scrollIntoView({ block: "center" });
    }
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
