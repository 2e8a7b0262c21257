// `fediblock check-text`: the rows stored before the formula rule (docs/security.md), listed
// without changing them; exit 1 when there are any, so that a script can tell.
import type { ConfigFlags } from "../config.js";
import { describeFinding, findFormulaText } from "../text/formula-report.js";
import { withDatabase } from "./context.js";

export async function checkTextCommand(flags: ConfigFlags): Promise<void> {
  await withDatabase(flags, async (ctx) => {
    const findings = await findFormulaText(ctx.db.prisma);
    if (findings.length === 0) {
      console.log("No stored text begins with =, +, -, @, a tab or a carriage return.");
      return;
    }
    console.log("Stored text a spreadsheet would run as a formula (exported as is; edit it):");
    for (const finding of findings) console.log(`  ${describeFinding(finding)}`);
    process.exitCode = 1;
  });
}
