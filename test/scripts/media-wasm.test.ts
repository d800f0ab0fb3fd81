import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { extractWasm, wasmDir, wasmFiles } from "../../scripts/media/extract-wasm";

describe("the committed codec WebAssembly (src/media/wasm/)", () => {
  it("is byte for byte what the installed packages yield (rerun scripts/media/extract-wasm.ts after an upgrade)", async () => {
    const extracted = await extractWasm();
    for (const codec of Object.keys(wasmFiles) as (keyof typeof wasmFiles)[]) {
      const committed = new Uint8Array(await readFile(`${wasmDir}${wasmFiles[codec]}`));
      expect(WebAssembly.validate(committed), `${wasmFiles[codec]} is valid WebAssembly`).toBe(true);
      expect(Buffer.from(committed).equals(Buffer.from(extracted[codec])), `${wasmFiles[codec]} matches the package`).toBe(true);
    }
  });
});
