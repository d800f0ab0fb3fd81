import { describe, expect, it } from "vitest";
import { flagOn, rolloutBucket, type FlagRule } from "../../src/lib/flags";

const userId = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;
const rule = (over: Partial<FlagRule> = {}): FlagRule => ({ key: "player.waveform_v2", enabled: true, rollout_percent: 0, allowed_user_ids: [], allowed_roles: [], ...over });

describe("rollout buckets", () => {
  it("are the first four bytes of SHA-256('<key>:<user id>') modulo 100, so clients and other services can reproduce them", async () => {
    // Pinned: changing the hash would reshuffle every user's rollout.
    expect(await rolloutBucket("rollout.golden", userId(1))).toBe(99);
    expect(await rolloutBucket("rollout.golden", userId(2))).toBe(94);
    expect(await rolloutBucket("other.flag", userId(1))).toBe(60);
    expect(await rolloutBucket("rollout.golden", userId(1).toUpperCase())).toBe(99);
  });

  it("give the same user the same answer every time", async () => {
    for (let n = 0; n < 50; n++) {
      const first = await flagOn(rule({ rollout_percent: 37 }), { userId: userId(n), role: "user" });
      for (let i = 0; i < 3; i++) expect(await flagOn(rule({ rollout_percent: 37 }), { userId: userId(n), role: "user" })).toBe(first);
    }
  });

  it("put about p % of many users in a p % rollout, and keep them in when p grows", async () => {
    const buckets = await Promise.all(Array.from({ length: 10_000 }, (_, n) => rolloutBucket("player.waveform_v2", userId(n))));
    for (const p of [1, 10, 25, 50, 90]) {
      const share = buckets.filter((b) => b < p).length / buckets.length;
      expect(share, `${p} %`).toBeGreaterThan(p / 100 - 0.02);
      expect(share, `${p} %`).toBeLessThan(p / 100 + 0.02);
    }
    const on = async (n: number, p: number) => flagOn(rule({ rollout_percent: p }), { userId: userId(n), role: "user" });
    for (let n = 0; n < 200; n++) if (await on(n, 10)) expect(await on(n, 20)).toBe(true);
  });

  it("are independent across flags: a user early in one rollout is not early in all", async () => {
    const a = await Promise.all(Array.from({ length: 1000 }, (_, n) => rolloutBucket("flag.a", userId(n))));
    const b = await Promise.all(Array.from({ length: 1000 }, (_, n) => rolloutBucket("flag.b", userId(n))));
    const both = a.filter((x, i) => x < 10 && b[i]! < 10).length;
    expect(both).toBeLessThan(30); // ~10 expected if independent, 100 if the same users
  });
});

describe("a flag's rules", () => {
  const ada = { userId: userId(7), role: "user" as const };

  it("are off for everyone while disabled, allow-lists and 100 % included", async () => {
    const off = rule({ enabled: false, rollout_percent: 100, allowed_user_ids: [ada.userId], allowed_roles: ["user"] });
    expect(await flagOn(off, ada)).toBe(false);
    expect(await flagOn(off, null)).toBe(false);
  });

  it("let in listed users and roles whatever the rollout, and nobody else at 0 %", async () => {
    expect(await flagOn(rule({ allowed_user_ids: [ada.userId] }), ada)).toBe(true);
    expect(await flagOn(rule({ allowed_user_ids: [userId(8)] }), ada)).toBe(false);
    expect(await flagOn(rule({ allowed_roles: ["moderator", "admin"] }), { userId: userId(9), role: "moderator" })).toBe(true);
    expect(await flagOn(rule({ allowed_roles: ["moderator", "admin"] }), ada)).toBe(false);
    expect(await flagOn(rule(), ada)).toBe(false);
  });

  it("give anonymous visitors only flags rolled out to 100 %", async () => {
    expect(await flagOn(rule({ rollout_percent: 100 }), null)).toBe(true);
    expect(await flagOn(rule({ rollout_percent: 99, allowed_roles: ["user"] }), null)).toBe(false);
  });
});
