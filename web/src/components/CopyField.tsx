// A value to copy (a URL, a one-time secret): a read-only text box and a Copy button. Where the
// clipboard is not available the text is selected so that Ctrl+C copies it. The box wraps and
// grows with its value, so a long URL is never cut off (an input shows one line).
import { useRef, useState } from "react";

export function CopyField({
  label,
  value,
  hint,
  id,
}: {
  label: string;
  value: string;
  hint?: string;
  id?: string;
}) {
  const input = useRef<HTMLTextAreaElement>(null);
  const [status, setStatus] = useState("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus("Copied.");
    } catch {
      input.current?.select();
      setStatus("Selected: press Ctrl+C (⌘C) to copy.");
    }
  };
  const fieldId = id ?? `copy-${label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div className="field">
      <label className="field__label" htmlFor={fieldId}>
        {label}
      </label>
      {hint && <p className="field__hint">{hint}</p>}
      <div className="input-with-button">
        <textarea
          ref={input}
          id={fieldId}
          className="copy-field__value"
          readOnly
          rows={2}
          value={value}
          spellCheck={false}
          onFocus={(event) => event.target.select()}
        />
        <button
          type="button"
          className="button"
          onClick={() => void copy()}
          aria-label={`Copy ${label}`}
        >
          Copy
        </button>
      </div>
      <p className="field__hint" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
