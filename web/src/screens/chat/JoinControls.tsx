import { useState } from "preact/hooks";
import { ApiError, errorMessage, post } from "../../api";
import { Button, TextInput } from "../../ui";
import type { JoinBody } from "./types";

interface Props {
  room: { id: string; name: string | null; has_password: boolean };
  /** The room code that admits to a private room. */
  code?: string;
  onJoined: (roomId: string) => void;
  label?: string;
}

/**
 * Join a room (POST /v1/rooms/:id/join): one button, plus the password field when the room has one.
 * A refusal (banned, full, archived, wrong password) is said next to the button.
 */
export function JoinControls({ room, code, onJoined, label = "Join" }: Props) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function join(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: JoinBody = {};
      if (code) body.code = code;
      if (room.has_password) body.password = password;
      await post(`/v1/rooms/${encodeURIComponent(room.id)}/join`, body);
      onJoined(room.id);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const passwordError = error instanceof ApiError && error.status === 403 && room.has_password ? errorMessage(error) : undefined;
  return (
    <form class="join-controls" onSubmit={join}>
      {room.has_password && (
        <TextInput
          label={`Password of ${room.name ?? "the room"}`}
          type="password"
          autoComplete="off"
          value={password}
          onValue={setPassword}
          required
          error={passwordError ?? (error instanceof ApiError ? error.fields.password : undefined)}
        />
      )}
      <Button type="submit" variant="primary" busy={busy} aria-label={`${label} ${room.name ?? "the room"}`}>
        {label}
      </Button>
      {error && !passwordError ? (
        <p class="field-error" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
    </form>
  );
}
