import type { Rule } from '../core/rule.js';
import { type Instruction, instructionsInScope } from '../model/build.js';
import type { At } from '../model/value.js';

/** Local archives ADD unpacks on purpose (Docker detects gzip, bzip2, xz and zstd tarballs). */
const ARCHIVE = ['.tar', '.tar.gz', '.tgz', '.tar.xz', '.txz', '.tar.bz2', '.tbz2', '.tbz', '.tar.zst'];

type Source = { kind: 'local' | 'archive' | 'url' | 'git' | 'unknown'; value: string; at: At };

/** A full commit hash (SHA-1 or SHA-256) after `#`: the ref names exact content. */
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function schemeOf(src: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(src);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** How BuildKit reads an ADD source: a git repository, a URL, a local archive it unpacks, or local files. */
function classify(src: string): Source['kind'] {
  const scheme = schemeOf(src);
  if (src.startsWith('git@') || scheme === 'git' || scheme === 'ssh') return 'git';
  if (scheme === 'http' || scheme === 'https') {
    const path = src.split('#')[0]!.replace(/\/+$/, '');
    return path.endsWith('.git') ? 'git' : 'url';
  }
  if (src.startsWith('$')) return 'unknown';
  if (src.startsWith('<<')) return 'local';
  const lower = src.toLowerCase();
  return ARCHIVE.some((ext) => lower.endsWith(ext)) ? 'archive' : 'local';
}

/** The sources of an ADD (every word but the destination), in either form, each placed where it is written. */
function sourcesOf(ins: Instruction): Source[] {
  const tokens = ins.tokens;
  if (tokens[0]?.value.startsWith('[')) {
    // Exec form: the words are a JSON array, which the tokenizer split at spaces.
    const start = ins.args.indexOf('[');
    let words: unknown;
    try {
      words = JSON.parse(ins.args.slice(start));
    } catch {
      return [];
    }
    if (!Array.isArray(words) || words.length < 2 || !words.every((w) => typeof w === 'string')) return [];
    return (words as string[]).slice(0, -1).map((value) => ({ kind: classify(value), value, at: ins }));
  }
  if (tokens.length < 2) return [];
  return tokens.slice(0, -1).map((t) => ({ kind: classify(t.value), value: t.value, at: t }));
}

export const addInsteadOfCopy: Rule = {
  id: 'BH034',
  name: 'add-instead-of-copy',
  severity: 'low',
  category: 'build',
  references: ['CIS-4.9'],
  aliases: ['DL3020', 'CIS-DI-0009', 'DS-0005', 'CKV_DOCKER_4', 'kics: Add Instead of Copy'],
  docs: {
    summary: 'ADD copies local files where COPY serves, or fetches a URL or git repository with nothing to verify it.',
    rationale:
      'ADD does more than copy: it unpacks local archives and fetches URLs and git repositories. For local files that magic is a surprise waiting to happen (a file that happens to be a tarball is unpacked), so COPY, which only copies, says what is meant. A URL or a git branch is worse (medium severity): the build takes whatever the server returns that day, with no checksum, so a compromised or changed download goes straight into the image. `ADD --checksum=sha256:…` (BuildKit) makes a download verifiable, and a git ref that is a full commit hash names exact content. Local tar archives (.tar, .tar.gz, .tgz, .tar.xz, .tar.bz2, …) are what ADD is for and pass. This rule looks at every stage that is built (final, ancestors and builders, ONBUILD triggers included), since a download in a builder stage reaches the image through what is copied from it.',
    remediation: {
      docker: 'in the Dockerfile: COPY for local files; ADD --checksum=sha256:HASH URL DEST for a download; a full commit hash (#SHA) for a git repository',
      dockerfile:
        'COPY instead of ADD for local files; for a URL: ADD --checksum=sha256:HASH URL DEST, or RUN curl -fsSLo FILE URL && echo "HASH  FILE" | sha256sum -c -; for a git repository: ADD REPO.git#FULL_COMMIT_SHA DEST',
    },
  },
  needs: ['build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      for (const { instruction: ins } of instructionsInScope(build, 'built', 'ADD')) {
        const checksum = ins.flags.some((f) => f.name === 'checksum' && f.value);
        const sources = sourcesOf(ins);
        for (const s of sources) {
          if (s.kind === 'url' && !checksum) {
            ctx.report({
              subject: build.subject,
              at: s.at,
              severity: 'medium',
              message: `ADD downloads ${s.value} with no checksum: add --checksum=sha256:<hash>, or fetch it in a RUN with curl and sha256sum -c`,
            });
          } else if (s.kind === 'git' && !checksum && !COMMIT.test(s.value.split('#')[1] ?? '')) {
            ctx.report({
              subject: build.subject,
              at: s.at,
              severity: 'medium',
              message: `ADD clones ${s.value} at a ref that can move: pin a full commit hash (#<sha>) or add --checksum=<commit>`,
            });
          }
        }
        const local = sources.filter((s) => s.kind === 'local');
        if (local.length > 0) {
          const names = local.map((s) => (s.value.startsWith('<<') ? `heredoc ${s.value}` : s.value)).join(', ');
          ctx.report({ subject: build.subject, at: ins, message: `ADD of local files (${names}): use COPY instead` });
        }
      }
    }
  },
};
