// Prometheus text exposition (GET /metrics): request counts by route and status, request
// durations, and a few gauges read from the database at scrape time.
import type { RequestHandler } from "express";
import type { AppContext } from "../context.js";

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class HttpMetrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, { buckets: number[]; sum: number; count: number }>();

  observe(method: string, routePath: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${routePath}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const durationKey = `method="${method}",route="${routePath}"`;
    const duration = this.durations.get(durationKey) ?? {
      buckets: BUCKETS.map(() => 0),
      sum: 0,
      count: 0,
    };
    BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) duration.buckets[index]! += 1;
    });
    duration.sum += seconds;
    duration.count += 1;
    this.durations.set(durationKey, duration);
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const start = process.hrtime.bigint();
      res.on("finish", () => {
        const routePath = (req.route as { path?: string } | undefined)?.path ?? "unmatched";
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        this.observe(req.method, routePath, res.statusCode, seconds);
      });
      next();
    };
  }

  render(): string {
    const lines = [
      "# HELP fediblock_http_requests_total HTTP requests answered, by route and status.",
      "# TYPE fediblock_http_requests_total counter",
      ...[...this.requests].map(
        ([labels, value]) => `fediblock_http_requests_total{${labels}} ${value}`,
      ),
      "# HELP fediblock_http_request_duration_seconds Time to answer HTTP requests.",
      "# TYPE fediblock_http_request_duration_seconds histogram",
    ];
    for (const [labels, { buckets, sum, count }] of this.durations) {
      BUCKETS.forEach((bound, index) =>
        lines.push(
          `fediblock_http_request_duration_seconds_bucket{${labels},le="${bound}"} ${buckets[index]}`,
        ),
      );
      lines.push(`fediblock_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${count}`);
      lines.push(`fediblock_http_request_duration_seconds_sum{${labels}} ${sum}`);
      lines.push(`fediblock_http_request_duration_seconds_count{${labels}} ${count}`);
    }
    return lines.join("\n") + "\n";
  }
}

export async function renderDatabaseGauges(ctx: AppContext): Promise<string> {
  const prisma = ctx.db.prisma;
  const [lists, entries, open, accounts, instances, subscriptions] = await Promise.all([
    prisma.list.count(),
    prisma.entry.count(),
    prisma.proposal.count({ where: { status: "open" } }),
    prisma.account.count({ where: { disabledAt: null } }),
    prisma.instance.count(),
    prisma.subscription.count(),
  ]);
  const gauge = (name: string, help: string, value: number) =>
    `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}\n`;
  return [
    gauge("fediblock_lists", "Lists.", lists),
    gauge("fediblock_entries", "Entries on all lists.", entries),
    gauge("fediblock_open_proposals", "Proposals open for votes.", open),
    gauge("fediblock_accounts", "Enabled accounts.", accounts),
    gauge("fediblock_instances", "Member instances.", instances),
    gauge("fediblock_subscriptions", "Subscriptions of instances to lists.", subscriptions),
  ].join("");
}
