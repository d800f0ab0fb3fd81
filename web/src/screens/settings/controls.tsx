/**
 * The settings screens' own controls: switches saved on toggle, radio groups, a text area, and the
 * one polite live region that says "Saved" (or what failed) for every change made on the page.
 */
import { signal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useId, useState } from "preact/hooks";
import { errorMessage, patch } from "../../api";
import { me } from "../../session";
import type { Settings, SettingsColumn } from "./types";

/** What the page's live region says; set by `announce()`. */
export const announcement = signal("");
let clearTimer: ReturnType<typeof setTimeout> | undefined;

/** Tell screen readers (and sighted users, in the page's status line) what just happened. */
export function announce(message: string): void {
  // The same text twice in a row is not re-read: blank it first.
  announcement.value = "";
  clearTimeout(clearTimer);
  requestAnimationFrame(() => {
    announcement.value = message;
    clearTimer = setTimeout(() => {
      announcement.value = "";
    }, 6000);
  });
}

/** The page's status line: polite, and visible so everyone sees what was saved. */
export function Announcer() {
  return (
    <p class="settings-status" role="status" aria-live="polite">
      {announcement.value}
    </p>
  );
}

interface SwitchProps {
  label: ComponentChildren;
  hint?: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
  busy?: boolean;
  disabled?: boolean;
  error?: string;
  name?: string;
}

/** An on/off switch: a checkbox with role="switch", its label, hint and error. */
export function Switch({ label, hint, checked, onChange, busy, disabled, error, name }: SwitchProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`switch-row${error ? " field-invalid" : ""}`}>
      <div class="switch-text">
        <label for={id}>{label}</label>
        {hint && (
          <p class="field-hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
        {error && (
          <p class="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
      <input
        id={id}
        name={name}
        class="switch"
        type="checkbox"
        role="switch"
        checked={checked}
        // Not disabled while saving: a disabled control loses keyboard focus. Clicks wait instead.
        disabled={disabled}
        aria-busy={busy || undefined}
        onClick={busy ? (e) => e.preventDefault() : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
    </div>
  );
}

/**
 * A user_settings switch, saved on toggle (PATCH /v1/me/settings): shown at once, put back as it
 * was if the API refuses, with the reason next to it.
 */
export function SettingSwitch({ name, label, hint }: { name: SettingsColumn; label: ComponentChildren; hint?: ComponentChildren }) {
  const stored = me.value?.settings[name] ?? false;
  const [shown, setShown] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function change(value: boolean) {
    setShown(value);
    setBusy(true);
    setError(undefined);
    try {
      const settings = await patch<Settings>("/v1/me/settings", { [name]: value });
      if (me.value) me.value = { ...me.value, settings };
      announce(`Saved: ${typeof label === "string" ? label : "setting"} ${value ? "on" : "off"}.`);
    } catch (err) {
      setError(`Not saved: ${errorMessage(err)}`);
      announce("Your change was not saved.");
    } finally {
      setShown(null);
      setBusy(false);
    }
  }

  return <Switch name={name} label={label} hint={hint} checked={shown ?? stored} busy={busy} error={error} onChange={(v) => void change(v)} />;
}

interface RadioGroupProps<T extends string> {
  legend: ComponentChildren;
  hint?: ComponentChildren;
  name: string;
  value: T;
  options: { value: T; label: ComponentChildren; hint?: ComponentChildren }[];
  onChange: (value: T) => void;
  disabled?: boolean;
  error?: string;
}

/** A fieldset of radio buttons (arrow keys move between them, as browsers do natively). */
export function RadioGroup<T extends string>({ legend, hint, name, value, options, onChange, disabled, error }: RadioGroupProps<T>) {
  const id = useId();
  return (
    <fieldset class="radio-group" aria-describedby={[hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}>
      <legend>{legend}</legend>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div class="radio-options">
        {options.map((o) => (
          <label key={o.value} class={`radio-option${o.value === value ? " radio-option-checked" : ""}`}>
            <input type="radio" name={name} value={o.value} checked={o.value === value} disabled={disabled} onChange={() => onChange(o.value)} />
            <span>
              <span class="radio-label">{o.label}</span>
              {o.hint && <span class="field-hint radio-hint">{o.hint}</span>}
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

interface TextAreaProps {
  label: ComponentChildren;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  error?: string;
  name?: string;
  maxLength?: number;
  rows?: number;
}

/** A labelled <textarea> with its hint, error and a character count near the limit. */
export function TextArea({ label, value, onValue, hint, error, name, maxLength, rows = 4 }: TextAreaProps) {
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
      <textarea
        id={id}
        name={name}
        rows={rows}
        maxLength={maxLength}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
      />
      {maxLength && value.length > maxLength * 0.8 && (
        <p class="field-hint" aria-live="polite">
          {value.length} / {maxLength}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A titled block of a settings section. */
export function Panel({ title, id, children, tone }: { title: string; id: string; children: ComponentChildren; tone?: "danger" }) {
  return (
    <section class={`card settings-panel${tone ? ` settings-panel-${tone}` : ""}`} aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

/** "12 March 2026" for a date the person should be able to read at a glance. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : new Intl.DateTimeFormat(undefined, { dateStyle: "long" }).format(d);
}
