/**
 * The mail bot's policy file (YAML) and its defaults. It reads and checks settings; it does not
 * read files itself (the caller passes the text) nor know about command-line flags, which win
 * over the file in ingest-options.ts.
 *
 * Example:
 *   from: "lockscope <lockscope@example.org>"     # required: replies are never sent from @localhost
 *   publicUrl: https://lockscope.example.org
 *   archiveUrl: https://lore.kernel.org/all        # `| Closes:` links to the reply in this archive
 *   audience: list                                 # or author: the report goes to the author only
 *   kinds: { flush-under-lock: false }             # or a list of the kinds to report
 *   onApplyFailure: record
 *   seriesTimeoutMinutes: 30
 *   busyTimeoutSeconds: 60
 *   lockFunctions: [{ name: my_lock, effect: acquire, arg: 0 }]
 *   patchwork: { url: https://patchwork.example.org, token: ..., context: lockscope }
 *   base: { github: torvalds/linux }
 *   kernelConfig: arch/x86/configs/x86_64_defconfig  # review for this build (read from each base)
 */
import { parse } from 'yaml';
import { parseLockFunctions, type LockFunctionConfig } from '../analyzers/locks/catalogue-config.ts';
import type { FindingKind } from '../analyzers/report-types.ts';
import { ALL_KINDS, parseKinds } from '../finding-kinds.ts';
import { CONTEXT_MODES, type ContextMode } from '../context/types.ts';

export interface MailConfig {
  /** From: of every reply, and the envelope sender. Required to send (mailIdentityProblem); '' when unset. */
  from: string;
  /** Domain of generated Message-IDs; default: the From address's domain. */
  messageIdDomain: string | null;
  /** The list address reviews are filed under and replies Cc; default: List-Post, List-Id or To. */
  list: string | null;
  /** Dashboard base URL; replies link `${publicUrl}/reviews/<id>`. */
  publicUrl: string | null;
  /**
   * A public-inbox archive of the list (`https://lore.kernel.org/all`): a reply's `| Closes:` tag
   * links to the reply there (`<archiveUrl>/<reply Message-Id>/`); else to the dashboard.
   */
  archiveUrl: string | null;
  /** The `| Reported-by:` tag's value; default `from`. */
  reportedBy: string | null;
  /** Who gets a review: the author with the list and the patch's recipients on Cc ('list'), or the author only ('author'). */
  audience: 'list' | 'author';
  /** The kinds of finding to report (src/finding-kinds.ts); every kind by default. */
  kinds: FindingKind[];
  /** Cc the list on replies. */
  ccList: boolean;
  /** Cc everyone the original message Cc'd. */
  ccOriginal: boolean;
  /** A patch that does not apply: tell the author ('reply') or only mark the review failed ('record'). */
  onApplyFailure: 'reply' | 'record';
  /** Send a short note to the author of a patch we cannot read (format=flowed, attachment-only, ...). */
  problemNotes: boolean;
  /** How long an incomplete series waits for its missing parts before being reviewed as is. */
  seriesTimeoutMinutes: number;
  /** The git revision used with --repo when a patch names no base-commit, or names one the repo lacks. */
  branch: string;
  /** What is analyzed besides the touched files (see ReviewRequest.context). */
  context: ContextMode;
  /** Prose lines longer than this are rewrapped; code, chains and quotes never are. */
  wrapColumn: number;
  /**
   * SMTP: skip STARTTLS for a local MTA with a broken certificate; `timeoutSeconds` bounds each
   * network step (connect, greeting, each command) and `sendTimeoutSeconds` one whole send.
   */
  smtp: { ignoreTLS: boolean; timeoutSeconds: number; sendTimeoutSeconds: number };
  /** How long a run waits for another process's write lock on the database before giving up (exit 75). */
  busyTimeoutSeconds: number;
  /**
   * How many times a review that failed on our side (no base tree, a git error) is attempted,
   * with the reply backoff between attempts, before the series is given up as failed.
   */
  reviewRetries: number;
  /** The project's own lock functions, added to the catalogue (see catalogue-config.ts). */
  lockFunctions: LockFunctionConfig[];
  /** First retry delay of a failed send; doubles per attempt up to retryMaxSeconds. */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** Post a check per reviewed patch on this patchwork instance; null: no patchwork. */
  patchwork: PatchworkConfig | null;
  /** Review against a GitHub repository when neither --base nor --repo is given; null: none. */
  base: GitHubBaseConfig | null;
  /** A .config or defconfig in the base tree (path from its root) every review is for; null: any build. */
  kernelConfig: string | null;
}

export interface GitHubBaseConfig {
  /** "owner/repo" (checked when the mirror is opened). */
  github: string;
  /** The API root; null: $GITHUB_API_URL, else https://api.github.com. */
  api: string | null;
  /** Where blobs and listings are cached; null: the user cache directory. */
  cacheDir: string | null;
}

export interface PatchworkConfig {
  /** The instance (`https://patchwork.kernel.org`) or its API root. */
  url: string;
  /** API token; null here means LOCKSCOPE_PATCHWORK_TOKEN (keeps the secret out of the file). */
  token: string | null;
  /** The check's context, a slug: patchwork keeps the latest check per context. */
  context: string;
  /** Only patches of this project (its link name), when one mail is on several. */
  project: string | null;
  timeoutSeconds: number;
  /** A check that could not be posted this long after it was wanted is given up (a patch patchwork never got). */
  giveUpHours: number;
}

export const defaultMailConfig: MailConfig = {
  from: '',
  messageIdDomain: null,
  list: null,
  publicUrl: null,
  archiveUrl: null,
  reportedBy: null,
  audience: 'list',
  kinds: [...ALL_KINDS],
  ccList: true,
  ccOriginal: true,
  onApplyFailure: 'reply',
  problemNotes: true,
  seriesTimeoutMinutes: 60,
  branch: 'HEAD',
  context: 'calls',
  wrapColumn: 78,
  smtp: { ignoreTLS: false, timeoutSeconds: 30, sendTimeoutSeconds: 120 },
  busyTimeoutSeconds: 30,
  reviewRetries: 10,
  patchwork: null,
  base: null,
  kernelConfig: null,
  lockFunctions: [],
  retryBaseSeconds: 60,
  retryMaxSeconds: 6 * 3600,
};

const PATCHWORK_DEFAULTS: Omit<PatchworkConfig, 'url'> = { token: null, context: 'lockscope', project: null, timeoutSeconds: 30, giveUpHours: 72 };

export type ConfigResult = { ok: true; config: MailConfig } | { ok: false; reason: string };

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const strOrNull: Check = (v) => v === null || typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const positive: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v > 0;

const url: Check = (v) => v === null || (typeof v === 'string' && /^https?:\/\/[^\s/]+/.test(v));

const checks: Record<Exclude<keyof MailConfig, 'smtp' | 'lockFunctions' | 'patchwork' | 'kinds' | 'base'>, [Check, string]> = {
  from: [str, 'a string'],
  messageIdDomain: [strOrNull, 'a string'],
  list: [strOrNull, 'a string'],
  publicUrl: [strOrNull, 'a URL string'],
  archiveUrl: [url, 'an http(s) URL'],
  reportedBy: [strOrNull, 'a string'],
  audience: [(v) => v === 'list' || v === 'author', "'list' or 'author'"],
  ccList: [bool, 'true or false'],
  ccOriginal: [bool, 'true or false'],
  onApplyFailure: [(v) => v === 'reply' || v === 'record', "'reply' or 'record'"],
  problemNotes: [bool, 'true or false'],
  seriesTimeoutMinutes: [positive, 'a positive number'],
  branch: [str, 'a string'],
  context: [(v) => CONTEXT_MODES.includes(v as ContextMode), "'calls', 'touched', 'dir' or 'tree'"],
  wrapColumn: [(v) => positive(v) && (v as number) >= 40 && (v as number) <= 998, 'a number from 40 to 998'],
  retryBaseSeconds: [positive, 'a positive number'],
  retryMaxSeconds: [positive, 'a positive number'],
  reviewRetries: [(v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100, 'a whole number from 1 to 100'],
  busyTimeoutSeconds: [(v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 3600, 'a number of seconds from 0 to 3600'],
  kernelConfig: [(v) => v === null || (typeof v === 'string' && /^[^/\0][^\0]*$/.test(v) && !v.split('/').includes('..')), 'a path inside the base tree, from its root'],
};

function parsePatchwork(value: unknown): { ok: true; value: PatchworkConfig } | { ok: false; reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'config patchwork must be a mapping' };
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!['url', 'token', 'context', 'project', 'timeoutSeconds', 'giveUpHours'].includes(k)) return { ok: false, reason: `unknown config key patchwork.${k}` };
  if (typeof v.url !== 'string' || !/^https?:\/\/[^\s/]+/.test(v.url)) return { ok: false, reason: 'config patchwork.url must be an http(s) URL' };
  const out: PatchworkConfig = { ...PATCHWORK_DEFAULTS, url: v.url };
  if (v.token !== undefined) {
    if (typeof v.token !== 'string' || v.token === '') return { ok: false, reason: 'config patchwork.token must be a string' };
    out.token = v.token;
  }
  if (v.context !== undefined) {
    if (typeof v.context !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(v.context)) return { ok: false, reason: 'config patchwork.context must be a slug (letters, digits, - and _)' };
    out.context = v.context;
  }
  if (v.project !== undefined) {
    if (typeof v.project !== 'string') return { ok: false, reason: 'config patchwork.project must be a string' };
    out.project = v.project;
  }
  for (const k of ['timeoutSeconds', 'giveUpHours'] as const) {
    if (v[k] === undefined) continue;
    if (!positive(v[k])) return { ok: false, reason: `config patchwork.${k} must be a positive number` };
    out[k] = v[k] as number;
  }
  return { ok: true, value: out };
}

function parseBase(value: unknown): { ok: true; value: GitHubBaseConfig } | { ok: false; reason: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'config base must be a mapping: base: { github: OWNER/REPO }' };
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!['github', 'api', 'cacheDir'].includes(k)) return { ok: false, reason: `unknown config key base.${k}` };
  if (typeof v.github !== 'string' || v.github === '') return { ok: false, reason: 'config base.github must be OWNER/REPO' };
  for (const k of ['api', 'cacheDir'] as const) {
    if (v[k] !== undefined && (typeof v[k] !== 'string' || v[k] === '')) return { ok: false, reason: `config base.${k} must be a string` };
  }
  return { ok: true, value: { github: v.github, api: (v.api as string | undefined) ?? null, cacheDir: (v.cacheDir as string | undefined) ?? null } };
}

/** Parses the YAML text of a config file over the defaults; unknown keys and wrong types are errors, not guesses. */
export function parseMailConfig(text: string): ConfigResult {
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    return { ok: false, reason: `config is not valid YAML: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (data === null || data === undefined) return { ok: true, config: { ...defaultMailConfig } };
  if (typeof data !== 'object' || Array.isArray(data)) return { ok: false, reason: 'config must be a YAML mapping' };
  const config: MailConfig = { ...defaultMailConfig, smtp: { ...defaultMailConfig.smtp } };
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (key === 'lockFunctions') {
      const fns = parseLockFunctions(value);
      if (!fns.ok) return { ok: false, reason: `config ${fns.problems.join('; ')}` };
      config.lockFunctions = fns.value;
      continue;
    }
    if (key === 'kinds') {
      const kinds = parseKinds(value);
      if (!kinds.ok) return { ok: false, reason: `config ${kinds.problems.join('; ')}` };
      config.kinds = kinds.value;
      continue;
    }
    if (key === 'patchwork') {
      const pw = parsePatchwork(value);
      if (!pw.ok) return pw;
      config.patchwork = pw.value;
      continue;
    }
    if (key === 'base') {
      const base = parseBase(value);
      if (!base.ok) return base;
      config.base = base.value;
      continue;
    }
    if (key === 'smtp') {
      if (typeof value !== 'object' || value === null) return { ok: false, reason: 'config smtp must be a mapping' };
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (k === 'ignoreTLS') {
          if (typeof v !== 'boolean') return { ok: false, reason: 'config smtp.ignoreTLS must be true or false' };
          config.smtp.ignoreTLS = v;
        } else if (k === 'timeoutSeconds' || k === 'sendTimeoutSeconds') {
          if (!positive(v) || (v as number) > 3600) return { ok: false, reason: `config smtp.${k} must be a number of seconds from 1 to 3600` };
          config.smtp[k] = v as number;
        } else return { ok: false, reason: `unknown config key smtp.${k}` };
      }
      continue;
    }
    const check = checks[key as keyof typeof checks];
    if (!check) return { ok: false, reason: `unknown config key '${key}'` };
    if (!check[0](value)) return { ok: false, reason: `config ${key} must be ${check[1]}` };
    (config as unknown as Record<string, unknown>)[key] = value;
  }
  return { ok: true, config };
}

/** The domain of an address or a `Name <address>` From: value; null when there is none. */
function domainOf(from: string): string | null {
  const m = /@([^\s>@]+)>?\s*$/.exec(from.trim());
  return m ? (m[1] as string).toLowerCase() : null;
}

const LOCAL = /^(localhost|localdomain|localhost\.localdomain|[^.]+)$/;

/**
 * Why replies cannot be sent with this config, or null: `from` must be set, and neither it nor
 * the Message-Id domain may be a local name (`@localhost`): a reply from there is unanswerable and
 * looks forged. Checked at startup by the commands that send replies.
 */
export function mailIdentityProblem(config: MailConfig): string | null {
  if (config.from.trim() === '') return 'replies need a From: address: set `from: "lockscope <lockscope@your.domain>"` in the config file (--config FILE)';
  const from = domainOf(config.from);
  if (from === null) return `config from: '${config.from}' has no address`;
  if (LOCAL.test(from)) return `config from: '${config.from}' is a local address; replies must come from a domain others can answer`;
  const idDomain = (config.messageIdDomain ?? from).toLowerCase();
  if (LOCAL.test(idDomain)) return `config messageIdDomain: '${idDomain}' is a local name; set a domain you own`;
  return null;
}
