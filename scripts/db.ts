/**
 * Database commands: `tsx scripts/db.ts migrate | rollback [N|all] | status | seed`.
 * Target: DATABASE_URL when it is a postgres:// URL (Neon or any PostgreSQL), else the local
 * dev database (through the dev server when it runs, else PGlite in .data/ directly).
 */
import { migrate, rollback, status } from "./migrations";
import { scriptExecutor } from "./database";
import { seed } from "./seed";

const [command = "migrate", arg] = process.argv.slice(2);
const { executor, target, close } = await scriptExecutor();
console.log(`database: ${target}`);
try {
  switch (command) {
    case "migrate": {
      const applied = await migrate(executor, console.log);
      console.log(applied.length ? `${applied.length} migration(s) applied` : "already up to date");
      break;
    }
    case "rollback": {
      const steps = arg === "all" ? Infinity : Number(arg ?? 1);
      if (!Number.isInteger(steps) && steps !== Infinity) throw new Error(`rollback takes a number or "all", not ${arg}`);
      const reverted = await rollback(executor, steps, console.log);
      console.log(`${reverted.length} migration(s) reverted`);
      break;
    }
    case "status":
      for (const m of await status(executor)) console.log(`${m.applied ? "applied" : "pending"}  ${m.name}`);
      break;
    case "seed":
      await seed(executor, console.log);
      break;
    default:
      throw new Error(`unknown command ${command}: use migrate, rollback [N|all], status or seed`);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await close();
}
