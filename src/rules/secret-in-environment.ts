import type { Rule, RuleContext } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import type { Build, Instruction, Property, Stage } from '../model/build.js';
import { inFinalImage } from '../model/build.js';
import type { Container, EnvVar } from '../model/container.js';
import type { At } from '../model/value.js';
import { own } from '../core/own.js';

/**
 * What a plain value looks like when it is a known credential format,
 * whatever its variable is called. Values are data, not shell, so patterns
 * are the right tool here. The kinds name what was found; the value itself
 * is never printed (it is sensitive, and untrusted input).
 */
const VALUE_FORMATS: readonly { kind: string; test: RegExp }[] = [
  { kind: 'an AWS access key id', test: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/ },
  { kind: 'a GitHub token', test: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})/ },
  { kind: 'a GitLab token', test: /(?<![A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20,}/ },
  { kind: 'an npm token', test: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/ },
  { kind: 'a Slack token', test: /(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}/ },
  { kind: 'a Stripe secret key', test: /(?<![A-Za-z0-9_])[sr]k_live_[A-Za-z0-9]{16,}/ },
  { kind: 'a Google API key', test: /(?<![A-Za-z0-9_])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/ },
  { kind: 'a private key', test: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
];

/** `scheme://user:password@host`, or `redis://:password@host`; the password group is checked separately for variables. */
const URL_WITH_PASSWORD = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]+)@/;

/** Whole words of a variable name that say it holds a secret, with what to call it. */
const SECRET_WORDS: Readonly<Record<string, string>> = {
  PASSWORD: 'a password',
  PASSWORDS: 'a password',
  PASSWD: 'a password',
  PASS: 'a password',
  PASSPHRASE: 'a passphrase',
  SECRET: 'a secret',
  SECRETS: 'a secret',
  TOKEN: 'a token',
  TOKENS: 'a token',
  APIKEY: 'an API key',
  CREDENTIALS: 'credentials',
  CREDENTIAL: 'credentials',
  CREDS: 'credentials',
  PRIVATEKEY: 'a private key',
};

/** Two words that together say secret: `API_KEY`, `ACCESS_KEY`, `PRIVATE_KEY`, … */
const SECRET_PAIRS: Readonly<Record<string, string>> = {
  'API KEY': 'an API key',
  'ACCESS KEY': 'an access key',
  'PRIVATE KEY': 'a private key',
  'SECRET KEY': 'a secret key',
  'ENCRYPTION KEY': 'an encryption key',
  'SIGNING KEY': 'a signing key',
  'MASTER KEY': 'a master key',
  'LICENSE KEY': 'a license key',
  'AUTH KEY': 'an authentication key',
  'AUTH SALT': 'an authentication salt',
};

/**
 * A last word that makes the variable about a secret rather than the secret
 * itself: where it is (`_FILE`, `_PATH`, `_URL`), its settings (`_ENABLED`,
 * `_TIMEOUT`, `_TTL`, `_MIN_LENGTH`), or who/what it belongs to (`_USER`, `_ID`).
 */
const NOT_SECRET_LAST = new Set([
  'FILE', 'FILES', 'PATH', 'DIR', 'URL', 'URI', 'HOST', 'HOSTNAME', 'PORT', 'ENDPOINT', 'REGION', 'ARN', 'NAME', 'ID',
  'USER', 'USERNAME', 'LOGIN', 'ENABLED', 'ENABLE', 'DISABLED', 'DISABLE', 'REQUIRED', 'TIMEOUT', 'TTL', 'EXPIRY', 'EXPIRES',
  'EXPIRATION', 'LIFETIME', 'AGE', 'LENGTH', 'LEN', 'SIZE', 'RETRIES', 'TYPE', 'MODE', 'METHOD', 'MECHANISM', 'PROVIDER',
  'BACKEND', 'STRATEGY', 'SOURCE', 'DOMAIN', 'REALM', 'ISSUER', 'AUDIENCE', 'SCOPE', 'SCOPES', 'HEADER', 'PREFIX', 'FORMAT',
  'ALGORITHM', 'POLICY', 'VERSION', 'STORE', 'TEMPLATE',
]);

const BOOLEAN = /^(true|false|yes|no|on|off)$/i;

/** An absolute file path (GOOGLE_APPLICATION_CREDENTIALS=/var/run/gcp/key.json): it names where the secret is. */
const FILE_PATH = /^\/[A-Za-z0-9._\/-]*$/;

/** UPPER_SNAKE words of a name; camelCase and dashes split too (`dbPassword`, `db-password`). */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== '');
}

/** What the name says the variable holds, or undefined when it does not name a secret. */
export function secretKindOfName(name: string): string | undefined {
  const words = wordsOf(name);
  if (words.length === 0 || NOT_SECRET_LAST.has(words.at(-1)!)) return undefined;
  // AUTH says secret only as the last word (BASIC_AUTH, NPM_AUTH); AUTH_SERVER, AUTH_SERVICE… are settings.
  if (words.at(-1) === 'AUTH') return 'credentials';
  // The last secret word is the most specific: SENTRY_AUTH_TOKEN is a token.
  for (let i = words.length - 1; i >= 0; i--) {
    const kind = (i > 0 ? own(SECRET_PAIRS, `${words[i - 1]} ${words[i]}`) : undefined) ?? own(SECRET_WORDS, words[i]!);
    if (kind) return kind;
  }
  return undefined;
}

/** `$NAME`, `${NAME}`, and Kubernetes' `$(NAME)`: references whose value is decided elsewhere. Defaults (`${NAME:-x}`) stay: they are literals. */
const VARIABLE = /\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\$[A-Za-z_][A-Za-z0-9_]*/g;

/** True when the value is only variable references (`${DB_PASSWORD}`): its text is not the secret. */
function onlyVariables(value: string): boolean {
  return value.includes('$') && value.replace(VARIABLE, '').trim() === '';
}

/** What a value plainly holds, by its format; undefined when it looks like no known credential. */
export function secretKindOfValue(value: string): string | undefined {
  for (const f of VALUE_FORMATS) if (f.test.test(value)) return f.kind;
  const url = URL_WITH_PASSWORD.exec(value);
  if (url && !onlyVariables(url[1]!)) return 'a URL with a password';
  return undefined;
}

/** The kind of secret a NAME=value pair holds in plain text, or undefined: value formats first, then the name. */
export function plainSecretKind(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const byValue = secretKindOfValue(trimmed);
  if (byValue) return byValue;
  if (onlyVariables(trimmed) || BOOLEAN.test(trimmed) || FILE_PATH.test(trimmed)) return undefined;
  return secretKindOfName(name);
}

/** The fix, in the terms of the input the variable is written in. */
function runtimeFix(c: Container, v: EnvVar): string {
  switch (c.source.kind) {
    case 'compose':
      return v.path.includes('env_file')
        ? 'remove it from the env_file and use a compose secret (secrets:, read from /run/secrets/NAME)'
        : 'use a compose secret (secrets:, read from /run/secrets/NAME) instead of environment:';
    case 'kubernetes':
      return 'take it from a Secret with valueFrom.secretKeyRef';
    case 'ecs':
      return 'move it to secrets (valueFrom: a Secrets Manager or SSM Parameter Store ARN)';
    case 'image':
      return 'remove the ENV from the Dockerfile that builds the image (RUN --mount=type=secret at build time, a secret store at run time), and rotate it: anyone who can pull the image can read it';
    default:
      return 'pass it as a file (a docker secret or a read-only mount, and NAME_FILE) instead of -e';
  }
}

const BUILD_FIX = 'remove it; use RUN --mount=type=secret at build time and a secret store at run time';

/**
 * Reports on a build node with the Container its Dockerfile also yields, so
 * the finding gets the Dockerfile's remediation (the engine picks it by the
 * container's source kind).
 */
function buildReporter(ctx: RuleContext, build: Build): (at: At, message: string) => void {
  const container = ctx.workload.containers.find((c) => c.source.kind === 'dockerfile' && c.source.file === build.file);
  return (at, message) => ctx.report(container ? { subject: build.subject, at, message, container } : { subject: build.subject, at, message });
}

function checkProperty(report: (at: At, message: string) => void, stage: Stage | undefined, ins: Instruction, p: Property): void {
  const where = ins.keyword === 'ONBUILD' ? `ONBUILD ${ins.trigger?.keyword ?? ''}` : ins.keyword;
  const keyword = ins.trigger?.keyword ?? ins.keyword;
  const kind = plainSecretKind(p.name, p.value);
  if (kind) {
    const kept =
      ins.keyword === 'ONBUILD'
        ? 'plain text that every image built FROM this one inherits'
        : keyword === 'ARG'
          ? 'a default that stays in the Dockerfile and the image history'
          : 'plain text that stays in the image';
    report(p, `${where} ${p.name} holds ${kind} as ${kept}: ${BUILD_FIX}`);
    return;
  }
  // `ENV NPM_TOKEN=$NPM_TOKEN` bakes a build argument into the image's configuration, readable by anyone who pulls it.
  if (keyword === 'ENV' && ins.keyword === 'ENV' && stage && inFinalImage(stage) && p.value !== undefined && onlyVariables(p.value.trim())) {
    const named = secretKindOfName(p.name);
    if (named) {
      report(p, `ENV ${p.name} copies a variable holding ${named} into the image's environment: use RUN --mount=type=secret for the build, and a secret store at run time`);
    }
  }
}

export const secretInEnvironment: Rule = {
  id: 'BH044',
  name: 'secret-in-environment',
  severity: 'high',
  category: 'supply-chain',
  references: ['CIS-4.10'],
  aliases: [
    'DL3064',
    'CIS-DI-0010',
    'DS-0031',
    'AWS-0036',
    'KSV-0109',
    'CKV_SECRET_2',
    'CKV_SECRET_4',
    'CKV_SECRET_10',
    'CKV_SECRET_12',
    'CKV_SECRET_13',
    'CKV_SECRET_14',
    'CKV_SECRET_17',
    'CKV_K8S_35',
    'kics: Secrets Stored In Dockerfile',
    'kics: Plaintext Password',
  ],
  docs: {
    summary: 'A password, token or key is written in plain text in the environment, or in a Dockerfile ENV or ARG.',
    rationale:
      'Plain environment variables are not secret: `docker inspect`, `kubectl get -o yaml`, `DescribeTaskDefinition`, /proc/PID/environ, crash dumps and child processes all show them, and the files that define them are committed and copied around. A Dockerfile ENV stays in the image\'s configuration and an ARG value in its history, for anyone who can pull it. A variable counts when its name has a secret word (PASSWORD, PASSWD, PASS, SECRET, TOKEN, API_KEY, ACCESS_KEY, PRIVATE_KEY, CREDENTIALS, AUTH as its last word, …) and its value is a literal (not empty, not a boolean, not an absolute file path, not only `${VARIABLES}`; names ending in _FILE, _PATH, _URL, _ENABLED, _TIMEOUT, _USER, _ID and the like are about a secret, not the secret), or when its value has a known credential format whatever its name (AWS access key ids, GitHub, GitLab, npm, Slack and Stripe tokens, Google API keys, private keys, URLs with a password). Values from a secret store (Kubernetes secretKeyRef, ECS secrets) are fine. In a Dockerfile every stage counts, builders included: the text is in the file itself. The finding names the variable and the kind of secret, never its value.',
    remediation: {
      docker: 'pass secrets as files (docker secret, or a read-only mount and NAME_FILE) instead of -e NAME=value; rotate any secret that was exposed',
      compose: 'top-level secrets: with the service\'s secrets: (read from /run/secrets/NAME, often via NAME_FILE), instead of environment: or env_file',
      kubernetes: 'env[].valueFrom.secretKeyRef (or envFrom.secretRef) instead of env[].value',
      ecs: '"secrets": [{ "name": "NAME", "valueFrom": "<Secrets Manager or SSM Parameter Store ARN>" }] instead of "environment"',
      dockerfile:
        'remove the ENV/ARG; at build time use RUN --mount=type=secret,id=NAME,env=NAME (docker build --secret id=NAME,env=NAME), at run time pass it from a secret store; rotate the secret',
    },
  },
  needs: ['runtime', 'build'],
  check(ctx) {
    const builds = ctx.workload.builds ?? [];
    const withBuild = new Set(builds.map((b) => b.file));
    eachContainer(ctx, (c, report) => {
      // A Dockerfile's ENV is read from its build below (every stage, and ARG too), placed at the property.
      if (c.source.kind === 'dockerfile' && c.source.file !== undefined && withBuild.has(c.source.file)) return;
      if (c.env.origin === 'absent') return;
      for (const v of c.env.value) {
        if (v.fromSecret) continue;
        const kind = plainSecretKind(v.name, v.value);
        if (kind) report(v, `environment variable ${v.name} holds ${kind} in plain text: ${runtimeFix(c, v)}`);
      }
    });
    for (const build of builds) {
      const report = buildReporter(ctx, build);
      const visit = (stage: Stage | undefined, ins: Instruction) => {
        const target = ins.keyword === 'ONBUILD' ? ins.trigger : ins;
        if (!target || (target.keyword !== 'ENV' && target.keyword !== 'ARG')) return;
        for (const p of target.properties ?? []) checkProperty(report, stage, ins, p);
      };
      for (const ins of build.preamble) visit(undefined, ins);
      for (const stage of build.stages) for (const ins of stage.instructions) visit(stage, ins);
    }
  },
};
