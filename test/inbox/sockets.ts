import { exports } from "cloudflare:workers";
import type { SignedInUser } from "../helpers/auth";
import { Device, type Frame } from "../queue/sockets";

/** Fixtures of the inbox's tests: real WebSockets through the Worker (GET /v1/me/inbox/ws). */

export type { Frame };

/** Opens the inbox socket through the Worker; resolves to the raw response (to check refusals). */
export function upgradeInbox(headers: Record<string, string>): Promise<Response> {
  return exports.default.fetch("https://veza.test/v1/me/inbox/ws", { headers: { Upgrade: "websocket", ...headers } });
}

/** One device's inbox socket (the queue tests' Device: frames in order, `next`, `request`), once `ready`. */
export async function openInbox(user: Pick<SignedInUser, "accessToken">): Promise<Device> {
  const res = await upgradeInbox({ Authorization: `Bearer ${user.accessToken}` });
  if (res.status !== 101 || !res.webSocket) throw new Error(`the upgrade was answered ${res.status}: ${await res.text()}`);
  const device = new Device(res.webSocket);
  res.webSocket.accept();
  await device.next((f) => f.type === "ready", "the ready frame");
  return device;
}

/** Resolves to the close code the socket receives. */
export const closeCodeOf = (device: Device) => new Promise<number>((resolve) => device.ws.addEventListener("close", (event) => resolve(event.code)));

/** Waits `ms`, for tests that check that nothing arrives. */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));
