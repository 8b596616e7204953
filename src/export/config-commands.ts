import type { SecretReference } from "./adoption-plan";

/** A word as a POSIX shell reads it back unchanged: bare when it is safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.:/@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that stores one credential as a stack config secret. It carries no value: `pulumi config set`
 * asks for it, so the value goes into neither a file nor the shell's history.
 */
export function configSetSecretCommand(secret: SecretReference): string {
  return `pulumi config set --secret ${shellWord(secret.configKey)}`;
}
