// What every form does when it is sent: check what the page can, call the API with the button
// disabled, and on failure show the error, put the API's field errors next to the fields and move
// focus to the first invalid control.
import { useEffect, useRef, useState } from "react";
import { apiFieldErrors, focusFirstInvalid, type FieldErrorMap } from "./forms.js";

export interface Submission {
  /** The page's own checks, before anything is sent: any error stops the submission. */
  check?: () => FieldErrorMap;
  /** The API call and what the page does once it succeeds. */
  send: () => Promise<void>;
  /** Moves the API's field errors to where the form shows them (blank rows left out, say). */
  placeErrors?: (errors: FieldErrorMap) => FieldErrorMap;
  /** `send` navigates away on success: the form stays busy until the next page replaces it. */
  leavesPage?: boolean;
}

export function useFormSubmit() {
  const form = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldErrorMap>({});
  // Focus moves once React has committed the errors: a frame is not enough on a busy machine,
  // where the render can come after it.
  const [failures, setFailures] = useState(0);
  useEffect(() => {
    if (failures > 0) focusFirstInvalid(form.current);
  }, [failures]);

  const run = async ({ check, send, placeErrors, leavesPage }: Submission): Promise<void> => {
    const found = check?.() ?? {};
    setError(null);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFailures((count) => count + 1);
      return;
    }
    setBusy(true);
    try {
      await send();
      if (!leavesPage) setBusy(false);
    } catch (failure) {
      const fieldErrors = apiFieldErrors(failure);
      setError(failure);
      setErrors(placeErrors ? placeErrors(fieldErrors) : fieldErrors);
      setBusy(false);
      setFailures((count) => count + 1);
    }
  };

  return { form, busy, error, errors, setErrors, run };
}
