/**
 * @module cli/glob
 * A tiny glob matcher (Node 20 has no fs.glob): `*`, `?`, `**`, `[abc]`, `{a,b}`; `/` separators.
 */

export const hasMagic = (pattern: string) => /[*?[{]/.test(pattern);

/** Regular expression for a whole relative path. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (c === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end < 0) re += '\\{';
      else {
        re += '(?:' + pattern.slice(i + 1, end).split(',').map(escape).join('|') + ')';
        i = end;
      }
    } else re += escape(c);
  }
  return new RegExp('^' + re + '$');
}

const escape = (s: string) => s.replace(/[.+^$()|\\[\]{}*?]/g, '\\$&');

/** Splits `dir/sub/*.jpg` into the literal base (`dir/sub`) and the magic remainder (`*.jpg`). */
export function splitGlob(pattern: string): { base: string; rest: string } {
  const parts = pattern.split('/');
  const i = parts.findIndex(hasMagic);
  const base = parts.slice(0, i).join('/');
  return { base: base || (pattern.startsWith('/') ? '/' : '.'), rest: parts.slice(i).join('/') };
}
