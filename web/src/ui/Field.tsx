import type { ComponentChildren, Ref } from "preact";
import { useId } from "preact/hooks";

/** The <input> attributes a text field takes (a subset: the full union does not spread). */
interface TextAttributes {
  type?: "text" | "email" | "password" | "search" | "url" | "tel" | "number";
  name?: string;
  autoComplete?: string;
  inputMode?: "text" | "numeric" | "decimal" | "email" | "search" | "tel" | "url" | "none";
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
  readOnly?: boolean;
  autoFocus?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  min?: number | string;
  max?: number | string;
  step?: number | string;
  spellcheck?: boolean;
  class?: string;
}

type InputProps = TextAttributes & {
  label: ComponentChildren;
  value: string;
  onValue: (value: string) => void;
  /** The field's error (from ApiError.fields): shown under it, and aria-invalid. */
  error?: string;
  /** A hint under the label, also read with the field. */
  hint?: ComponentChildren;
  /** The <input> itself (to focus it). */
  inputRef?: Ref<HTMLInputElement>;
};

/** A labelled text input with its hint and error, wired for screen readers. */
export function TextInput({ label, value, onValue, error, hint, inputRef, type = "text", class: cls, ...rest }: InputProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${error ? " field-invalid" : ""}${cls ? ` ${cls}` : ""}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        {...rest}
        ref={inputRef}
        id={id}
        // preact types <input> per `type` value; a union of them does not narrow.
        type={type as "text"}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

interface CheckboxProps {
  label: ComponentChildren;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  error?: string;
  name?: string;
  required?: boolean;
  disabled?: boolean;
}

/** A labelled checkbox with its error. */
export function Checkbox({ label, checked, onChecked, error, ...rest }: CheckboxProps) {
  const id = useId();
  return (
    <div class={`field field-check${error ? " field-invalid" : ""}`}>
      <input
        {...rest}
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChecked(e.currentTarget.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <label for={id}>{label}</label>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
