// A labelled form control with its hint and its errors (client checks or the API's field errors),
// wired together with ids, aria-describedby and aria-invalid.
import { useId, type ComponentProps, type ReactNode } from "react";

export interface ControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[] | undefined;
  optional?: boolean;
}

export function Field({
  label,
  hint,
  errors,
  children,
  optional,
}: FieldProps & { children: (control: ControlProps) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = errors !== undefined && errors.length > 0;
  const describedBy = [invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
        {optional && <span className="muted"> (optional)</span>}
      </label>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({
        id,
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        ...(invalid ? { "aria-invalid": true as const } : {}),
      })}
      {invalid && <FieldErrors id={errorId} errors={errors} />}
    </div>
  );
}

/** A Field around one control: the control's own attributes, and `onChange` gets its new value. */
type FieldAround<Control extends "input" | "textarea" | "select"> = FieldProps &
  Omit<ComponentProps<Control>, "id" | "onChange" | "value"> & {
    value: string;
    onChange: (value: string) => void;
  };

/** A Field holding one text input (`type` text unless given). */
export function TextField({
  label,
  hint,
  errors,
  optional,
  onChange,
  ...input
}: FieldAround<"input">) {
  return (
    <Field label={label} hint={hint} errors={errors} optional={optional}>
      {(control) => (
        <input
          type="text"
          {...control}
          {...input}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** A Field holding one textarea. */
export function TextAreaField({
  label,
  hint,
  errors,
  optional,
  onChange,
  ...textarea
}: FieldAround<"textarea">) {
  return (
    <Field label={label} hint={hint} errors={errors} optional={optional}>
      {(control) => (
        <textarea {...control} {...textarea} onChange={(event) => onChange(event.target.value)} />
      )}
    </Field>
  );
}

/** A Field holding one select; its children are the options. */
export function SelectField({
  label,
  hint,
  errors,
  optional,
  onChange,
  children,
  ...select
}: FieldAround<"select">) {
  return (
    <Field label={label} hint={hint} errors={errors} optional={optional}>
      {(control) => (
        <select {...control} {...select} onChange={(event) => onChange(event.target.value)}>
          {children}
        </select>
      )}
    </Field>
  );
}

export function FieldErrors({ id, errors }: { id?: string; errors: string[] | undefined }) {
  if (!errors || errors.length === 0) return null;
  return (
    <p className="field__error" id={id}>
      {errors.join("; ")}
    </p>
  );
}

/** A group of radios or checkboxes with a legend and the group's errors. */
export function Choices({
  legend,
  hint,
  errors,
  inline,
  className,
  children,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  errors?: string[] | undefined;
  inline?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  const invalid = errors !== undefined && errors.length > 0;
  const describedBy =
    [invalid ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") ||
    undefined;
  return (
    <fieldset aria-describedby={describedBy} aria-invalid={invalid || undefined}>
      <legend>{legend}</legend>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div className={`choices${inline ? " choices--inline" : ""} ${className ?? ""}`}>
        {children}
      </div>
      {invalid && <FieldErrors id={`${id}-error`} errors={errors} />}
    </fieldset>
  );
}

export function Choice({
  type,
  name,
  value,
  checked,
  onChange,
  label,
  hint,
  disabled,
}: {
  type: "radio" | "checkbox";
  name: string;
  value: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: ReactNode;
  hint?: ReactNode;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="choice">
      <input
        id={id}
        type={type}
        name={name}
        value={value}
        checked={checked}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span className="choice__text">
        <label htmlFor={id}>{label}</label>
        {hint && (
          <span className="choice__hint" id={`${id}-hint`}>
            {hint}
          </span>
        )}
      </span>
    </div>
  );
}
