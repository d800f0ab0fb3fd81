/**
 * /settings and /settings/:section — the account's settings, one section at a time, chosen from a
 * side list (a row of links on a phone). Mails link to /settings/accounts.
 */
import "./settings.css";
import { paths } from "../../paths";
import { usePageTitle } from "../../ui";
import { AccountsSection } from "./AccountsSection";
import { Announcer } from "./controls";
import { PreferencesSection } from "./PreferencesSection";
import { PrivacySection } from "./PrivacySection";
import { ProfileSection } from "./ProfileSection";
import { SecuritySection } from "./SecuritySection";

const SECTIONS = [
  { id: "profile", label: "Profile", Component: ProfileSection },
  { id: "preferences", label: "Preferences", Component: PreferencesSection },
  { id: "privacy", label: "Privacy & data", Component: PrivacySection },
  { id: "security", label: "Security", Component: SecuritySection },
  { id: "accounts", label: "Connected accounts", Component: AccountsSection },
] as const;

export default function SettingsPage({ section }: { section?: string }) {
  const current = SECTIONS.find((s) => s.id === (section || "profile"));
  usePageTitle(current ? `${current.label} · Settings` : "Settings");
  return (
    <div class="settings">
      <h1 id="settings-title">Settings</h1>
      <div class="settings-layout">
        <nav class="settings-nav" aria-label="Settings sections">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <a href={paths.settingsSection(s.id)} aria-current={s.id === current?.id ? "page" : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="settings-body">
          <Announcer />
          {current ? (
            <section aria-labelledby={`settings-${current.id}`}>
              <h2 id={`settings-${current.id}`}>{current.label}</h2>
              <current.Component />
            </section>
          ) : (
            <section aria-labelledby="settings-missing">
              <h2 id="settings-missing">No such section</h2>
              <p>
                There is no “{section}” in settings. <a href={paths.settings}>Back to your profile settings</a>.
              </p>
            </section>
          )}
        </div>
      </div>
    </div>
  );
}
