// Large Mastodon-format blocklists made on the fly (never committed), for the row limit and the
// import benchmarks. Every row is valid and distinct: `rows` rows give `rows` entries.
import { Readable } from "node:stream";

export const GENERATED_HEADER =
  "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate";

const SEVERITIES = ["suspend", "silence", "noop"] as const;

export function generatedDomain(index: number): string {
  return `site-${String(index).padStart(6, "0")}.example`;
}

export function generatedRow(index: number): string {
  const severity = SEVERITIES[index % SEVERITIES.length];
  const comment = index % 7 === 0 ? `"spam, ""bots"" and more"` : "spam";
  return `${generatedDomain(index)},${severity},${index % 2 === 0},false,${comment},false`;
}

export function generatedBlocklistText(rows: number): string {
  const lines = [GENERATED_HEADER];
  for (let index = 0; index < rows; index += 1) lines.push(generatedRow(index));
  return `${lines.join("\n")}\n`;
}

export interface GeneratedStream {
  stream: Readable;
  /** Data rows handed to the stream so far: shows how far a consumer read. */
  rowsProduced(): number;
}

/** The same file, produced lazily in chunks of `rowsPerChunk` rows as the consumer reads. */
export function generatedBlocklistStream(rows: number, rowsPerChunk = 100): GeneratedStream {
  let produced = 0;
  function* chunks(): Generator<string> {
    yield `${GENERATED_HEADER}\n`;
    while (produced < rows) {
      const end = Math.min(rows, produced + rowsPerChunk);
      let chunk = "";
      for (let index = produced; index < end; index += 1) chunk += `${generatedRow(index)}\n`;
      produced = end;
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), rowsProduced: () => produced };
}
