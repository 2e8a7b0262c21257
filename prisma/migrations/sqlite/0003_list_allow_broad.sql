-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_List" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "visibility" TEXT NOT NULL,
    "quorum" INTEGER NOT NULL,
    "thresholdPercent" INTEGER NOT NULL,
    "votingDays" INTEGER NOT NULL,
    "minOpenHours" INTEGER NOT NULL,
    "severityRule" TEXT NOT NULL,
    "publicEvidence" BOOLEAN NOT NULL DEFAULT false,
    "allowBroad" BOOLEAN NOT NULL DEFAULT false,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "revisedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_List" ("createdAt", "description", "id", "minOpenHours", "name", "publicEvidence", "quorum", "revisedAt", "revision", "severityRule", "slug", "thresholdPercent", "updatedAt", "visibility", "votingDays") SELECT "createdAt", "description", "id", "minOpenHours", "name", "publicEvidence", "quorum", "revisedAt", "revision", "severityRule", "slug", "thresholdPercent", "updatedAt", "visibility", "votingDays" FROM "List";
DROP TABLE "List";
ALTER TABLE "new_List" RENAME TO "List";
CREATE UNIQUE INDEX "List_slug_key" ON "List"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

