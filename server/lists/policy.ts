// A list's voting policy (SPEC §2) and its exact threshold arithmetic.
import { z } from "zod";

export const SEVERITY_RULES = ["majority", "strictest"] as const;
export type SeverityRule = (typeof SEVERITY_RULES)[number];

export interface Policy {
  quorum: number;
  /** A fraction with two decimals, e.g. 0.66. */
  threshold: number;
  votingDays: number;
  minOpenHours: number;
  severityRule: SeverityRule;
  publicEvidence: boolean;
  /** Whether a bare TLD or public suffix may be listed at all (then only by vote). */
  allowBroad: boolean;
  /** Months after which an entry is due for review (null: entries are never due). */
  reviewMonths: number | null;
  /** Days after a rejected appeal before the listed domain may appeal again. */
  appealCooldownDays: number;
}

export const DEFAULT_POLICY: Policy = {
  quorum: 3,
  threshold: 0.66,
  votingDays: 14,
  minOpenHours: 24,
  severityRule: "majority",
  publicEvidence: false,
  allowBroad: false,
  reviewMonths: null,
  appealCooldownDays: 30,
};

const hasTwoDecimals = (value: number) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-9;

export const policyFields = {
  quorum: z
    .number({ error: "expected a whole number" })
    .int("expected a whole number")
    .min(1, "must be at least 1")
    .max(10_000, "must be at most 10000"),
  threshold: z
    .number({ error: "expected a fraction such as 0.66" })
    // Not `.gt(0)`: 1e-9 has "two decimals" within rounding and would be stored as 0.
    .min(0.01, "must be at least 0.01")
    .max(1, "must be at most 1")
    .refine(hasTwoDecimals, "use at most two decimals, e.g. 0.66"),
  votingDays: z
    .number({ error: "expected a whole number of days" })
    .int("expected a whole number of days")
    .min(1, "must be at least 1 day")
    .max(365, "must be at most 365 days"),
  minOpenHours: z
    .number({ error: "expected a whole number of hours" })
    .int("expected a whole number of hours")
    .min(0, "must be 0 or more")
    .max(24 * 365, "must be at most a year"),
  severityRule: z.enum(SEVERITY_RULES, { error: "expected majority or strictest" }),
  publicEvidence: z.boolean({ error: "expected true or false" }),
  allowBroad: z.boolean({ error: "expected true or false" }),
  reviewMonths: z
    .number({ error: "expected a whole number of months, or null for no review dates" })
    .int("expected a whole number of months")
    .min(1, "must be at least 1 month")
    .max(120, "must be at most 120 months (ten years)")
    .nullable(),
  appealCooldownDays: z
    .number({ error: "expected a whole number of days" })
    .int("expected a whole number of days")
    .min(0, "must be 0 or more")
    .max(3650, "must be at most 3650 days"),
};

export const policyInput = z.strictObject({
  quorum: policyFields.quorum.optional(),
  threshold: policyFields.threshold.optional(),
  votingDays: policyFields.votingDays.optional(),
  minOpenHours: policyFields.minOpenHours.optional(),
  severityRule: policyFields.severityRule.optional(),
  publicEvidence: policyFields.publicEvidence.optional(),
  allowBroad: policyFields.allowBroad.optional(),
  reviewMonths: policyFields.reviewMonths.optional(),
  appealCooldownDays: policyFields.appealCooldownDays.optional(),
});
export type PolicyInput = z.infer<typeof policyInput>;

export const toThresholdPercent = (threshold: number) => Math.round(threshold * 100);
export const fromThresholdPercent = (percent: number) => percent / 100;

/**
 * The threshold holds when `yes × 100 ≥ threshold × 100 × (yes + no)`, in whole numbers: a tie
 * passes at 0.5, two of three pass at 0.66 and not at 0.67.
 */
export function meetsThreshold(yes: number, no: number, thresholdPercent: number): boolean {
  return yes * 100 >= thresholdPercent * (yes + no);
}

/** The reason a policy cannot work, or null. */
export function policyProblem(policy: Policy): { field: string; message: string } | null {
  if (policy.minOpenHours > policy.votingDays * 24) {
    return {
      field: "policy.minOpenHours",
      message: `must not exceed the voting window (${policy.votingDays} days = ${policy.votingDays * 24} hours)`,
    };
  }
  return null;
}
