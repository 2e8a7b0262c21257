// The entry vocabulary lives in server/entries/vocabulary.ts, outside the folders the sync may
// not load (test/sync/no-database.test.ts); this module keeps the lists' imports short.
export * from "../entries/vocabulary.js";
