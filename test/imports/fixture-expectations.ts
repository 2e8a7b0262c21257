// What each file in test/fixtures/blocklists/ must parse to. The numbers are not taken from the
// parser: for the copied real files they come from the shared README and the one-liners recorded
// in test/fixtures/blocklists/README.md; for the fixtures written here, from their rows, listed
// row by row in that README.

export interface FixtureExpectation {
  rows: number;
  valid: number;
  problems: Record<string, number>;
  warnings: Record<string, number>;
}

export const FIXTURE_EXPECTATIONS: Record<string, FixtureExpectation> = {
  // Real (Unlicense). 396 rows (README), 130 obfuscated (README, and `grep -c '\*'` on column 1),
  // no duplicates, no `*.` wildcard, booleans all lowercase true/false.
  "oliphant__mastodon.social.csv": {
    rows: 396,
    valid: 266,
    problems: { obfuscated: 130 },
    warnings: {},
  },
  // Real (Unlicense), CRLF, no `#`, Python `False`. 3,075 rows (README); 2 IP addresses and the
  // broken `xn--p1abe3d-xn--80asehdb` are invalid; `.cf` (line 2) and `cf` (line 484) are one domain.
  "oliphant___unified_max_blocklist.csv": {
    rows: 3075,
    valid: 3071,
    problems: { invalid_domain: 3, duplicate: 1 },
    warnings: {},
  },
  // Real (CC0). 238 rows, 10 duplicated domains, 11 `fale`, 1 row of 5 fields (README);
  // ` false` with a leading space is a boolean, so no warning.
  "lea-lgbt__blocklist.csv": {
    rows: 238,
    valid: 228,
    problems: { duplicate: 10 },
    warnings: { boolean: 11, field_count: 1 },
  },
  // fyrfli: no header, 5 columns, `*.` wildcards, `*ignorelist*`-style patterns, defanged
  // `[.]`, a broken defang `.]`, mixed case, punycode and its Unicode form.
  "headerless-five-columns.csv": {
    rows: 12,
    valid: 7,
    problems: { obfuscated: 2, invalid_domain: 1, duplicate: 2 },
    warnings: { wildcard: 2, defanged: 1 },
  },
  // No header, second column a severity only when it is one: `silence`, `limit` (alias), a
  // comment and a typo (default severity, not_severity warning), absent, ` NOOP `, empty.
  "headerless-severity.csv": {
    rows: 7,
    valid: 7,
    problems: {},
    warnings: { severity_alias: 1, not_severity: 2 },
  },
  // A bare domain list (Mastodon's spec/fixtures/files/domain_blocks_list.txt shape).
  "headerless-domain-only.csv": {
    rows: 3,
    valid: 3,
    problems: {},
    warnings: { wildcard: 1 },
  },
  // takouhai: no `#`, Python `False`, Unicode IDN in seven scripts, two of them repeated as
  // punycode (one in upper case).
  "python-booleans-idn.csv": {
    rows: 11,
    valid: 9,
    problems: { duplicate: 2 },
    warnings: {},
  },
  // takouhai and mstdn: Unicode TLDs (Cyrillic, Japanese, Han, Armenian, a bare `.հայ`), a
  // punycode TLD written as punycode, and 7 names repeated in the other form (punycode after
  // Unicode, upper-case punycode, a multi-label punycode TLD, mixed labels, Unicode after
  // punycode). Derived with the python3 `idna` one-liner in the fixtures' README.
  "unicode-tlds.csv": {
    rows: 15,
    valid: 8,
    problems: { duplicate: 7 },
    warnings: {},
  },
  // FediBlockHole's column set, with private_comment, and a last row whose booleans are empty.
  "fediblockhole-export.csv": {
    rows: 4,
    valid: 4,
    problems: {},
    warnings: {},
  },
  // mstdn: Mastodon admin export, `*.` wildcard, noop with reject_media, curly apostrophe,
  // trailing spaces, embedded commas, obfuscate=true, punycode.
  "mastodon-admin-export.csv": {
    rows: 7,
    valid: 7,
    problems: {},
    warnings: { wildcard: 1 },
  },
  // IFTAS DNI: quoted comments, reject_media=true, upper-case TRUE/FALSE, canary `dni.invalid`.
  "quoted-uppercase-canary.csv": {
    rows: 5,
    valid: 5,
    problems: {},
    warnings: {},
  },
  // gardenfence: quoted tag lists with commas.
  "quoted-comma-tags.csv": {
    rows: 3,
    valid: 3,
    problems: {},
    warnings: {},
  },
  // mastodon-me-uk: partial header without `#`, upper-case booleans, literal `null` comments.
  "partial-header-null.csv": {
    rows: 4,
    valid: 4,
    problems: {},
    warnings: {},
  },
  // A UTF-8 byte order mark before `#domain`.
  "bom.csv": {
    rows: 2,
    valid: 2,
    problems: {},
    warnings: {},
  },
  // A comment over three lines holding `""`, a comma and newlines; a blank line; LF.
  "multiline-comment.csv": {
    rows: 4,
    valid: 4,
    problems: {},
    warnings: {},
  },
  // The same file with CRLF everywhere, inside the quoted comments too.
  "multiline-comment-crlf.csv": {
    rows: 4,
    valid: 4,
    problems: {},
    warnings: {},
  },
  // pleroma.envs.net's `occultist\u200B.space`: zero-width space, zero-width joiner, soft hyphen.
  "zero-width-space.csv": {
    rows: 4,
    valid: 1,
    problems: { invalid_domain: 3 },
    warnings: {},
  },
  // `limit` in three spellings, upper-case SILENCE, padded Suspend.
  "limit-severity.csv": {
    rows: 5,
    valid: 5,
    problems: {},
    warnings: { severity_alias: 3 },
  },
  // `block`, `supsend`, `none` are unknown; an empty severity is the default.
  "unknown-severity.csv": {
    rows: 5,
    valid: 2,
    problems: { unknown_severity: 3 },
    warnings: {},
  },
  // Rows of 5 and 2 fields (warnings) and of 7 fields (problems) under a 6-column header.
  "field-count.csv": {
    rows: 5,
    valid: 3,
    problems: { field_count: 2 },
    warnings: { field_count: 2 },
  },
  // Empty, quoted-empty and spaces-only domain cells, and a row of empty cells.
  "empty-domain.csv": {
    rows: 5,
    valid: 1,
    problems: { empty_domain: 4 },
    warnings: {},
  },
  // Blank and spaces-only lines between rows and at the end.
  "blank-lines.csv": {
    rows: 3,
    valid: 3,
    problems: {},
    warnings: {},
  },
  // lea-lgbt's `fale` and ` false`, other boolean words, a repeated domain.
  "boolean-typos.csv": {
    rows: 6,
    valid: 5,
    problems: { duplicate: 1 },
    warnings: { boolean: 3 },
  },
  // URL, port, path, IP, broken punycode, account address, space; `.cf` then `cf`; `**`.
  "invalid-domains.csv": {
    rows: 10,
    valid: 1,
    problems: { invalid_domain: 7, duplicate: 1, obfuscated: 1 },
    warnings: {},
  },
  // Aliases `Host`, `Comment`, `Reject-Media` and two unknown columns.
  "header-aliases-extra-columns.csv": {
    rows: 2,
    valid: 2,
    problems: {},
    warnings: {},
  },
};
