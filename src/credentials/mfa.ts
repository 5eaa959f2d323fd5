/**
 * MFA codes (spec §6): `--mfa-token`, then the profile's `mfa_process`, then the
 * prompt driver. Asked only when an STS call needs one, at most once per serial
 * per command.
 */
import type { ProfileConfig } from "../config/types.ts";
import type { Env } from "../env.ts";
import { NEEDS_INPUT_EXIT, UserError } from "../errors.ts";
import { runForOutput, runShell } from "./run.ts";

/** Prompt drivers vault knows, as aws-vault names them. */
export const PROMPT_DRIVERS = ["terminal", "ykman", "zenity", "kdialog", "osascript"] as const;

/**
 * The ykman command line, as aws-vault builds it: the OATH account is
 * YKMAN_OATH_CREDENTIAL_NAME (default the serial), YKMAN_OATH_DEVICE_SERIAL picks
 * the key, AWS_VAULT_YKMAN_VERSION 1-3 uses the old `oath code` form.
 */
export function ykmanArgv(serial: string, env: Env): string[] {
  const account = env.YKMAN_OATH_CREDENTIAL_NAME || serial;
  const device = env.YKMAN_OATH_DEVICE_SERIAL ? ["--device", env.YKMAN_OATH_DEVICE_SERIAL] : [];
  const oath = /^[123]$/.test(env.AWS_VAULT_YKMAN_VERSION ?? "") ? ["oath"] : ["oath", "accounts"];
  return ["ykman", ...device, ...oath, "code", "--single", account];
}

export interface MfaOptions {
  /** `--mfa-token`. */
  token?: string;
  /** `--prompt` / AWS_VAULT_PROMPT; default terminal. */
  driver?: string;
  /** Fail instead of asking (auto refresh). */
  noInput?: boolean;
  /** For the prompt drivers' own settings (ykman's). */
  env?: Env;
}

/** Hands out MFA codes for one command. */
/** Tries at a code, typed or asked of a prompt driver, before a command gives up. */
const MFA_TRIES = 3;

export class MfaCodes {
  private readonly codes = new Map<string, Promise<string>>();
  /** Serials whose code came from a prompt, which can give another, and how often it was asked. */
  private readonly prompted = new Map<string, number>();
  private tokenUsed = false;

  constructor(private readonly opts: MfaOptions) {
    const driver = opts.driver ?? "terminal";
    if (!(PROMPT_DRIVERS as readonly string[]).includes(driver)) {
      throw new UserError(
        `unknown prompt driver '${driver}': use one of ${PROMPT_DRIVERS.join(", ")}`,
        2,
      );
    }
  }

  /** The code for `serial`; `profile` supplies `mfa_process`. */
  code(serial: string, profile: ProfileConfig): Promise<string> {
    let code = this.codes.get(serial);
    if (!code) {
      code = this.fetch(serial, profile);
      this.codes.set(serial, code);
    }
    return code;
  }

  /**
   * AWS refused the code for `serial`: forget it and say whether asking again
   * can help (a prompt with tries left; not --mfa-token or mfa_process).
   */
  forget(serial: string): boolean {
    const asked = this.prompted.get(serial) ?? 0;
    if (asked === 0 || asked >= MFA_TRIES) return false;
    this.codes.delete(serial);
    return true;
  }

  private async fetch(serial: string, profile: ProfileConfig): Promise<string> {
    if (this.opts.token !== undefined && !this.tokenUsed) {
      this.tokenUsed = true;
      return checkCode(this.opts.token, "--mfa-token");
    }
    if (profile.mfaProcess) {
      const out = await runShell(`mfa_process of profile ${profile.name}`, profile.mfaProcess);
      return checkCode(out.trim(), `mfa_process of profile ${profile.name}`);
    }
    if (this.opts.noInput) {
      throw new UserError(
        `an MFA code for ${serial} is needed: run 'vault use ${profile.name}' to enter one`,
        NEEDS_INPUT_EXIT,
      );
    }
    this.prompted.set(serial, (this.prompted.get(serial) ?? 0) + 1);
    const text = `Enter MFA code for ${serial}: `;
    switch (this.opts.driver ?? "terminal") {
      case "ykman":
        return checkCode(
          await runForOutput("ykman", ykmanArgv(serial, this.opts.env ?? {})),
          "ykman",
        );
      case "zenity":
        return checkCode(
          await runForOutput("zenity", ["zenity", "--entry", "--title", "vault", "--text", text]),
          "zenity",
        );
      case "kdialog":
        return checkCode(
          await runForOutput("kdialog", ["kdialog", "--inputbox", text, "--title", "vault"]),
          "kdialog",
        );
      case "osascript":
        return checkCode(
          await runForOutput("osascript", [
            "osascript",
            "-e",
            `text returned of (display dialog ${
              JSON.stringify(text)
            } default answer "" with title "vault")`,
          ]),
          "osascript",
        );
      default: {
        const { promptLine } = await import("../ui/tty.ts");
        let answer = await promptLine(text);
        // A slip of the finger is asked again rather than ending the command.
        for (let tries = 1; tries < MFA_TRIES && !isCode(answer); tries++) {
          answer = await promptLine(`That is not a 6-digit code. ${text}`);
        }
        return checkCode(answer, "the terminal");
      }
    }
  }
}

const isCode = (raw: string) => /^\d{6,8}$/.test(raw.trim());

function checkCode(raw: string, from: string): string {
  const code = raw.trim();
  if (!isCode(code)) {
    throw new UserError(`the MFA code from ${from} is not 6 to 8 digits: enter the current code`);
  }
  return code;
}
