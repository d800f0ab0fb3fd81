import { useId } from "preact/hooks";
import { VISIBILITY_LABELS, type Visibility } from "./types";

/** A labelled multi-line text field with its error (the shared ui has single-line fields only). */
export function TextArea({ label, value, onValue, error, maxLength, rows = 3 }: { label: string; value: string; onValue: (v: string) => void; error?: string; maxLength?: number; rows?: number }) {
  const id = useId();
  return (
    <div class={`field${error ? " field-invalid" : ""}`}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        maxLength={maxLength}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled <select> with its error. */
export function SelectField<T extends string>({
  label,
  value,
  onValue,
  options,
  error,
  hint,
}: {
  label: string;
  value: T;
  onValue: (v: T) => void;
  options: readonly (readonly [T, string])[];
  error?: string;
  hint?: string;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${error ? " field-invalid" : ""}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <select id={id} value={value} onChange={(e) => onValue(e.currentTarget.value as T)} aria-invalid={error ? true : undefined} aria-describedby={described}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

const VISIBILITY_OPTIONS = (Object.keys(VISIBILITY_LABELS) as Visibility[]).map((v) => [v, VISIBILITY_LABELS[v]] as const);

export function VisibilityField({ value, onValue, error }: { value: Visibility; onValue: (v: Visibility) => void; error?: string }) {
  return <SelectField label="Visibility" value={value} onValue={onValue} options={VISIBILITY_OPTIONS} error={error} />;
}
