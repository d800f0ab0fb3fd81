/**
 * `npm run bench`: prints the platform's measured figures against DESIGN.md §8's budgets.
 * Each issue adds its suite here; run one with `npm run bench -- <suite>`.
 */
import { accountsBench } from "./accounts";
import { chatBench } from "./chat";
import { cloudBench } from "./cloud";
import { communityQueriesBench } from "./community-queries";
import { foundationBench } from "./foundation";
import { listeningQueriesBench } from "./listening-queries";
import { marketplaceBench } from "./marketplace";
import { mediaBench } from "./media";
import { playlistsBench } from "./playlists";
import { queueBench } from "./queue";
import { tracksBench } from "./tracks";
import { printTable, type Row } from "./lib";
import { ensureWebBuilt } from "../scripts/web-build";

const suites: Record<string, () => Promise<Row[]>> = {
  foundation: foundationBench,
  accounts: accountsBench,
  media: mediaBench,
  tracks: tracksBench,
  playlists: playlistsBench,
  queue: queueBench,
  chat: chatBench,
  listening: listeningQueriesBench,
  community: communityQueriesBench,
  marketplace: marketplaceBench,
  cloud: cloudBench,
  courses: () => import("./courses").then((m) => m.coursesBench()),
  flags: () => import("./flags").then((m) => m.flagsBench()),
  retention: () => import("./retention").then((m) => m.retentionBench()),
  web: () => import("./web").then((m) => m.webBench()),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length ? wanted : Object.keys(suites);
const rows: Row[] = [];
// wrangler (deploy --dry-run, dev) refuses to run without wrangler.toml's [assets] directory.
await ensureWebBuilt();
for (const name of names) {
  const suite = suites[name];
  if (!suite) throw new Error(`unknown bench suite ${name}; known: ${Object.keys(suites).join(", ")}`);
  console.error(`[bench] ${name}...`);
  rows.push(...(await suite()));
}
printTable(rows);
process.exit(0);
