/** The program's version, printed by `vault --version`. */
export const VERSION = "0.1.0";
