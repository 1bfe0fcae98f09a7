import { createRequire } from 'node:module';
import type TreeSitter from 'tree-sitter';

let parser: TreeSitter | undefined;

function bashParser(): TreeSitter {
  if (!parser) {
    const require = createRequire(import.meta.url);
    const Parser = require('tree-sitter') as typeof TreeSitter;
    parser = new Parser();
    parser.setLanguage(require('tree-sitter-bash'));
  }
  return parser;
}

/**
 * The end offset (in `script`) of the argument word at `index` of the first
 * simple command of a script, read with the shell parser: where an option
 * goes after a subcommand (`apt-get install` + ` --no-install-recommends`).
 * undefined when the script has characters beyond ASCII (the parser counts
 * bytes) or no such word.
 */
export function argumentEnd(script: string, index: number): number | undefined {
  if (!/^[\x00-\x7f]*$/.test(script)) return undefined;
  const tree = bashParser().parse(script);
  let command: TreeSitter.SyntaxNode | undefined;
  const find = (n: TreeSitter.SyntaxNode, depth: number): void => {
    if (command || depth > 50) return;
    if (n.type === 'command') command = n;
    else for (const c of n.namedChildren) find(c, depth + 1);
  };
  find(tree.rootNode, 0);
  if (!command) return undefined;
  const args = command.childrenForFieldName('argument');
  return args[index]?.endIndex;
}
