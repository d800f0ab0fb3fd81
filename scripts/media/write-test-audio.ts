/**
 * `npx tsx scripts/media/write-test-audio.ts <dir>`: writes the media tests' synthesised WAVs and
 * the sources of the FLAC/MP3 fixtures into <dir>, from the same generator the tests run
 * (test/helpers/audio.ts), for scripts/media/make-fixtures.sh to measure and encode.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fixtureSources, testWavs, wavBytes } from "../../test/helpers/audio";

const dir = process.argv[2];
if (!dir) throw new Error("usage: write-test-audio.ts <dir>");
for (const [name, spec] of Object.entries({ ...testWavs, ...fixtureSources })) {
  await writeFile(join(dir, `${name}.wav`), wavBytes(spec));
}
console.log([...Object.keys(testWavs), ...Object.keys(fixtureSources)].join(" "));
