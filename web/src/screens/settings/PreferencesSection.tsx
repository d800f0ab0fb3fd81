/**
 * Preferences: the theme (session's setTheme: applied at once, saved to the profile), language and
 * time zone (PATCH /v1/me), playback, and which notifications to get (PATCH /v1/me/settings).
 */
import { useMemo, useRef, useState } from "preact/hooks";
import { ApiError, errorMessage } from "../../api";
import { applyTheme, me, setTheme, theme, updateMe } from "../../session";
import type { ThemeSetting } from "../../types/api";
import { announce, Panel, RadioGroup, SettingSwitch } from "./controls";

export function PreferencesSection() {
  return (
    <>
      <ThemePanel />
      <LanguagePanel />
      <Panel title="Playback" id="prefs-playback">
        <SettingSwitch name="autoplay" label="Autoplay" hint="Start the next track by itself." />
        <SettingSwitch name="explicit_content" label="Show explicit content" hint="Whether you want to see content marked explicit." />
      </Panel>
      <Panel title="Notifications" id="prefs-notifications">
        <p class="field-hint">Which kinds of activity notify you. Security, moderation and legal notices always reach you.</p>
        <SettingSwitch name="email_on_follow" label="New followers" />
        <SettingSwitch name="email_on_like" label="Likes on your tracks and posts" />
        <SettingSwitch name="email_on_comment" label="Comments and replies" />
        <SettingSwitch name="email_on_mention" label="Mentions of @you" />
        <SettingSwitch name="email_on_message" label="Direct messages" />
        <h4 class="settings-subhead">How they reach you, besides the app</h4>
        <SettingSwitch name="email_notifications" label="By email" />
        <SettingSwitch name="push_notifications" label="Push notifications on your phone" />
        <SettingSwitch name="browser_notifications" label="Browser notifications" />
      </Panel>
    </>
  );
}

const THEMES: { value: ThemeSetting; label: string; hint: string }[] = [
  { value: "auto", label: "Match my device", hint: "Light or dark as your system is set." },
  { value: "light", label: "Light", hint: "" },
  { value: "dark", label: "Dark", hint: "" },
];

function ThemePanel() {
  // The choice shows at once; the account's value follows when the API answers.
  const [pending, setPending] = useState<ThemeSetting | null>(null);
  const [error, setError] = useState<string>();
  const latest = useRef(0);
  const current = theme.value;

  async function choose(next: ThemeSetting) {
    const call = ++latest.current;
    setPending(next);
    setError(undefined);
    try {
      await setTheme(next);
      if (call === latest.current) announce(`Theme: ${THEMES.find((t) => t.value === next)?.label}. Saved.`);
    } catch (err) {
      if (call !== latest.current) return;
      // Not saved: back to what the account has.
      applyTheme(theme.value);
      setError(`Not saved: ${errorMessage(err)}`);
    } finally {
      if (call === latest.current) setPending(null);
    }
  }

  return (
    <Panel title="Appearance" id="prefs-appearance">
      <RadioGroup
        legend="Theme"
        name="theme"
        value={pending ?? current}
        options={THEMES.map((t) => ({ value: t.value, label: t.label, hint: t.hint || undefined }))}
        onChange={(v) => void choose(v)}
        error={error}
      />
    </Panel>
  );
}

/** Languages Veza writes to people in; the code is what the profile stores (ISO 639-1). */
const LANGUAGES: [string, string][] = [
  ["en", "English"],
  ["fr", "Français"],
  ["de", "Deutsch"],
  ["es", "Español"],
  ["it", "Italiano"],
  ["pt", "Português"],
  ["nl", "Nederlands"],
  ["pl", "Polski"],
  ["sv", "Svenska"],
  ["ja", "日本語"],
];

function deviceTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}

function LanguagePanel() {
  const account = me.value;
  const zones = useMemo(() => {
    try {
      return Intl.supportedValuesOf("timeZone");
    } catch {
      return [deviceTimeZone()];
    }
  }, []);
  const storedLanguage = account?.profile.language ?? "";
  const storedZone = account?.profile.timezone ?? "";
  const [language, setLanguage] = useState(storedLanguage);
  const [zone, setZone] = useState(storedZone);
  const [busy, setBusy] = useState<"language" | "timezone" | null>(null);
  const [errors, setErrors] = useState<{ language?: string; timezone?: string }>({});
  const languageKnown = LANGUAGES.some(([code]) => code === language);
  const device = deviceTimeZone();

  async function save(field: "language" | "timezone", value: string, undo: () => void) {
    if (!value) return;
    setBusy(field);
    setErrors((e) => ({ ...e, [field]: undefined }));
    try {
      await updateMe({ [field]: value });
      announce(field === "language" ? "Language saved." : "Time zone saved.");
    } catch (err) {
      undo();
      setErrors((e) => ({ ...e, [field]: (err instanceof ApiError && err.fields[field]) || errorMessage(err) }));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Panel title="Language and region" id="prefs-language">
      <div class={`field${errors.language ? " field-invalid" : ""}`}>
        <label for="pref-language">Language</label>
        <p class="field-hint" id="pref-language-hint">
          The language Veza writes to you in. The app itself is in English for now.
        </p>
        <select
          id="pref-language"
          value={language}
          aria-busy={busy === "language" || undefined}
          aria-describedby={`pref-language-hint${errors.language ? " pref-language-error" : ""}`}
          aria-invalid={errors.language ? true : undefined}
          onChange={(e) => {
            const value = e.currentTarget.value;
            const before = language;
            setLanguage(value);
            void save("language", value, () => setLanguage(before));
          }}
        >
          {!language && <option value="">Choose a language</option>}
          {!languageKnown && language && <option value={language}>{language}</option>}
          {LANGUAGES.map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
        {errors.language && (
          <p class="field-error" id="pref-language-error">
            {errors.language}
          </p>
        )}
      </div>
      <div class={`field${errors.timezone ? " field-invalid" : ""}`}>
        <label for="pref-timezone">Time zone</label>
        <p class="field-hint" id="pref-timezone-hint">
          For scheduled backups and the times in your emails. This device is on {device}.
        </p>
        <select
          id="pref-timezone"
          value={zone}
          aria-busy={busy === "timezone" || undefined}
          aria-describedby={`pref-timezone-hint${errors.timezone ? " pref-timezone-error" : ""}`}
          aria-invalid={errors.timezone ? true : undefined}
          onChange={(e) => {
            const value = e.currentTarget.value;
            const before = zone;
            setZone(value);
            void save("timezone", value, () => setZone(before));
          }}
        >
          {!zone && <option value="">Choose a time zone</option>}
          {zone && !zones.includes(zone) && <option value={zone}>{zone}</option>}
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, " ")}
            </option>
          ))}
        </select>
        {errors.timezone && (
          <p class="field-error" id="pref-timezone-error">
            {errors.timezone}
          </p>
        )}
      </div>
      {zone !== device && zones.includes(device) && (
        <button
          type="button"
          class="btn btn-ghost"
          disabled={busy !== null}
          onClick={() => {
            const before = zone;
            setZone(device);
            void save("timezone", device, () => setZone(before));
          }}
        >
          Use this device’s time zone ({device.replace(/_/g, " ")})
        </button>
      )}
    </Panel>
  );
}
