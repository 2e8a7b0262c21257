// `fediblock list ls|show|create|edit` and `fediblock export`.
import { writeFileSync } from "node:fs";
import { z } from "zod";
import type { ConfigFlags } from "../config.js";
import { invalid } from "../errors.js";
import { exportQuery } from "../exports/export-query.js";
import { ListExports } from "../exports/list-exports.js";
import { FORMATS, type ExportFormat } from "../exports/render.js";
import { fieldErrors } from "../http/problem.js";
import {
  createList,
  getList,
  listLists,
  updateList,
  type ListView,
} from "../lists/lists.service.js";
import { listTextFields, VISIBILITIES, type Visibility } from "../lists/list.schema.js";
import { policyInput } from "../lists/policy.js";
import { slug as slugSchema } from "../lists/slug.js";
import { withDatabase } from "./context.js";

function parseOrExplain<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(`Invalid ${what}.`, fieldErrors(result.error));
}

const number = (flag: string) => (text: string | undefined) => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || Number.isNaN(value))
    throw invalid(`${flag} ${JSON.stringify(text)} is not a number`);
  return value;
};

/** The settings flags `list create` and `list edit` share. */
export interface ListSettingsOptions extends ConfigFlags {
  name?: string;
  description?: string;
  visibility?: string;
  quorum?: string;
  threshold?: string;
  votingDays?: string;
  minOpenHours?: string;
  severityRule?: string;
  publicEvidence?: boolean;
  allowBroad?: boolean;
  json?: boolean;
}

export interface ListCreateOptions extends ListSettingsOptions {
  name: string;
}

/** The flags as a checked settings change; every bad flag is reported at once. */
function listSettings(options: ListSettingsOptions) {
  const text = z.object({
    name: listTextFields.name.optional(),
    description: listTextFields.description.optional(),
  });
  const { name, description } = parseOrExplain(
    text,
    { name: options.name, description: options.description },
    "list settings",
  );
  if (
    options.visibility !== undefined &&
    !(VISIBILITIES as readonly string[]).includes(options.visibility)
  ) {
    throw invalid(
      `--visibility ${JSON.stringify(options.visibility)} is not one of ${VISIBILITIES.join(", ")}`,
    );
  }
  const policy = parseOrExplain(
    policyInput,
    {
      quorum: number("--quorum")(options.quorum),
      threshold: number("--threshold")(options.threshold),
      votingDays: number("--voting-days")(options.votingDays),
      minOpenHours: number("--min-open-hours")(options.minOpenHours),
      severityRule: options.severityRule,
      publicEvidence: options.publicEvidence,
      allowBroad: options.allowBroad,
    },
    "policy",
  );
  return { name, description, visibility: options.visibility as Visibility | undefined, policy };
}

function describePolicy(list: ListView): string {
  const { quorum, threshold, votingDays, minOpenHours, severityRule, publicEvidence, allowBroad } =
    list.policy;
  return (
    `Policy: quorum ${quorum}, threshold ${threshold}, ${votingDays} days to vote, open at least ` +
    `${minOpenHours} h, severity by ${severityRule}; evidence ${publicEvidence ? "public" : "members only"}; ` +
    `public suffixes ${allowBroad ? "allowed (by vote only)" : "refused"}.`
  );
}

export function listCreate(slug: string, options: ListCreateOptions): Promise<void> {
  return withDatabase(options, async (ctx) => {
    parseOrExplain(slugSchema, slug, "slug");
    const settings = listSettings(options);
    const list = await createList(ctx, "system", {
      slug,
      name: settings.name ?? options.name,
      description: settings.description,
      visibility: settings.visibility,
      policy: settings.policy,
    });
    console.log(`Created the ${list.visibility} list ${list.slug} ("${list.name}").`);
    console.log(describePolicy(list));
  });
}

export function listEdit(slug: string, options: ListSettingsOptions): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const settings = listSettings(options);
    const changed = Object.values(settings.policy).some((value) => value !== undefined);
    if (
      settings.name === undefined &&
      settings.description === undefined &&
      settings.visibility === undefined &&
      !changed
    ) {
      throw invalid(
        "Nothing to change: give --name, --description, --visibility or a policy flag (see --help).",
      );
    }
    const list = await updateList(ctx, "system", slug, {
      name: settings.name,
      description: settings.description,
      visibility: settings.visibility,
      policy: changed ? settings.policy : undefined,
    });
    console.log(`Updated the ${list.visibility} list ${list.slug} ("${list.name}").`);
    console.log(describePolicy(list));
    console.log("Open proposals keep the policy they were opened under.");
  });
}

export function listLs(options: ConfigFlags & { json?: boolean }): Promise<void> {
  return withDatabase(options, async (ctx) => {
    // The operator's command line sees members-only lists too.
    const lists = await listLists(ctx, "system");
    if (options.json) {
      console.log(JSON.stringify(lists, null, 2));
      return;
    }
    if (lists.length === 0) {
      console.log("No lists yet: fediblock list create SLUG --name NAME");
      return;
    }
    printTable(
      ["slug", "visibility", "entries", "open proposals", "revision", "name"],
      lists.map((list) => [
        list.slug,
        list.visibility,
        String(list.counts.entries),
        String(list.counts.openProposals),
        String(list.revision),
        list.name,
      ]),
    );
  });
}

export function listShow(slug: string, options: ConfigFlags & { json?: boolean }): Promise<void> {
  return withDatabase(options, async (ctx) => {
    const list = await getList(ctx, "system", slug);
    if (options.json) {
      console.log(JSON.stringify(list, null, 2));
      return;
    }
    const { entries, suspend, silence, noop, openProposals } = list.counts;
    console.log(`${list.slug}: "${list.name}" (${list.visibility}), revision ${list.revision}`);
    if (list.description) console.log(list.description);
    console.log(
      `Entries: ${entries} (${suspend} suspend, ${silence} silence, ${noop} noop); ${openProposals} open proposals.`,
    );
    console.log(describePolicy(list));
    console.log(
      `Created ${list.createdAt.toISOString()}; last revised ${list.revisedAt.toISOString()}.`,
    );
  });
}

/** Prints rows under a header, each column as wide as its widest cell. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

export interface ExportOptions extends ConfigFlags {
  list: string;
  format: string;
  minSeverity?: string;
  tag?: string[];
  part?: string;
  output?: string;
}

export function exportList(options: ExportOptions): Promise<void> {
  return withDatabase(options, async (ctx) => {
    if (!(FORMATS as readonly string[]).includes(options.format)) {
      throw invalid(
        `--format ${JSON.stringify(options.format)} is not one of ${FORMATS.join(", ")}`,
      );
    }
    const query = parseOrExplain(
      exportQuery,
      { min_severity: options.minSeverity, tag: options.tag, part: options.part },
      "filters",
    );
    const answer = await new ListExports(ctx).answer(
      options.list,
      options.format as ExportFormat,
      query,
      true,
      {},
    );
    if (options.output) {
      writeFileSync(options.output, answer.body!);
      console.error(
        `Wrote ${answer.body!.length} bytes to ${options.output} (revision ${answer.revision}).`,
      );
    } else {
      process.stdout.write(answer.body!);
    }
  });
}
