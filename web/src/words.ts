// Counted nouns in the UI's sentences: "1 proposal", "3 proposals".

/** `count` and the noun in the number it takes: plural unless exactly one. */
export const counted = (count: number, one: string, many: string): string =>
  `${count} ${count === 1 ? one : many}`;
