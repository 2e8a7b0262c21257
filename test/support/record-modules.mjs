// `node --import ./test/support/record-modules.mjs …` records every module the process loads.
import { register } from "node:module";

register("./module-recorder-hooks.mjs", import.meta.url);
