// better-sqlite3 ≤ 12 subclasses Node's raw ObjectWrap, whose destructor on Node 24 requires a
// live Node environment. A prepared statement that is garbage-collected while the process tears
// down aborts it ("Assertion failed: (env) != nullptr", exit 134; WiseLibs/better-sqlite3#1515).
// better-sqlite3 13 fixes it but needs Node 22, which this project does not yet require. Until
// then, closing the database also runs a full garbage collection while the environment is alive,
// so that no dead statement is left for the teardown (docs/decisions/0001-prisma-js-engine.md).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}
