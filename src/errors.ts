/** An error whose message is written for the person who triggered the bot. */
export class ActionError extends Error {
  override name = 'ActionError';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
