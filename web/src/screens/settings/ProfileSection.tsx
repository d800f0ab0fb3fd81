/**
 * Profile: avatar and banner (PUT /v1/me/avatar|banner, the raw image as the body), what others see
 * (PATCH /v1/me), and the account's identity: username and email, with the email's verification.
 */
import { useRef, useState } from "preact/hooks";
import { ApiError, api, errorMessage, post } from "../../api";
import { me, reloadMe, updateMe } from "../../session";
import type { UpdateMeBody } from "../../types/api";
import { Button, FormError, TextInput } from "../../ui";
import { announce, Panel, TextArea } from "./controls";
import type { Accepted, Me, StoredImage } from "./types";

export function ProfileSection() {
  const account = me.value;
  if (!account) return null;
  return (
    <>
      <Panel title="Pictures" id="profile-pictures">
        <div class="image-pickers">
          <ImagePicker kind="avatar" account={account} />
          <ImagePicker kind="banner" account={account} />
        </div>
      </Panel>
      <ProfileForm account={account} />
      <IdentityPanel account={account} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Avatar and banner

const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"];
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

function ImagePicker({ kind, account }: { kind: "avatar" | "banner"; account: Me }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const url = kind === "avatar" ? account.profile.avatar_url : account.profile.banner_url;
  const label = kind === "avatar" ? "Avatar" : "Banner";
  const id = `${kind}-picker`;

  async function upload(file: File) {
    setError(undefined);
    // The API checks all of this too (from the bytes); saying it before the upload saves a round trip.
    if (!IMAGE_TYPES.includes(file.type)) return setError("Choose a PNG, JPEG or WebP image.");
    if (file.size > MAX_IMAGE_BYTES) return setError(`This image is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB.`);
    setBusy(true);
    try {
      await api<StoredImage>(`/v1/me/${kind}`, {
        method: "PUT",
        body: file,
        headers: { "content-type": file.type, "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}` },
      });
      await reloadMe();
      announce(`${label} updated.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <div class={`image-picker image-picker-${kind}`}>
      <div class="image-preview" aria-hidden="true">
        {url ? <img src={url} alt="" /> : <span class="image-placeholder">{kind === "avatar" ? (account.display_name ?? account.username).slice(0, 1).toUpperCase() : ""}</span>}
      </div>
      <div class="image-actions">
        <p class="image-label" id={`${id}-label`}>
          {label}
          <span class="field-hint"> — PNG, JPEG or WebP, up to 5 MB{kind === "banner" ? ", shown wide across your profile" : ""}.</span>
        </p>
        <input
          ref={input}
          id={id}
          class="visually-hidden"
          tabIndex={-1}
          type="file"
          accept={IMAGE_TYPES.join(",")}
          aria-labelledby={`${id}-label`}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void upload(file);
          }}
        />
        <Button busy={busy} onClick={() => input.current?.click()} aria-describedby={error ? `${id}-error` : undefined}>
          {busy ? "Uploading…" : url ? `Change ${kind}` : `Upload ${kind}`}
        </Button>
        {error && (
          <p class="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// What others see

type ProfileFields = "display_name" | "tagline" | "bio" | "location" | "website_url";

function initial(account: Me): Record<ProfileFields, string> {
  return {
    display_name: account.display_name ?? "",
    tagline: account.profile.tagline ?? "",
    bio: account.profile.bio ?? "",
    location: account.profile.location ?? "",
    website_url: account.profile.website_url ?? "",
  };
}

function ProfileForm({ account }: { account: Me }) {
  const [saved, setSaved] = useState(() => initial(account));
  const [values, setValues] = useState(saved);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (field: ProfileFields) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const changed = (Object.keys(values) as ProfileFields[]).filter((k) => values[k] !== saved[k]);

  async function submit(e: Event) {
    e.preventDefault();
    if (!changed.length) return;
    setBusy(true);
    setError(null);
    // Only what changed; an emptied field clears it (null).
    const body: UpdateMeBody = {};
    for (const k of changed) {
      const v = values[k].trim();
      (body as Record<string, string | null>)[k] = v === "" ? null : v;
    }
    try {
      const updated = await updateMe(body);
      const next = initial(updated);
      setSaved(next);
      setValues(next);
      announce("Profile saved.");
    } catch (err) {
      // What was typed stays in the form.
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Panel title="About you" id="profile-about">
      <form onSubmit={submit}>
        <FormError error={error} />
        <TextInput label="Display name" name="display_name" autoComplete="nickname" maxLength={100} value={values.display_name} onValue={set("display_name")} error={fields.display_name} hint="Shown instead of your username; leave empty to use @username." />
        <TextInput label="Tagline" name="tagline" maxLength={255} value={values.tagline} onValue={set("tagline")} error={fields.tagline} hint="One line under your name, such as “Cellist and field recordist”." />
        <TextArea label="Bio" name="bio" maxLength={2000} rows={5} value={values.bio} onValue={set("bio")} error={fields.bio} />
        <TextInput label="Location" name="location" autoComplete="address-level2" maxLength={255} value={values.location} onValue={set("location")} error={fields.location} hint="Shown only if you allow it in Privacy & data." />
        <TextInput label="Website" name="website_url" type="url" inputMode="url" autoComplete="url" maxLength={500} placeholder="https://" value={values.website_url} onValue={set("website_url")} error={fields.website_url} hint="A link to your site, Bandcamp or shop (http or https)." />
        <div class="form-actions">
          <Button type="submit" variant="primary" busy={busy} disabled={!changed.length}>
            Save profile
          </Button>
          {changed.length > 0 && !busy && (
            <Button variant="ghost" onClick={() => (setValues(saved), setError(null))}>
              Discard changes
            </Button>
          )}
        </div>
      </form>
    </Panel>
  );
}

// ---------------------------------------------------------------------------------------------
// Username and email

function IdentityPanel({ account }: { account: Me }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();

  async function resend() {
    setBusy(true);
    setResult(undefined);
    try {
      const accepted = await post<Accepted>("/v1/auth/verify-email/resend");
      setResult({ ok: true, text: accepted.detail });
    } catch (err) {
      // Verified meanwhile (in another tab, from the mail): show it.
      if (err instanceof ApiError && err.status === 409) await reloadMe().catch(() => undefined);
      setResult({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title="Account" id="profile-account">
      <dl class="identity">
        <div>
          <dt>Username</dt>
          <dd>@{account.username}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>
            <span class="identity-email">{account.email}</span>{" "}
            {account.email_verified ? <span class="badge badge-ok">Verified</span> : <span class="badge badge-warn">Not verified</span>}
          </dd>
        </div>
      </dl>
      <p class="field-hint">Your username and email address cannot be changed from the app yet.</p>
      {!account.email_verified && (
        <div class="notice verify-notice">
          <p>We sent a link to {account.email} to confirm it is yours. Until then, you cannot link other sign-in providers, and we cannot reach you if you lose your password.</p>
          <Button busy={busy} onClick={() => void resend()}>
            Send the link again
          </Button>
        </div>
      )}
      {result && (
        <p class={result.ok ? "settings-ok" : "field-error"} role={result.ok ? "status" : "alert"}>
          {result.text}
        </p>
      )}
    </Panel>
  );
}
