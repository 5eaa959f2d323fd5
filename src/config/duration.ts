/** Seconds per Go duration unit (Go's `time.ParseDuration` units). */
const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  "µs": 1e-6, // U+00B5 micro sign
  "μs": 1e-6, // U+03BC Greek mu
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

// Longer units first in the alternation so "ms" is not read as "m" followed by "s".
const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go-style duration (`1h`, `90m`, `3600s`, `1h30m`, `1.5h`, `2h0m0s`) into seconds.
 * A bare integer is seconds, as in AWS `duration_seconds`. Signs are refused: every duration
 * vault reads is a length of time. Throws a plain Error; callers add the profile and key.
 */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (/^\d+$/.test(s)) return Number(s);
  if (s === "") throw notADuration(text);
  let total = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < s.length) {
    const m = TERM.exec(s);
    if (!m) throw notADuration(text);
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
  }
  // Round away float noise from fractional terms such as 0.1h.
  return Math.round(total * 1e9) / 1e9;
}

function notADuration(text: string): Error {
  return new Error(
    `"${text}" is not a duration: use a number of seconds (3600) or Go syntax (1h, 90m, 1h30m)`,
  );
}
