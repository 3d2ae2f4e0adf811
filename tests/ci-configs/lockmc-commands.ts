/**
 * The lockmc command lines of a CI config, as argv: every `npx lockmc ...`
 * in its shell scripts, with the CI's variables replaced by sample values
 * (the test names each one, so an unknown variable is an error, not a
 * silently odd argument) and the shell's `|| ...` tail dropped.
 */
export function lockmcCommands(scripts: string[], values: Record<string, string>): string[] {
  const lines = scripts.flatMap((s) => s.split('\n'));
  const commands: string[] = [];
  for (const line of lines) {
    const at = line.indexOf('npx lockmc ');
    if (at < 0) continue;
    let cmd = line.slice(at + 'npx lockmc '.length);
    const or = cmd.indexOf(' || ');
    if (or >= 0) cmd = cmd.slice(0, or);
    for (const [name, value] of Object.entries(values)) cmd = cmd.split(name).join(value);
    commands.push(cmd.trim());
  }
  return commands;
}

/** Split a command line as the shell would for the plain words and double quotes CI scripts here use. */
export function shellWords(cmd: string): string[] {
  if (/[`'\\;&|<>()]|\$/.test(cmd)) throw new Error(`not a plain command line (a variable left, or shell syntax): ${cmd}`);
  return cmd
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => w.replace(/"/g, ''));
}
