import type { Rule } from '../core/rule.js';
import type { Instruction } from '../model/build.js';
import { imageCommand } from '../model/build.js';
import { plainCommandWords, within } from './support/commands.js';

/** `exec prog …` as the whole script: the program replaces the shell, so it is PID 1 and gets the signals. */
function execsProgram(ins: Instruction): boolean {
  const commands = ins.commands ?? [];
  const first = commands[0];
  if (!first || first.name !== 'exec' || first.args.length === 0) return false;
  return commands.every((c) => c === first || within(c.loc, first.loc));
}

/** The exec form of a script that is one plain command (`node server.js` → `["node", "server.js"]`), or undefined. */
function execForm(ins: Instruction): string | undefined {
  const words = plainCommandWords(ins);
  return words && `${ins.keyword} [${words.map((w) => JSON.stringify(w)).join(', ')}]`;
}

function fixOf(ins: Instruction): string {
  const exact = execForm(ins);
  return exact ? `write ${exact}` : `write it as a JSON array (${ins.keyword} ["executable", "arg", …]), or start the script with exec so the program replaces the shell`;
}

export const shellFormCommand: Rule = {
  id: 'BH040',
  name: 'shell-form-command',
  severity: 'low',
  category: 'build',
  references: [],
  aliases: ['DL3025', 'kics: Not Using JSON In CMD And ENTRYPOINT Arguments'],
  docs: {
    summary: 'The image\'s CMD or ENTRYPOINT is written in shell form (`CMD node server.js`), so it runs under `/bin/sh -c`.',
    rationale:
      'In shell form the container\'s PID 1 is `/bin/sh -c "…"`, and a shell does not pass SIGTERM on to its child: `docker stop` waits out its timeout and then kills the process with SIGKILL, with no graceful shutdown (open requests dropped, buffers not flushed). A shell-form ENTRYPOINT also ignores CMD and the arguments of `docker run`; a shell-form CMD after an exec-form ENTRYPOINT reaches it as `/bin/sh -c …` arguments. Only the CMD and ENTRYPOINT the image runs with count (the last ones of the final stage or a stage it builds FROM; earlier ones are multiple-cmd\'s). A script that is a single `exec …` command is not flagged: the program replaces the shell.',
    remediation: {
      docker: 'write CMD and ENTRYPOINT in exec form (JSON arrays) in the Dockerfile; `docker run --init` adds an init that forwards signals',
      dockerfile: 'CMD ["node", "server.js"] instead of CMD node server.js (or CMD exec node server.js when the script needs variable expansion)',
    },
  },
  needs: ['build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      const { entrypoint, cmd } = imageCommand(build);
      const ep = entrypoint?.instruction;
      if (ep?.form === 'shell' && !execsProgram(ep)) {
        const shell = (ep.shell ?? ['/bin/sh', '-c']).join(' ');
        ctx.report({ subject: build.subject, at: ep, message: `ENTRYPOINT in shell form runs under ${shell}, which does not pass SIGTERM on, and ignores CMD and docker run arguments: ${fixOf(ep)}` });
      }
      const c = cmd?.instruction;
      if (!c || c.form !== 'shell' || ep?.form === 'shell') continue;
      const shell = (c.shell ?? ['/bin/sh', '-c']).join(' ');
      if (ep?.form === 'exec') {
        const exact = execForm(c);
        ctx.report({
          subject: build.subject,
          at: c,
          message: `CMD in shell form reaches the exec-form ENTRYPOINT as the arguments ${shell} "…": ${exact ? `write ${exact}` : 'write its arguments as a JSON array (CMD ["arg", …])'}`,
        });
      } else if (!execsProgram(c)) {
        ctx.report({ subject: build.subject, at: c, message: `CMD in shell form runs under ${shell}, which does not pass SIGTERM on: ${fixOf(c)}` });
      }
    }
  },
};
