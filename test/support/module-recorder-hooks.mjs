// Loader hooks (run by Node in their own thread): append every resolved module URL to the file
// named by FEDIBLOCK_RECORD_MODULES.
import { appendFileSync } from "node:fs";

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(process.env.FEDIBLOCK_RECORD_MODULES, `${resolved.url}\n`);
  return resolved;
}
