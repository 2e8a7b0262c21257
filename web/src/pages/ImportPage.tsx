import { useRef, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../api/client.js";
import { useResource } from "../api/hooks.js";
import type { BlockList, ImportAnswer, ImportIssue } from "../api/types.js";
import { SeverityBadge } from "../components/Badges.js";
import { Banner, ErrorBanner } from "../components/Banner.js";
import { Choice, Field, SelectField } from "../components/Field.js";
import { Page } from "../components/Page.js";
import { Skeleton } from "../components/States.js";
import { seg } from "../forms.js";
import { isCurator, useSession } from "../session.js";
import { counted } from "../words.js";
import { domainLabel } from "../idn.js";

const MEMBER_LIMIT = 100;

const STATUS_TEXT = {
  new: "new",
  alreadyListed: "already listed",
  alreadyProposed: "already proposed",
  changed: "listed, different",
} as const;

/** What a column of a file without a header may be read as (the server's MAPPABLE_COLUMNS). */
const COLUMN_CHOICES = [
  ["", "not read"],
  ["domain", "domain"],
  ["severity", "severity"],
  ["reject_media", "reject media"],
  ["reject_reports", "reject reports"],
  ["public_comment", "public comment"],
  ["obfuscate", "obfuscate"],
  ["private_comment", "private comment"],
] as const;

/** A file without a header: what each column holds in the first row, and what it is read as. */
function ColumnsCard({
  answer,
  mapping,
  onChange,
  onCheck,
  busy,
}: {
  answer: ImportAnswer;
  mapping: string[];
  onChange: (mapping: string[]) => void;
  onCheck: () => void;
  busy: boolean;
}) {
  return (
    <section className="card stack" aria-labelledby="columns-title">
      <h2 id="columns-title">Columns of the file</h2>
      <p>
        The file has no header, so only the domain and the severity are read unless you name the
        other columns. Choose what each column holds, then check the file again.
      </p>
      <div className="table-wrap">
        <table className="table--stack">
          <caption className="visually-hidden">The file&apos;s columns</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">First row</th>
              <th scope="col">Read as</th>
            </tr>
          </thead>
          <tbody>
            {answer.fileColumns.map((column, index) => (
              <tr key={index}>
                <td data-label="Column">Column {index + 1}</td>
                <td data-label="First row" className="mono">
                  {column.example || <span className="muted">(empty)</span>}
                </td>
                <td data-label="Read as">
                  <select
                    aria-label={`Column ${index + 1} is read as`}
                    value={mapping[index] ?? ""}
                    onChange={(event) => {
                      const next = [...mapping];
                      next[index] = event.target.value;
                      onChange(next);
                    }}
                  >
                    {COLUMN_CHOICES.map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-actions">
        <button type="button" className="button" disabled={busy} onClick={onCheck}>
          Check again with these columns
        </button>
      </div>
    </section>
  );
}

type Block = ImportAnswer["report"]["downgrades"][number]["before"];

const blockText = (block: Block) =>
  [
    block.severity,
    ...(block.rejectMedia ? ["reject media"] : []),
    ...(block.rejectReports ? ["reject reports"] : []),
  ].join(", ");

/** What a direct import would make less strict or erase, before anything is written. */
function LossTables({ answer }: { answer: ImportAnswer }) {
  const { downgrades, erasedComments } = answer.report;
  const would = answer.dryRun ? "would be" : "were";
  return (
    <>
      {downgrades.length > 0 && (
        <div className="table-wrap">
          <table className="table--stack">
            <caption>
              Downgrades: {counted(downgrades.length, "listed entry", "listed entries")} {would}{" "}
              made less strict
            </caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Line
                </th>
                <th scope="col">Domain</th>
                <th scope="col">Listed now</th>
                <th scope="col">After the import</th>
              </tr>
            </thead>
            <tbody>
              {downgrades.map((row) => (
                <tr key={row.line}>
                  <td data-label="Line" className="num">
                    {row.line}
                  </td>
                  <td data-label="Domain" className="mono">
                    {domainLabel(row.domain)}
                  </td>
                  <td data-label="Listed now">{blockText(row.before)}</td>
                  <td data-label="After the import">{blockText(row.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {erasedComments.length > 0 && (
        <div className="table-wrap">
          <table className="table--stack">
            <caption>
              Erased comments: {counted(erasedComments.length, "comment", "comments")} {would}{" "}
              emptied
            </caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Line
                </th>
                <th scope="col">Domain</th>
                <th scope="col">Field</th>
                <th scope="col">Listed now</th>
              </tr>
            </thead>
            <tbody>
              {erasedComments.map((row) => (
                <tr key={`${row.line}-${row.field}`}>
                  <td data-label="Line" className="num">
                    {row.line}
                  </td>
                  <td data-label="Domain" className="mono">
                    {domainLabel(row.domain)}
                  </td>
                  <td data-label="Field">
                    <code>{row.field}</code>
                  </td>
                  <td data-label="Listed now">{row.before}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function IssueTable({ caption, issues }: { caption: string; issues: ImportIssue[] }) {
  return (
    <div className="table-wrap">
      <table className="table--stack">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Line
            </th>
            <th scope="col">Domain</th>
            <th scope="col">Code</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((issue, index) => (
            <tr key={`${issue.line}-${issue.code}-${index}`}>
              <td data-label="Line" className="num">
                {issue.line}
              </td>
              <td data-label="Domain" className="mono">
                {issue.domain || <span className="muted">(empty)</span>}
              </td>
              <td data-label="Code">
                <code>{issue.code}</code>
              </td>
              <td data-label="Message">{issue.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Report({ answer }: { answer: ImportAnswer }) {
  const { report } = answer;
  const stats: [string, number, string?][] = [
    ["rows", report.rows],
    ["valid", report.valid],
    ["new", report.new],
    ["already listed", report.alreadyListed],
    ["already proposed", report.alreadyProposed],
    ["changed", report.changed],
    ["problems", report.problems.length, report.problems.length > 0 ? "problem" : undefined],
    ["warnings", report.warnings.length, report.warnings.length > 0 ? "warning" : undefined],
  ];
  return (
    <div className="stack-lg">
      <section className="card" aria-labelledby="report-title">
        <h2 id="report-title">What the file holds</h2>
        <ul className="stats" aria-label="Import counts">
          {stats.map(([label, value, tone]) => (
            <li key={label} className={`stat${tone ? ` stat--${tone}` : ""}`}>
              <span className="stat__value">{value}</span>
              <span className="stat__label">{label}</span>
            </li>
          ))}
        </ul>
      </section>
      {answer.ignoredColumns.length > 0 && (
        <Banner kind="warning" title="Columns not read">
          <p>
            {answer.ignoredColumns.join(", ")}
            {answer.hasHeader
              ? ": their header names no field of an entry."
              : ": the file has no header; name them under “Columns of the file”."}
          </p>
        </Banner>
      )}
      <LossTables answer={answer} />
      {report.problems.length > 0 && (
        <IssueTable
          caption={`Problems: ${counted(report.problems.length, "row", "rows")} that will not be imported`}
          issues={report.problems}
        />
      )}
      {report.warnings.length > 0 && (
        <IssueTable
          caption={`Warnings: ${counted(report.warnings.length, "row", "rows")} imported with a correction`}
          issues={report.warnings}
        />
      )}
      {answer.preview.length > 0 && (
        <details className="card">
          <summary>
            Preview of the valid rows
            {answer.preview.length < report.valid ? ` (first ${answer.preview.length})` : ""}
          </summary>
          <div className="table-wrap">
            <table className="table--stack">
              <caption className="visually-hidden">Valid rows</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Line
                  </th>
                  <th scope="col">Domain</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {answer.preview.map((row) => (
                  <tr key={row.line}>
                    <td data-label="Line" className="num">
                      {row.line}
                    </td>
                    <td data-label="Domain" className="mono">
                      {domainLabel(row.domain)}
                    </td>
                    <td data-label="Severity">
                      <SeverityBadge severity={row.severity} />
                    </td>
                    <td data-label="Status">{STATUS_TEXT[row.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </div>
  );
}

function Result({ answer, slug }: { answer: ImportAnswer; slug: string }) {
  const result = answer.result;
  if (!result) return null;
  if ("proposals" in result) {
    return (
      <Banner
        kind="success"
        title={`${counted(result.proposals.length, "proposal", "proposals")} opened`}
      >
        <p>
          Your instance voted yes on each. Members vote on them on the{" "}
          <Link to={`/l/${seg(slug)}/proposals`}>list&apos;s proposals page</Link>.
        </p>
      </Banner>
    );
  }
  return (
    <Banner kind="success" title="Imported directly">
      <p>
        {counted(result.added, "entry", "entries")} added and {result.changed} changed, as revision{" "}
        {result.revision}. <Link to={`/l/${seg(slug)}`}>See the list</Link>.
      </p>
    </Banner>
  );
}

export function ImportPage() {
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const lists = useResource<{ items: BlockList[] }>("/api/v1/lists");
  const [file, setFile] = useState<File | null>(null);
  const [direct, setDirect] = useState(false);
  const [merge, setMerge] = useState<"max" | "replace" | "min">("max");
  /** The columns named for a file without a header; null reads the file's own way. */
  const [mapping, setMapping] = useState<string[] | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [checkedFor, setCheckedFor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fileError, setFileError] = useState<string[] | undefined>(undefined);
  const [busy, setBusy] = useState<"check" | "apply" | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const slug = params.get("list") ?? lists.data?.items[0]?.slug ?? "";
  const curator = isCurator(me);
  const setting = `${slug}|${file?.name ?? ""}|${file?.size ?? 0}|${file?.lastModified ?? 0}|${direct}|${direct ? merge : ""}|${mapping?.join(",") ?? ""}`;
  const checked = answer !== null && checkedFor === setting;

  const send = async (dryRun: boolean) => {
    if (!file) {
      setFileError(["choose a CSV file"]);
      return;
    }
    setFileError(undefined);
    setBusy(dryRun ? "check" : "apply");
    setError(null);
    const form = new FormData();
    form.append("file", file, file.name);
    if (mapping !== null) form.append("columns", mapping.join(","));
    try {
      const next = await api.upload<ImportAnswer>(`/api/v1/lists/${seg(slug)}/imports`, form, {
        dryRun: dryRun ? "true" : undefined,
        direct: direct ? "true" : undefined,
        merge: direct ? merge : undefined,
      });
      setAnswer(next);
      setCheckedFor(setting);
      window.requestAnimationFrame(() => resultRef.current?.focus());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send(true);
  };

  const report = answer?.report;
  const tooMany = !direct && !curator && report !== undefined && report.new > MEMBER_LIMIT;
  const nothing =
    report !== undefined && (direct ? report.new + report.changed === 0 : report.new === 0);
  const applyLabel = direct
    ? `Import ${report?.new ?? 0} new and ${report?.changed ?? 0} changed entries directly`
    : `Open ${counted(report?.new ?? 0, "proposal", "proposals")}`;

  return (
    <Page
      title="Import a blocklist"
      lead="Read a CSV file (Mastodon's export, FediBlockHole's, or one domain per line), check it, then open a proposal for each new domain."
    >
      <ErrorBanner error={lists.error} title="The lists could not be loaded" />
      <div className="stack-lg">
        {lists.loading && !lists.data ? (
          <Skeleton lines={4} />
        ) : (
          <form className="form card" onSubmit={submit}>
            <SelectField
              label="List"
              value={slug}
              onChange={(value) => {
                const next = new URLSearchParams(params);
                next.set("list", value);
                setParams(next, { replace: true });
              }}
            >
              {lists.data?.items.map((list) => (
                <option key={list.slug} value={list.slug}>
                  {list.name} ({list.slug})
                </option>
              ))}
            </SelectField>
            <Field
              label="CSV file"
              hint="Up to 50,000 rows or 10 MB. Rows are read by their header names; a file without a header is read as domain, then severity."
              errors={fileError}
            >
              {(control) => (
                <input
                  {...control}
                  type="file"
                  accept=".csv,.txt,text/csv,text/plain"
                  onChange={(event) => {
                    setFile(event.target.files?.[0] ?? null);
                    setMapping(null);
                    setFileError(undefined);
                  }}
                />
              )}
            </Field>
            {curator && (
              <Choice
                type="checkbox"
                name="direct"
                value="true"
                label="Write the entries directly, without votes (curators)"
                hint="For seeding a list: new and changed rows are written at once, as one revision, recorded in the audit log."
                checked={direct}
                onChange={setDirect}
              />
            )}
            {curator && direct && (
              <SelectField
                label="Where a domain is already listed"
                hint="Keeping the stricter is the safe way to seed a list from several files: a later file's milder row or empty comment changes nothing."
                value={merge}
                onChange={(value) => setMerge(value as typeof merge)}
              >
                <option value="max">keep the stricter severity and flags, and every comment</option>
                <option value="replace">write the file&apos;s row as it is</option>
                <option value="min">keep the milder severity and flags</option>
              </SelectField>
            )}
            <div className="form-actions">
              <button type="submit" className="button button--primary" disabled={busy !== null}>
                {busy === "check" ? "Checking…" : "Check the file"}
              </button>
              <span className="muted small">Nothing is written until you apply.</span>
            </div>
          </form>
        )}
        <div ref={resultRef} tabIndex={-1} className="stack-lg focus-target">
          <ErrorBanner error={error} title="The import did not go through" />
          {answer && answer.result === null && report && (
            <>
              <Report answer={answer} />
              {!answer.hasHeader && answer.fileColumns.length > 1 && (
                <ColumnsCard
                  answer={answer}
                  mapping={mapping ?? answer.fileColumns.map((column) => column.readAs ?? "")}
                  onChange={setMapping}
                  onCheck={() => void send(true)}
                  busy={busy !== null}
                />
              )}
              <section className="card stack" aria-labelledby="apply-title">
                <h2 id="apply-title">Apply</h2>
                {!checked && (
                  <Banner kind="warning">
                    The list, the file, the columns or the mode changed since this check: check
                    again.
                  </Banner>
                )}
                {tooMany && (
                  <Banner kind="warning">
                    {report.new} new domains: a member may open at most {MEMBER_LIMIT} proposals per
                    import. Split the file, or ask a curator to import it.
                  </Banner>
                )}
                <p>
                  {direct
                    ? "The valid new and changed rows are written to the list now, without a vote."
                    : `One add proposal is opened for each new domain; your instance votes yes on each. Rows already listed or proposed are skipped.`}{" "}
                  Problem rows are left out.
                </p>
                <div className="form-actions">
                  <button
                    type="button"
                    className="button button--primary"
                    disabled={!checked || tooMany || nothing || busy !== null}
                    onClick={() => void send(false)}
                  >
                    {busy === "apply" ? "Applying…" : applyLabel}
                  </button>
                  {nothing && <span className="muted small">Nothing new to import.</span>}
                </div>
              </section>
            </>
          )}
          {answer && answer.result !== null && (
            <>
              <Result answer={answer} slug={slug} />
              <Report answer={answer} />
            </>
          )}
        </div>
      </div>
    </Page>
  );
}
