/** GitHub logins: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export function isValidLogin(login: string): boolean {
  return LOGIN.test(login);
}
