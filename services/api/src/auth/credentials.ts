import { FieldError } from '@todo/domain';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The one form of an e-mail address used to find an account, to key login limits and to refuse a
 * second sign-up: compatibility-normalised (NFKC: full-width letters and exotic spaces become
 * plain ones), stripped of surrounding white space and invisible format characters (U+FEFF,
 * U+200B), lower case. A loop, not a `\s+$` pattern, so a long run of spaces costs linear time.
 */
export function normalizeEmail(raw: string): string {
  return displayEmail(raw).toLowerCase();
}

/** The address as the account shows it: `normalizeEmail` without the lower-casing. */
export function displayEmail(raw: string): string {
  const text = raw.normalize('NFKC');
  const ignorable = (char: string) => /[\s\p{Cf}]/u.test(char);
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  while (start < end && ignorable(chars[start] as string)) start++;
  while (end > start && ignorable(chars[end - 1] as string)) end--;
  return chars.slice(start, end).join('');
}

/** Shorter passwords fall to offline guessing of a leaked hash; NIST SP 800-63B asks for at least 8. */
export const PASSWORD_MIN_LENGTH = 10;
/** "aaaaaaaaaa", "1212121212", ten spaces: long enough, guessable at once. */
const PASSWORD_MIN_DISTINCT = 4;

let common: Set<string> | undefined;
/**
 * The ~49,000 most common passwords of public breach corpora, as the maintained
 * @zxcvbn-ts/language-common package ships them (lower case), loaded on first use.
 */
const commonPasswords = () => {
  common ??= new Set(dictionary['passwords-common']);
  return common;
};

/** Refuses, as a 400 naming `field`, a new password that is short, repetitive or common. */
export function assertAcceptablePassword(password: string, field = 'password'): void {
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) {
    throw new FieldError(field, `must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (new Set(chars).size < PASSWORD_MIN_DISTINCT) {
    throw new FieldError(field, `must use at least ${PASSWORD_MIN_DISTINCT} different characters`);
  }
  const folded = password.normalize('NFKC').trim().toLowerCase();
  if (commonPasswords().has(folded) || commonPasswords().has(folded.replaceAll(' ', ''))) {
    throw new FieldError(field, 'is one of the most common passwords; choose another');
  }
}
