/** Thrown by the /proc parsers when a file does not have the shape the kernel gives it. */
export class ProcParseError extends Error {
  constructor(file: string, problem: string) {
    super(`unexpected /proc/${file} content: ${problem}`);
    this.name = 'ProcParseError';
  }
}
