// `fediblock list create` and `fediblock export`.
import { writeFileSync } from "node:fs";
import { z } from "zod";
import type { ConfigFlags } from "../config.js";
import { invalid } from "../errors.js";
import { exportQuery } from "../exports/export-query.js";
import { ListExports } from "../exports/list-exports.js";
import { FORMATS, type ExportFormat } from "../exports/render.js";
import { fieldErrors } from "../http/problem.js";
import { createList, VISIBILITIES } from "../lists/lists.service.js";
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

export interface ListCreateOptions extends ConfigFlags {
  name: string;
  description?: string;
  visibility?: string;
  quorum?: string;
  threshold?: string;
  votingDays?: string;
  minOpenHours?: string;
  severityRule?: string;
  publicEvidence?: boolean;
  allowBroad?: boolean;
}

export function listCreate(slug: string, options: ListCreateOptions): Promise<void> {
  return withDatabase(options, async (ctx) => {
    parseOrExplain(slugSchema, slug, "slug");
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
    const list = await createList(ctx, "system", {
      slug,
      name: options.name,
      description: options.description,
      visibility: options.visibility as (typeof VISIBILITIES)[number] | undefined,
      policy,
    });
    const { quorum, threshold, votingDays, minOpenHours, severityRule } = list.policy;
    console.log(`Created the ${list.visibility} list ${list.slug} ("${list.name}").`);
    console.log(
      `Policy: quorum ${quorum}, threshold ${threshold}, ${votingDays} days to vote, open at least ${minOpenHours} h, severity by ${severityRule}.`,
    );
  });
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
