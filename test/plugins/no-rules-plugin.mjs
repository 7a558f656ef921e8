/** A module that is not a plugin: it exports no rules. */
export const helpers = { answer: 42 };
