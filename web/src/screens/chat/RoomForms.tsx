import { useState } from "preact/hooks";
import { ApiError, errorMessage, get, post } from "../../api";
import { Button, FormError, TextInput } from "../../ui";
import { JoinControls } from "./JoinControls";
import type { CreateRoomBody, Room, RoomByCode } from "./types";

const SLOW_MODES: [seconds: number, label: string][] = [
  [0, "Off"],
  [5, "5 seconds"],
  [30, "30 seconds"],
  [60, "1 minute"],
  [300, "5 minutes"],
];

/** POST /v1/rooms: name, topic, public or private, an optional password and slow mode. */
export function CreateRoomForm({ onCreated }: { onCreated: (roomId: string) => void }) {
  const [name, setName] = useState("");
  const [topic, setTopic] = useState("");
  const [type, setType] = useState<"public" | "private">("public");
  const [password, setPassword] = useState("");
  const [slow, setSlow] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fields = error instanceof ApiError ? error.fields : {};

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: CreateRoomBody = { name: name.trim(), room_type: type, slow_mode_seconds: slow };
      if (topic.trim()) body.topic = topic.trim();
      if (password) body.password = password;
      const room = await post<Room>("/v1/rooms", body);
      onCreated(room.id);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate={false}>
      <FormError error={error} />
      <TextInput label="Name" value={name} onValue={setName} required maxLength={255} error={fields.name} autoComplete="off" />
      <TextInput label="Topic (optional)" value={topic} onValue={setTopic} maxLength={500} error={fields.topic} autoComplete="off" />
      <fieldset class="field chat-choice">
        <legend>Who can join</legend>
        <label>
          <input type="radio" name="room-type" value="public" checked={type === "public"} onChange={() => setType("public")} /> Anyone: listed in public rooms
        </label>
        <label>
          <input type="radio" name="room-type" value="private" checked={type === "private"} onChange={() => setType("private")} /> Only people I invite or give the room code
        </label>
        {fields.room_type && <p class="field-error">{fields.room_type}</p>}
      </fieldset>
      <TextInput
        label="Password (optional)"
        hint="Members must give it to join."
        type="password"
        autoComplete="new-password"
        value={password}
        onValue={setPassword}
        minLength={4}
        maxLength={72}
        error={fields.password}
      />
      <div class="field">
        <label for="room-slow">Slow mode</label>
        <select id="room-slow" value={String(slow)} onChange={(e) => setSlow(Number(e.currentTarget.value))} aria-describedby="room-slow-hint">
          {SLOW_MODES.map(([s, label]) => (
            <option key={s} value={String(s)}>
              {label}
            </option>
          ))}
        </select>
        <p class="field-hint" id="room-slow-hint">
          How long each member waits between two messages.
        </p>
        {fields.slow_mode_seconds && <p class="field-error">{fields.slow_mode_seconds}</p>}
      </div>
      <Button type="submit" variant="primary" busy={busy} disabled={!name.trim()}>
        Create the room
      </Button>
    </form>
  );
}

/** A room code (an invitation link's code): look the room up, then join it. */
export function JoinByCodeForm({ onJoined }: { onJoined: (roomId: string) => void }) {
  const [code, setCode] = useState("");
  const [found, setFound] = useState<{ code: string; room: RoomByCode } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function lookUp(e: Event) {
    e.preventDefault();
    const wanted = code.trim().toUpperCase();
    setBusy(true);
    setError(null);
    setFound(null);
    try {
      const room = await get<RoomByCode>(`/v1/rooms/by-code/${encodeURIComponent(wanted)}`);
      setFound({ code: wanted, room });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const notFound = error instanceof ApiError && (error.status === 404 || error.status === 422);
  return (
    <>
      <form onSubmit={lookUp}>
        <TextInput
          label="Room code"
          hint="Eight letters and digits, from whoever shared the room."
          value={code}
          onValue={(v) => {
            setCode(v);
            setFound(null);
          }}
          required
          maxLength={16}
          autoComplete="off"
          spellcheck={false}
          error={notFound ? "No room has this code." : undefined}
        />
        {error && !notFound ? (
          <p class="field-error" role="alert">
            {errorMessage(error)}
          </p>
        ) : null}
        <Button type="submit" busy={busy} disabled={!code.trim()}>
          Find the room
        </Button>
      </form>
      {found && (
        <div class="chat-found" role="status">
          <p>
            <strong>{found.room.name ?? "A room"}</strong> · {found.room.member_count} {found.room.member_count === 1 ? "member" : "members"}
            {found.room.room_type === "private" ? " · private" : ""}
          </p>
          <JoinControls room={found.room} code={found.code} onJoined={onJoined} />
        </div>
      )}
    </>
  );
}
