// A realistic mix for sync benchmarks: N desired entries against N existing blocks, of which
// most are unchanged, some changed, some retracted, some new (a few of them under an existing
// parent's block), and some blocks made by hand.
import type { BlockFields, DesiredBlock, Severity, TargetBlock } from "../../server/sync/block.js";
import { markPrivateComment, type MarkerScope } from "../../server/sync/marker.js";

export interface SyncFixture {
  desired: DesiredBlock[];
  existing: TargetBlock[];
  /** What planSync should decide, to check the benchmark plans what it claims to. */
  expected: { create: number; update: number; delete: number; unchanged: number };
}

const SEVERITIES: Severity[] = ["suspend", "silence", "noop"];

function fields(i: number): BlockFields {
  return {
    severity: SEVERITIES[i % 3]!,
    reject_media: i % 5 === 0,
    reject_reports: i % 7 === 0,
    public_comment: i % 2 === 0 ? `reported for spam and harassment, case ${i}` : "",
    obfuscate: i % 11 === 0,
  };
}

/** `size` must be a multiple of 20. */
export function syncFixture(size: number, marker: MarkerScope): SyncFixture {
  const share = (percent: number) => (size * percent) / 100;
  const desired: DesiredBlock[] = [];
  const existing: TargetBlock[] = [];
  let id = 1;
  const managed = (domain: string, written: BlockFields): TargetBlock => ({
    id: String(id++),
    domain,
    ...written,
    private_comment: markPrivateComment("", marker, domain, written),
  });

  for (let i = 0; i < share(70); i++) {
    const domain = `same${i}.example`;
    desired.push({ domain, ...fields(i) });
    existing.push(managed(domain, fields(i)));
  }
  for (let i = 0; i < share(10); i++) {
    const domain = `changed${i}.example`;
    desired.push({ domain, ...fields(i), public_comment: `updated reason ${i}` });
    existing.push(managed(domain, fields(i)));
  }
  for (let i = 0; i < share(10); i++) existing.push(managed(`gone${i}.example`, fields(i)));
  for (let i = 0; i < share(10); i++) {
    const domain = `hand${i}.example`;
    existing.push({ id: String(id++), domain, ...fields(i + 1), private_comment: "our own call" });
    if (i % 2 === 0) desired.push({ domain, ...fields(i) });
  }
  const covered = share(2.5);
  for (let i = 0; i < share(15); i++) {
    // The first ones sit under an unchanged suspension (same0, same3, …): covered, not created.
    const domain = i < covered ? `sub.same${i * 3}.example` : `new${i}.example`;
    desired.push({ domain, ...fields(i) });
  }
  return {
    desired,
    existing,
    expected: {
      create: share(15) - covered,
      update: share(10),
      delete: share(10),
      unchanged: share(70),
    },
  };
}
