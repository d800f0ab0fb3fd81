import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { Operation, Playback, QueueState } from "../../durable-objects/playback-queue/protocol";
import { api, type SignedInUser } from "../helpers/auth";
import { SocketFrames, type Frame } from "../helpers/frames";
import { makeTrack } from "../tracks/fixtures";

/** Fixtures of the live queue's tests: real WebSockets through the Worker, and their frames. */

export type { Frame };

/** Opens GET /v1/me/queue/ws through the Worker; resolves to the raw response (to check refusals). */
export async function upgrade(headers: Record<string, string>, query = ""): Promise<Response> {
  return exports.default.fetch(`https://veza.test/v1/me/queue/ws${query}`, { headers: { Upgrade: "websocket", ...headers } });
}

/**
 * One device: the socket, every frame it received (in order), and the queue as this device
 * knows it, kept the way a client would (a `state` replaces it, a `playback` is merged into it).
 */
export class Device extends SocketFrames {
  state: QueueState | null = null;

  protected override received(frame: Frame): void {
    if (frame.type === "state") this.state = frame.state as QueueState;
    if (frame.type === "playback" && this.state) this.state = { ...this.state, ...(frame.playback as Playback) };
  }

  /** Sends an operation that must be accepted; resolves once this device's state is at its version. */
  async apply(op: Operation | Record<string, unknown>): Promise<QueueState> {
    const answer = await this.request(op);
    expect(answer, `answer to ${String(op.type)}`).toMatchObject({ type: "ack" });
    return this.synced(answer.version as number);
  }

  /** Resolves once this device's state reached `version`. */
  synced(version: number): Promise<QueueState> {
    return this.until(() => (this.state && this.state.version >= version ? this.state : undefined), `version ${version}`);
  }
}

/** A device of `user` connected to their queue, once it received the initial state. */
export async function connect(user: Pick<SignedInUser, "accessToken">, query = ""): Promise<Device> {
  const res = await upgrade({ Authorization: `Bearer ${user.accessToken}` }, query);
  if (res.status !== 101 || !res.webSocket) throw new Error(`the upgrade was answered ${res.status}: ${await res.text()}`);
  const ws = res.webSocket;
  const device = new Device(ws);
  ws.accept();
  await device.until(() => device.state, "the initial state");
  return device;
}

/** `count` ready public tracks by a fresh creator. */
export async function readyTracks(creatorId: string, count: number, options: Parameters<typeof makeTrack>[1] = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await makeTrack(creatorId, { title: `Queued ${i}`, ...options })).id);
  return ids;
}

/** The user's PlaybackQueue stub, as the Worker addresses it. */
export const queueOfUser = (userId: string) => env.PLAYBACK_QUEUE.get(env.PLAYBACK_QUEUE.idFromName(userId));

/** GET /v1/me/queue as `user`. */
export const restState = async (user: SignedInUser) => (await api("GET", "/v1/me/queue", { headers: user.headers })).body as QueueState;
