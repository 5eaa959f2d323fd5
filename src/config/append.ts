import { UserError } from "../errors.ts";

/**
 * Returns `text` with a new profile section appended (`[default]` for `default`, else
 * `[profile NAME]`) holding `key = value` lines. Every existing byte is kept; a newline is added
 * first only when the text does not end in one, and a blank line separates the new section from
 * earlier content. A file using CRLF gets CRLF lines. Throws a UserError for a name or setting
 * that would not read back as written.
 */
export function appendProfile(
  text: string,
  name: string,
  settings: Record<string, string>,
): string {
  if (name === "" || name !== name.trim() || /[\]\r\n]/.test(name)) {
    throw new UserError(
      `profile name ${JSON.stringify(name)} cannot be written to the AWS config: ` +
        `use a name without "]", line breaks or leading/trailing spaces`,
    );
  }
  for (const [key, value] of Object.entries(settings)) {
    // A line break would start a new line and " #" a comment: neither would read back.
    if (!/^[A-Za-z0-9_.-]+$/.test(key) || /[\r\n]|[ \t][#;]/.test(value)) {
      throw new UserError(
        `profile "${name}": setting ${JSON.stringify(key)} cannot be written to the AWS config: ` +
          `keys are letters, digits, "_", "." or "-", and values are one line without " #" or " ;"`,
      );
    }
  }
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const header = name === "default" ? "[default]" : `[profile ${name}]`;
  const body = [header, ...Object.entries(settings).map(([k, v]) => `${k} = ${v}`)]
    .map((line) => line + eol).join("");
  if (text === "") return body;
  return text + (text.endsWith("\n") ? "" : eol) + eol + body;
}
