// The bridge between a service's return value and the answer schema it is sent as. Services
// return instants as Dates; JSON sends them as the ISO strings the `*.schema.ts` modules
// describe. A service that returns exactly a schema's shape declares its type from the schema.

/** The schema's output type `T` with the instants `K` still Dates, as a service returns it. */
export type WithDates<T, K extends keyof T> = {
  [P in keyof T]: P extends K ? (null extends T[P] ? Date | null : Date) : T[P];
};
